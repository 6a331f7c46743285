//! The docs cannot go stale: every lesson page has its recording, and every committed picture
//! equals what `stickyviz render` draws from that recording (scripts/docs.sh makes them).

use std::path::{Path, PathBuf};

use stickyviz::export::options::{RenderOptions, RenderTheme};
use stickyviz::recording::Recording;

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

/// Every recording under docs/recordings, by name.
fn recordings() -> Vec<(String, Recording)> {
    let mut out: Vec<(String, Recording)> = std::fs::read_dir(docs().join("recordings"))
        .expect("docs/recordings")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_stem().expect("a name").to_string_lossy().into_owned();
            let rec = Recording::load(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (name, rec)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn udp_only(rec: &Recording) -> bool {
    !rec.settings.transports.tcp()
}

#[test]
fn every_preset_has_a_lesson_in_two_languages_with_its_recording() {
    let recs = recordings();
    for p in stickyviz::presets::all() {
        let (_, rec) = recs
            .iter()
            .find(|(n, _)| n == p.name)
            .unwrap_or_else(|| panic!("docs/recordings/{}.json is missing (run scripts/docs.sh)", p.name));
        if p.name == "firehose" {
            // 1 GiB would make a recording of gigabytes: the committed one is the same run, fewer messages
            let mut settings = rec.settings.clone();
            settings.workload.count = p.experiment.workload.count;
            assert_eq!(
                settings, p.experiment,
                "firehose: the preset's settings but for the message count"
            );
        } else {
            assert_eq!(
                rec.preset.as_deref(),
                Some(p.name),
                "{}: recorded from the preset's own settings",
                p.name
            );
        }
        for (page, picture) in [
            (format!("{}.md", p.name), format!("{}.png", p.name)),
            (format!("{}.zh.md", p.name), format!("{}.zh.png", p.name)),
        ] {
            let text = std::fs::read_to_string(docs().join("lessons").join(&page))
                .unwrap_or_else(|e| panic!("docs/lessons/{page}: {e}"));
            assert!(
                text.contains(&format!("../images/lessons/{picture}")),
                "{page} shows {picture}"
            );
            assert!(
                text.contains(&format!("../recordings/{}.json", p.name)),
                "{page} links its recording"
            );
        }
        let index = std::fs::read_to_string(docs().join("lessons/README.md")).expect("lesson index");
        assert!(
            index.contains(&format!("({}.md)", p.name)),
            "the index links {}",
            p.name
        );
    }
}

#[test]
fn committed_svgs_equal_what_their_recordings_render() {
    for (name, rec) in recordings() {
        let path = docs().join("images/lessons").join(format!("{name}.svg"));
        if udp_only(&rec) {
            continue;
        }
        let committed =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (run scripts/docs.sh)", path.display()));
        let opts = RenderOptions {
            theme: RenderTheme::Light,
            ..RenderOptions::default()
        };
        assert!(
            committed == stickyviz::export::svg::render(&rec, &opts),
            "{} is stale: run scripts/docs.sh",
            path.display()
        );
    }
}

#[cfg(feature = "gui")]
#[test]
fn committed_pngs_equal_what_their_recordings_render() {
    let options = egui_kittest::SnapshotOptions::new().output_path(docs().join("images/lessons"));
    let mut failures = Vec::new();
    for (name, rec) in recordings() {
        let source = format!("{name}.json");
        for (lang, suffix) in [
            (stickyviz::export::options::RenderLang::En, ""),
            (stickyviz::export::options::RenderLang::Zh, ".zh"),
        ] {
            let opts = RenderOptions {
                lang,
                ..RenderOptions::default()
            };
            let img = stickyviz::ui::render::render_image(&rec, &source, &opts).expect("renders");
            if let Err(e) = egui_kittest::try_image_snapshot_options(&img, format!("{name}{suffix}"), &options) {
                failures.push(format!("{e} (run scripts/docs.sh)"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
