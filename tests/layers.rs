//! The layers of docs/architecture.md, checked from the source: every `crate::…` path in
//! src/ is read, and the imports between top-level modules must run one way.
//!
//! ```text
//! framing → config → engine → analysis → presets → recording → describe → export → cli | ui
//! i18n: a leaf (imports nothing of the crate), used by describe and everything above it
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module and the modules it may import: only lower layers.
const ALLOWED: &[(&str, &[&str])] = &[
    ("framing", &[]),
    ("i18n", &[]),
    ("config", &["framing"]),
    ("engine", &["framing", "config"]),
    ("analysis", &["framing", "config", "engine"]),
    ("presets", &["framing", "config"]),
    ("recording", &["framing", "config", "engine", "analysis", "presets"]),
    ("describe", &["framing", "config", "engine", "analysis", "i18n"]),
    ("export", &["framing", "config", "engine", "analysis", "recording", "describe", "i18n"]),
    ("cli", &["framing", "config", "engine", "analysis", "presets", "recording", "describe", "i18n", "export"]),
    ("ui", &["framing", "config", "engine", "analysis", "presets", "recording", "describe", "i18n", "export"]),
];

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

/// The top-level modules named by `crate::NAME` and `crate::{NAME, …}` in `code`, comments
/// left out.
fn imported_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                // `crate::{a, b::c}`: the first name of each item (one line is enough here)
                let body = group.split('}').next().unwrap_or("");
                for item in body.split(',') {
                    let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !name.is_empty() && name != "self" {
                        found.insert(name);
                    }
                }
            } else {
                let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
            rest = after;
        }
    }
    found
}

fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(module) = module_of(&src, &file) else { continue };
        let code = std::fs::read_to_string(&file).expect("a readable source file");
        let imports: Vec<String> = imported_modules(&code).into_iter().filter(|m| *m != module).collect();
        graph.entry(module).or_default().extend(imports);
    }
    graph
}

/// A cycle through the graph, as the modules on it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(node: &str, graph: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
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
    graph.keys().find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let graph = import_graph();
    assert!(graph.len() >= 10, "the modules were found: {graph:?}");
    assert_eq!(find_cycle(&graph), None, "an import cycle between top-level modules");
}

#[test]
fn ui_and_cli_never_import_each_other() {
    let graph = import_graph();
    assert!(!graph["ui"].contains("cli"), "ui imports cli");
    assert!(!graph["cli"].contains("ui"), "cli imports ui");
}

#[test]
fn every_module_imports_only_lower_layers() {
    let graph = import_graph();
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED.iter().map(|(m, a)| (*m, a.iter().copied().collect())).collect();
    for (module, imports) in &graph {
        let Some(lower) = allowed.get(module.as_str()) else {
            panic!("module {module} is not placed in a layer: add it to ALLOWED and docs/architecture.md");
        };
        for import in imports {
            assert!(lower.contains(import.as_str()), "{module} imports {import}, which is not below it (docs/architecture.md)");
        }
    }
    assert!(graph["i18n"].is_empty(), "i18n is a leaf: {:?}", graph["i18n"]);
}

#[test]
fn few_files_at_the_root_of_src() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
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
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for file in files {
        let code = std::fs::read_to_string(&file).expect("readable");
        for pattern in ["static LANG", "OnceLock<Lang>", "thread_local"] {
            assert!(!code.contains(pattern), "{}: a global language ({pattern})", file.display());
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
    for file in files.iter().filter(|f| module_of(&src, f).is_some_and(|m| m == "cli" || m == "ui")) {
        let code = std::fs::read_to_string(file).expect("readable");
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//") && !l.contains("assert")) {
            let retyped = line.split('"').skip(1).step_by(2).any(|lit| {
                lit.split_once("..=").is_some_and(|(a, b)| !a.is_empty() && a.chars().all(|c| c.is_ascii_digit()) && b.chars().all(|c| c.is_ascii_digit()))
            });
            assert!(!retyped, "{}: a range typed again: {line}", file.display());
        }
    }
}

/// The checks above can fail: a cycle and a group import are seen.
#[test]
fn the_checker_sees_cycles_and_group_imports() {
    let graph: BTreeMap<String, BTreeSet<String>> = [("a", "b"), ("b", "c"), ("c", "a")]
        .iter()
        .map(|(from, to)| (from.to_string(), BTreeSet::from([to.to_string()])))
        .collect();
    assert!(find_cycle(&graph).is_some_and(|c| c.len() == 4));
    let found = imported_modules("use crate::{presets, export::svg};\n// crate::ui in a comment\nlet x = crate::cli::lang();");
    assert_eq!(found, BTreeSet::from(["cli".to_string(), "export".to_string(), "presets".to_string()]));
}
