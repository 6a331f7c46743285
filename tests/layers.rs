//! The layers of docs/architecture.md that Cargo cannot check, read from the source.
//!
//! The crates are the big layers (framing, i18n → facts → engine | view → stickyviz), and Cargo
//! refuses a crate naming one it does not depend on. What is left for this test is inside each
//! crate: the order of `stickyviz-view`'s modules, the facts' files, the top crate's `session`
//! under `cli` and `ui` (which never import each other), no import cycle between the top-level
//! modules of any crate, and a few rules of the house.
//!
//! ```text
//! view:      analysis → presets → recording → describe → export
//! panels:    no cycle (each panel draws the model; the app composes them)
//! facts:     ids → fact → close_facts → event;  failure, torture;  config
//! stickyviz: session → cli | ui
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The source folder of each crate of the workspace.
const CRATE_SOURCES: &[&str] = &[
    "crates/framing/src",
    "crates/i18n/src",
    "crates/facts/src",
    "crates/engine/src",
    "crates/view/src",
    "crates/panels/src",
    "crates/web/src",
    "src",
];

/// Inside a crate, each top-level module and the modules of the same crate it may import: only
/// lower layers. Names of other crates (re-exported at a crate's root as `crate::facts`,
/// `crate::config`, …) are Cargo's to check and not listed.
/// A crate's layers: each top-level module with the modules it may import.
type Layers = &'static [(&'static str, &'static [&'static str])];

const ALLOWED: &[(&str, Layers)] = &[
    (
        "crates/facts/src",
        &[
            ("ids", &[]),
            ("fact", &["ids"]),
            ("close_facts", &["fact"]),
            ("trace", &["ids", "fact"]),
            ("event", &["ids", "fact", "close_facts", "trace"]),
            ("failure", &["ids", "fact", "config", "trace"]),
            ("torture", &["fact"]),
            ("config", &[]),
        ],
    ),
    (
        "crates/view/src",
        &[
            ("analysis", &[]),
            ("presets", &[]),
            ("recording", &["analysis", "presets"]),
            ("describe", &["analysis", "presets", "recording"]),
            ("export", &["analysis", "recording", "describe"]),
        ],
    ),
    ("src", &[("session", &[]), ("cli", &["session"]), ("ui", &["session"])]),
];

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file of every crate's source folder.
fn all_sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for src in CRATE_SOURCES {
        rust_files(&workspace().join(src), &mut files);
    }
    files
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of src/ belongs to (`None` for lib.rs and main.rs).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    match first.strip_suffix(".rs") {
        Some("lib" | "main") => None,
        Some(name) => Some(name.to_string()),
        None => Some(first.to_string()),
    }
}

/// The top-level modules a file imports, read from its syntax tree (`syn`): every path that
/// starts with `crate::` (in `use` trees however they are grouped, nested or spread over lines,
/// in expressions, types and patterns, and in macro arguments such as `format!`), and every
/// `super::` path resolved against where the file sits (`file_module`: `["engine", "peer"]` for
/// src/engine/peer.rs, `["engine"]` for src/engine/mod.rs). Comments and strings are not code.
/// Panics (failing the test) on a file that does not parse.
fn imported_modules(code: &str, file_module: &[String]) -> BTreeSet<String> {
    let file = syn::parse_file(code).expect("a source file that parses");
    let mut finder = Imports {
        module: file_module.to_vec(),
        found: BTreeSet::new(),
    };
    syn::visit::visit_file(&mut finder, &file);
    finder.found
}

/// Walks a syntax tree, keeping the module path of the code being read (inline `mod`s push onto
/// it) and the top-level modules its paths reach.
struct Imports {
    module: Vec<String>,
    found: BTreeSet<String>,
}

