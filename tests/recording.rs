//! Recordings on disk: save → load gives back the same run, and bad files are refused with an
//! error that names what is wrong.

use std::path::{Path, PathBuf};

use stickyviz::analysis::Model;
use stickyviz::recording::{Recording, RecordingError};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(format!("{name}.json"))
}

#[test]
fn save_then_load_gives_the_same_model_and_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["slow-reader", "json-header"] {
        let rec = Recording::load(&fixture(name)).expect("fixture loads");
        let path = dir.path().join("again.json");
        rec.save(&path).expect("saves");
        let back = Recording::load(&path).expect("loads again");
        assert_eq!(back.events, rec.events, "{name}");
        assert_eq!(back.settings, rec.settings, "{name}");
        assert_eq!((&back.app_version, &back.os, &back.kernel), (&rec.app_version, &rec.os, &rec.kernel));
        assert_eq!(back.summary, rec.summary, "{name}: the stored summary survives");
        let (a, b) = (Model::from_events(&rec.events), Model::from_events(&back.events));
        assert_eq!(a.summary, b.summary, "{name}: the model rebuilt from the events is the same");
        assert_eq!(a.summary, rec.summary, "{name}: and equals the summary stored when it was recorded");
        assert_eq!(a.reads, b.reads);
        assert_eq!(a.writes.len(), b.writes.len());
    }
}

#[test]
fn a_live_run_records_app_version_os_and_kernel() {
    let rec = Recording::new(stickyviz::config::Experiment::default(), vec![]);
    assert_eq!(rec.app_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(rec.os, std::env::consts::OS);
    assert!(!rec.kernel.is_empty());
    let json: serde_json::Value = serde_json::from_str(&rec.to_json()).expect("json");
    for field in ["format", "version", "app_version", "os", "kernel", "settings", "events", "summary"] {
        assert!(json.get(field).is_some(), "the file has a \"{field}\" field");
    }
}

fn error_of(text: &str) -> RecordingError {
    match Recording::from_json(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e,
    }
}

#[test]
fn future_version_names_the_version() {
    let text = std::fs::read_to_string(fixture("slow-reader")).expect("fixture");
    let newer = text.replacen("\"version\":1", "\"version\":7", 1);
    let e = error_of(&newer);
    assert!(matches!(e, RecordingError::FutureVersion { found: 7 }), "{e:?}");
    assert!(e.to_string().contains("version 7 is newer"), "{e}");
}

#[test]
fn malformed_files_name_what_is_wrong() {
    let cases = [
        ("", "not valid JSON"),
        ("{\"format\":", "not valid JSON"),
        ("[1, 2]", "not an object"),
        ("{\"version\":1}", "\"format\" field"),
        ("{\"format\":\"stickyviz-recording\"}", "no \"version\" field"),
        ("{\"format\":\"stickyviz-recording\",\"version\":\"1\"}", "not a whole number"),
        ("{\"format\":\"stickyviz-recording\",\"version\":1}", "missing field"),
    ];
    for (text, says) in cases {
        let e = error_of(text);
        assert!(matches!(e, RecordingError::Malformed(_)), "{text}: {e:?}");
        assert!(e.to_string().contains(says), "{text}: '{e}' should say '{says}'");
    }
    // a truncated real file: names the place
    let text = std::fs::read_to_string(fixture("json-header")).expect("fixture");
    let e = error_of(&text[..text.len() / 2]);
    assert!(e.to_string().contains("line 1 column"), "{e}");
}

#[test]
fn missing_file_names_the_path() {
    let e = Recording::load(Path::new("/nonexistent/run.json")).expect_err("refused");
    assert!(e.to_string().contains("/nonexistent/run.json"), "{e}");
}
