//! Version 1 recordings (docs/recordings, tests/fixtures) still load and read exactly as they
//! did when they were made: their English reasons are mapped to typed facts once, on load, and
//! the text timeline and summary in both languages must match what the app printed for them
//! before that mapping existed (tests/fixtures/v1-text, written by the version-1 app).
//!
//! `STICKYVIZ_BLESS=1 cargo test --test recordings_v1` rewrites the expected texts; only do
//! that with an app whose wording of these recordings is known to be right.

use std::path::{Path, PathBuf};

use stickyviz::analysis::Model;
use stickyviz::export::text_timeline;
use stickyviz::i18n::Lang;
use stickyviz::recording::Recording;

fn v1_recordings() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<PathBuf> = ["docs/recordings", "tests/fixtures"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).expect("the folder exists"))
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            let text = std::fs::read_to_string(p).expect("readable");
            let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            value["version"] == 1
        })
        .collect();
    paths.sort();
    paths
}

fn text_of(model: &Model, lang: Lang) -> String {
    format!(
        "{}\n{}",
        text_timeline::render(model, 100, lang),
        text_timeline::summary(model, lang)
    )
}

#[test]
fn every_v1_recording_in_docs_loads() {
    let paths = v1_recordings();
    assert!(
        paths.len() >= 14,
        "the docs' recordings are version 1: found {}",
        paths.len()
    );
    for path in paths {
        let rec = Recording::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!rec.events.is_empty(), "{}: events", path.display());
    }
}

#[test]
fn v1_recordings_read_exactly_as_before_in_both_languages() {
    let bless = std::env::var_os("STICKYVIZ_BLESS").is_some();
    let expected_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1-text");
    for path in v1_recordings() {
        let rec = Recording::load(&path).expect("loads");
        let model = Model::from_events(&rec.events);
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("a file name");
        let dir = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|s| s.to_str())
            .expect("a folder");
        for lang in Lang::ALL {
            let text = text_of(&model, lang);
            let expected_path = expected_dir.join(format!("{dir}-{stem}.{}.txt", lang.name()));
            if bless {
                std::fs::create_dir_all(&expected_dir).expect("mkdir");
                std::fs::write(&expected_path, &text).expect("write");
                continue;
            }
            let expected =
                std::fs::read_to_string(&expected_path).unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            assert!(
                text == expected,
                "{} ({}) reads differently from before:\n--- before\n{expected}\n--- now\n{text}",
                path.display(),
                lang.name()
            );
        }
    }
}