impl Imports {
    /// A path's leading segments: `crate` reaches its first name; each `super` climbs one
    /// module from where the code is; `self` stays.
    fn resolve(&mut self, segments: &[String]) {
        let mut here = self.module.clone();
        let mut rest = segments;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                here.clear();
                rest = &rest[1..];
            }
            Some("super") => {
                while rest.first().map(String::as_str) == Some("super") {
                    here.pop();
                    rest = &rest[1..];
                }
            }
            _ => return,
        }
        let top = here.first().cloned().or_else(|| rest.first().cloned());
        if let Some(top) = top {
            if top != "self" && top != "*" {
                self.found.insert(top);
            }
        }
    }

    /// Every full path a `use` tree names, each handed to `resolve`.
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.resolve(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.resolve(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Glob(_) => {
                prefix.push("*".to_string());
                self.resolve(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.use_tree(prefix, item);
                }
            }
        }
    }

    /// `crate :: name` and `super :: name` inside a macro's tokens (`format!("{}",
    /// crate::x::y())`), groups included.
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        let tokens: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                proc_macro2::TokenTree::Ident(id) if id == "crate" || id == "super" => {
                    let mut segments = vec![id.to_string()];
                    let mut j = i + 1;
                    while let (
                        Some(proc_macro2::TokenTree::Punct(a)),
                        Some(proc_macro2::TokenTree::Punct(b)),
                        Some(proc_macro2::TokenTree::Ident(next)),
                    ) = (tokens.get(j), tokens.get(j + 1), tokens.get(j + 2))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        segments.push(next.to_string());
                        if next != "super" {
                            break;
                        }
                        j += 3;
                    }
                    if segments.len() > 1 {
                        self.resolve(&segments);
                    }
                }
                _ => {}
            }
        }
    }
}

impl<'ast> syn::visit::Visit<'ast> for Imports {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 {
            self.resolve(&segments);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.module.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.module.pop();
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}

/// The module path of a file of src/: `["engine", "peer"]` for engine/peer.rs, `["engine"]` for
/// engine/mod.rs, `[]` for lib.rs and main.rs.
fn file_module(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("a file under src/");
    let mut parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    match last.strip_suffix(".rs") {
        Some("mod") => {}
        Some("lib" | "main") if parts.is_empty() => {}
        Some(name) => parts.push(name.to_string()),
        None => parts.push(last),
    }
    parts
}

/// The imports between the top-level modules of the crate whose source folder is `src_dir`
/// (paths to other crates' re-exports left out: Cargo checks those).
fn import_graph(src_dir: &str) -> BTreeMap<String, BTreeSet<String>> {
    let src = workspace().join(src_dir);
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let own: BTreeSet<String> = files.iter().filter_map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(module) = module_of(&src, &file) else { continue };
        let code = std::fs::read_to_string(&file).expect("a readable source file");
        let imports: Vec<String> = imported_modules(&code, &file_module(&src, &file))
            .into_iter()
            .filter(|m| *m != module && own.contains(m))
            .collect();
        graph.entry(module).or_default().extend(imports);
    }
    graph
}

/// A cycle through the graph, as the modules on it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    for src in CRATE_SOURCES {
        let graph = import_graph(src);
        assert_eq!(
            find_cycle(&graph),
            None,
            "{src}: an import cycle between top-level modules"
        );
    }
}

#[test]
fn ui_and_cli_never_import_each_other() {
    let graph = import_graph("src");
    assert!(!graph["ui"].contains("cli"), "ui imports cli");
    assert!(!graph["cli"].contains("ui"), "cli imports ui");
}

#[test]
fn every_module_imports_only_lower_layers() {
    for (src, layers) in ALLOWED {
        let graph = import_graph(src);
        let allowed: BTreeMap<&str, BTreeSet<&str>> =
            layers.iter().map(|(m, a)| (*m, a.iter().copied().collect())).collect();
        let found: BTreeSet<&str> = graph.keys().map(String::as_str).collect();
        assert_eq!(
            found,
            allowed.keys().copied().collect(),
            "{src}: the modules were found"
        );
        for (module, imports) in &graph {
            let Some(lower) = allowed.get(module.as_str()) else {
                panic!("{src}: module {module} is not placed in a layer: add it to ALLOWED and docs/architecture.md");
            };
            for import in imports {
                assert!(
                    lower.contains(import.as_str()),
                    "{src}: {module} imports {import}, which is not below it (docs/architecture.md)"
                );
            }
        }
    }
}

