//! Recordings on disk: save → load gives back the same run, and bad files are refused with an
//! error that names what is wrong.

use std::path::{Path, PathBuf};

use stickyviz::analysis::Model;
use stickyviz::recording::{Recording, RecordingError};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.json"))
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
        assert_eq!(
            (&back.app_version, &back.os, &back.kernel),
            (&rec.app_version, &rec.os, &rec.kernel)
        );
        assert_eq!(back.summary, rec.summary, "{name}: the stored summary survives");
        let (a, b) = (Model::from_events(&rec.events), Model::from_events(&back.events));
        assert_eq!(
            a.summary(),
            b.summary(),
            "{name}: the model rebuilt from the events is the same"
        );
        // These fixtures predate the causality count (issue 14): their writes were stamped
        // when send() returned, so a rebuilt model finds reads "before" them, and says so.
        let mut stored = rec.summary.clone();
        stored.causality_violations = a.summary().causality_violations;
        // and predate the causes (issue 30), which the model finds from the events
        stored.causes = a.summary().causes.clone();
        assert_eq!(
            *a.summary(),
            stored,
            "{name}: and equals the summary stored when it was recorded"
        );
        assert_eq!(a.reads(), b.reads());
        assert_eq!(a.writes().len(), b.writes().len());
    }
}

#[test]
fn a_live_run_records_app_version_os_and_kernel() {
    let rec = Recording::new(stickyviz::config::Experiment::default(), vec![]);
    assert_eq!(rec.app_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(rec.os, std::env::consts::OS);
    assert!(!rec.kernel.is_empty());
    let json: serde_json::Value = serde_json::from_str(&rec.to_json()).expect("json");
    for field in [
        "format",
        "version",
        "app_version",
        "os",
        "kernel",
        "settings",
        "events",
        "summary",
    ] {
        assert!(json.get(field).is_some(), "the file has a \"{field}\" field");
    }
}

fn error_of(text: &str) -> RecordingError {
    match Recording::from_json(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e,
    }
}

/// What the user reads (English; tests/errors_zh.rs checks the Chinese).
fn words(e: &RecordingError) -> String {
    stickyviz::describe::recording_error(e, stickyviz::i18n::Lang::En)
}

#[test]
fn future_version_names_the_version() {
    let text = std::fs::read_to_string(fixture("slow-reader")).expect("fixture");
    let newer = text.replacen("\"version\":1", "\"version\":7", 1);
    let e = error_of(&newer);
    assert!(matches!(e, RecordingError::FutureVersion { found: 7 }), "{e:?}");
    assert!(words(&e).contains("version 7 is newer"), "{e}");
}

#[test]
fn malformed_files_name_what_is_wrong() {
    let cases = [
        ("", "not valid JSON"),
        ("{\"format\":", "not valid JSON"),
        ("[1, 2]", "not an object"),
        ("{\"version\":1}", "\"format\" field"),
        ("{\"format\":\"stickyviz-recording\"}", "no \"version\" field"),
        (
            "{\"format\":\"stickyviz-recording\",\"version\":\"1\"}",
            "not a whole number",
        ),
        ("{\"format\":\"stickyviz-recording\",\"version\":1}", "missing field"),
    ];
    for (text, says) in cases {
        let e = error_of(text);
        assert!(matches!(e, RecordingError::Malformed(_)), "{text}: {e:?}");
        assert!(words(&e).contains(says), "{text}: '{}' should say '{says}'", words(&e));
    }
    // a truncated real file: names the place
    let text = std::fs::read_to_string(fixture("json-header")).expect("fixture");
    let e = error_of(&text[..text.len() / 2]);
    assert!(words(&e).contains("line 1 column"), "{}", words(&e));
}

#[test]
fn missing_file_names_the_path() {
    let e = Recording::load(Path::new("/nonexistent/run.json")).expect_err("refused");
    assert!(words(&e).contains("/nonexistent/run.json"), "{}", words(&e));
}

#[test]
fn huge_not_utf8_and_directory_files_are_refused_clearly() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 2 GiB, sparse: refused by its size before anything is read
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(2 << 30))
        .expect("sparse file");
    let e = Recording::load(&huge).expect_err("refused");
    assert!(
        matches!(e, RecordingError::TooBig { size, .. } if size == 2 << 30),
        "{e:?}"
    );
    assert!(words(&e).contains("bytes are refused"), "{}", words(&e));

    let binary = dir.path().join("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x7b]).expect("write");
    let e = Recording::load(&binary).expect_err("refused");
    let said = stickyviz::describe::open_failed("binary.json", &e, stickyviz::i18n::Lang::En);
    assert!(said.contains("binary.json") && said.contains("UTF-8"), "{said}");

    let e = Recording::load(dir.path()).expect_err("a directory is not a recording");
    assert!(words(&e).contains(&dir.path().display().to_string()), "{}", words(&e));
}

#[test]
fn a_recording_cut_anywhere_is_refused_never_a_panic() {
    let text = std::fs::read_to_string(fixture("slow-reader")).expect("fixture");
    for cut in (0..text.len()).step_by(97) {
        let e = error_of(&text[..cut]);
        assert!(matches!(e, RecordingError::Malformed(_)), "cut at {cut}: {e:?}");
    }
}

/// Well-formed JSON with hostile numbers: every number of every event, in turn, set to 0,
/// u32::MAX and u64::MAX. The file may load or be refused, but the model, the summary, the
/// text timeline and the SVG are built from whatever loads without a panic.
#[test]
fn hostile_numbers_in_events_never_panic_the_model_or_the_drawings() {
    use stickyviz::analysis::Model;
    use stickyviz::export::options::RenderOptions;
    use stickyviz::export::svg::render_model;
    use stickyviz::i18n::Lang;
    let text = std::fs::read_to_string(fixture("slow-reader")).expect("fixture");
    let original: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let events = original["events"].as_array().expect("events").len();
    let (mut loaded, mut refused) = (0, 0);
    for i in 0..events {
        // JSON pointers to every number in the event, nested ones too
        fn numbers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Number(_) => out.push(at),
                // the first two items stand for the rest (packet headers are arrays of bytes)
                serde_json::Value::Array(items) => items
                    .iter()
                    .take(2)
                    .enumerate()
                    .for_each(|(k, x)| numbers(x, format!("{at}/{k}"), out)),
                serde_json::Value::Object(map) => map.iter().for_each(|(k, x)| numbers(x, format!("{at}/{k}"), out)),
                _ => {}
            }
        }
        let mut fields = Vec::new();
        numbers(&original["events"][i], format!("/events/{i}"), &mut fields);
        for field in fields {
            for extreme in [
                serde_json::json!(0),
                serde_json::json!(u32::MAX),
                serde_json::json!(u64::MAX),
            ] {
                let mut hostile = original.clone();
                *hostile.pointer_mut(&field).expect("pointer") = extreme.clone();
                let Ok(rec) = Recording::from_json(&hostile.to_string()) else {
                    refused += 1;
                    continue;
                };
                loaded += 1;
                let outcome = std::panic::catch_unwind(|| {
                    let model = Model::from_events(&rec.events);
                    let _ = stickyviz::export::text_timeline::render(&model, 100, Lang::En);
                    let _ = render_model(&model, &RenderOptions::default());
                });
                assert!(outcome.is_ok(), "{field} = {extreme}: panicked");
            }
        }
    }
    assert!(
        loaded > 100,
        "most hostile files load ({loaded} loaded, {refused} refused)"
    );
}
