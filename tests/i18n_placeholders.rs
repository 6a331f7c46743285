//! Every `tf(lang, S::Key, &[("name", &value), …])` in the source passes exactly the
//! placeholders the table's text of `Key` names: none missing (it would show as `{name}`), none
//! extra (a value nobody sees). The table's own test checks that both languages name the same.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use stickyviz::i18n::{placeholders, t, Lang, S};

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `(key, names)` of each call with a literal key and a literal slice of named arguments.
fn calls(text: &str) -> Vec<(String, BTreeSet<String>)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("S::") {
        let start = from + i + 3;
        from = start;
        let key: String = text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let after = text[start + key.len()..].trim_start();
        let Some(slice) = after
            .strip_prefix(',')
            .map(str::trim_start)
            .and_then(|s| s.strip_prefix("&["))
        else {
            continue;
        };
        if !slice.trim_start().starts_with("(\"") {
            continue;
        }
        let open = text.len() - slice.len();
        let (mut depth, mut j, mut names) = (1usize, open, BTreeSet::new());
        while depth > 0 && j < bytes.len() {
            match bytes[j] {
                b'"' => {
                    let end = j + 1 + text[j + 1..].find('"').expect("closed string");
                    j = end;
                }
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    // a tuple's opening: its first element, after any line break rustfmt put there
                    let first = text[j + 1..].trim_start();
                    if depth == 2 && bytes[j] == b'(' && first.starts_with('"') {
                        names.insert(first[1..].chars().take_while(|&c| c != '"').collect());
                    }
                }
                b')' | b']' | b'}' => depth -= 1,
                _ => {}
            }
            j += 1;
        }
        found.push((key, names));
    }
    found
}

#[test]
fn every_call_passes_the_placeholders_its_key_names() {
    let keys: BTreeMap<String, S> = S::ALL.iter().map(|&k| (format!("{k:?}"), k)).collect();
    let mut files = Vec::new();
    // every crate of the workspace: the top one's src/ and each of crates/*/src
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("crates"), &mut files);
    let mut checked = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for (key, names) in calls(&text) {
            let Some(&k) = keys.get(&key) else { continue };
            let wanted: BTreeSet<String> = placeholders(t(Lang::En, k)).into_iter().map(str::to_string).collect();
            assert_eq!(
                names,
                wanted,
                "{}: S::{key} is called with other names than it has",
                file.display()
            );
            checked += 1;
        }
    }
    // the scan must find the calls it checks (about 220 when named placeholders came in)
    assert!(checked > 150, "only {checked} calls found");
}

#[test]
fn the_scan_sees_a_wrong_name() {
    let code = r#"tf(lang, S::FinishedIn, &[("secs", &ms)]); tf(lang, S::Problem, &[("side", &s), ("what", &tf(lang, S::FinishedIn, &[("ms", &1)]))])"#;
    let found = calls(code);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].1, BTreeSet::from(["secs".to_string()]));
    assert_eq!(found[1].1, BTreeSet::from(["side".to_string(), "what".to_string()]));
    assert_ne!(
        found[0].1,
        placeholders(t(Lang::En, S::FinishedIn))
            .into_iter()
            .map(str::to_string)
            .collect()
    );
}