#[test]
fn few_files_at_the_root_of_src() {
    let src = workspace().join("src");
    let root: Vec<_> = std::fs::read_dir(&src)
        .expect("src/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.is_file())
        .collect();
    assert!(root.len() <= 5, "loose files at src/: {root:?}");
}

/// The language is passed to whoever words something; no process-wide one to fall back on.
#[test]
fn no_global_language() {
    for file in all_sources() {
        let code = std::fs::read_to_string(&file).expect("readable");
        for pattern in ["static LANG", "OnceLock<Lang>", "thread_local"] {
            assert!(
                !code.contains(pattern),
                "{}: a global language ({pattern})",
                file.display()
            );
        }
    }
}

/// A setting's range is written once, in config; the command line and the window read it from
/// there (`config::allowed`, the `validate_*` functions) instead of retyping "1..=1048576".
#[test]
fn no_retyped_range_literals_outside_config() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for file in files
        .iter()
        .filter(|f| module_of(&src, f).is_some_and(|m| m == "cli" || m == "ui"))
    {
        let code = std::fs::read_to_string(file).expect("readable");
        for line in code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//") && !l.contains("assert"))
        {
            let retyped = line.split('"').skip(1).step_by(2).any(|lit| {
                lit.split_once("..=").is_some_and(|(a, b)| {
                    !a.is_empty() && a.chars().all(|c| c.is_ascii_digit()) && b.chars().all(|c| c.is_ascii_digit())
                })
            });
            assert!(!retyped, "{}: a range typed again: {line}", file.display());
        }
    }
}

/// The checks above can fail: a cycle, group imports spread over lines, nested groups,
/// `super::` out of a top-level module and a path inside a macro are all seen; comments and
/// strings are not.
#[test]
fn the_checker_sees_cycles_and_group_imports() {
    let graph: BTreeMap<String, BTreeSet<String>> = [("a", "b"), ("b", "c"), ("c", "a")]
        .iter()
        .map(|(from, to)| (from.to_string(), BTreeSet::from([to.to_string()])))
        .collect();
    assert!(find_cycle(&graph).is_some_and(|c| c.len() == 4));
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
    let engine = ["engine".to_string()];
    let code = "use crate::{presets, export::svg};\n// crate::ui in a comment\nfn f() { let x = crate::cli::lang(); }";
    assert_eq!(imported_modules(code, &engine), set(&["cli", "export", "presets"]));
    let multi =
        "use crate::{\n    analysis::{\n        Model,\n        Stats,\n    },\n    recording::{self, Recording},\n};";
    assert_eq!(imported_modules(multi, &engine), set(&["analysis", "recording"]));
    // in src/engine/mod.rs `super::` is the crate root; in src/engine/peer.rs it is engine
    assert_eq!(imported_modules("use super::ui::Window;", &engine), set(&["ui"]));
    let peer = ["engine".to_string(), "peer".to_string()];
    assert_eq!(
        imported_modules("use super::tcp;\nuse super::super::cli;", &peer),
        set(&["engine", "cli"])
    );
    assert_eq!(
        imported_modules("mod tests { use super::super::super::ui; }", &peer),
        set(&["ui"])
    );
    assert_eq!(
        imported_modules("fn f() { println!(\"{}\", crate::i18n::t()); }", &engine),
        set(&["i18n"])
    );
    assert_eq!(imported_modules("const S: &str = \"crate::ui\";", &engine), set(&[]));
}

/// A `#[path]` attribute would move a file out from under the module the checks above think it
/// is in; none is used.
#[test]
fn no_path_attributes() {
    for file in all_sources() {
        let code = std::fs::read_to_string(&file).expect("readable");
        let parsed = syn::parse_file(&code).expect("parses");
        let mut finder = PathAttrs(false);
        syn::visit::visit_file(&mut finder, &parsed);
        assert!(!finder.0, "{}: a #[path] attribute", file.display());
    }
}

struct PathAttrs(bool);

impl<'ast> syn::visit::Visit<'ast> for PathAttrs {
    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        self.0 |= attr.path().is_ident("path");
    }
}
