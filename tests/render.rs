//! `stickyviz render`: a recording becomes the same picture every time. PNGs are compared with
//! committed snapshots the way egui_kittest compares its own (tests/snapshots/).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use stickyviz::analysis::Model;
use stickyviz::recording::Recording;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");

fn stickyviz(args: &[&str]) -> Output {
    // English unless a test passes --lang, whatever the machine's locale
    Command::new(BIN)
        .args(args)
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.json"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[cfg(feature = "gui")]
#[test]
fn render_png_has_the_asked_size_and_matches_the_snapshot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("slow.png");
    let rec = fixture("slow-reader");
    let o = stickyviz(&[
        "render",
        rec.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--width",
        "1400",
        "--height",
        "860",
        "--theme",
        "light",
        "--lang",
        "zh",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let img = image::open(&out).expect("a PNG").to_rgba8();
    assert_eq!(img.dimensions(), (1400, 860));
    egui_kittest::image_snapshot(&img, "render_slow-reader_light_zh_1400x860");
}

#[cfg(feature = "gui")]
#[test]
fn render_time_view_matches_the_snapshot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("time.png");
    let rec = fixture("json-header");
    let o = stickyviz(&[
        "render",
        rec.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--view",
        "time",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let img = image::open(&out).expect("a PNG").to_rgba8();
    assert_eq!(img.dimensions(), (1280, 800), "the default size is the window's");
    egui_kittest::image_snapshot(&img, "render_json-header_time");
}

#[cfg(feature = "gui")]
#[test]
fn save_load_render_round_trip_is_pixel_identical() {
    use stickyviz::export::options::RenderOptions;
    let dir = tempfile::tempdir().expect("temp dir");
    let original = Recording::load(&fixture("json-header")).expect("fixture");
    let again = dir.path().join("json-header.json");
    original.save(&again).expect("saves");
    let loaded = Recording::load(&again).expect("loads");
    let opts = RenderOptions::default();
    let a = stickyviz::ui::render::render_image(&original, "json-header.json", &opts).expect("renders");
    let b = stickyviz::ui::render::render_image(&loaded, "json-header.json", &opts).expect("renders");
    assert_eq!(a.dimensions(), b.dimensions());
    assert!(a.as_raw() == b.as_raw(), "the same recording renders the same pixels");
}

#[cfg(not(feature = "gui"))]
#[test]
fn png_without_the_gui_feature_says_why_with_exit_2() {
    let o = stickyviz(&[
        "render",
        fixture("slow-reader").to_str().expect("utf-8"),
        "--out",
        "/tmp/stickyviz-never.png",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("this build has no GUI"), "{}", stderr(&o));
}

#[test]
fn bad_arguments_name_the_flag() {
    let rec = fixture("slow-reader");
    let rec = rec.to_str().expect("utf-8");
    for (args, says) in [
        (
            vec!["render", rec, "--out", "x.gif"],
            "--out: 'x.gif' must end in .png, .svg or .pcapng",
        ),
        (
            vec!["render", rec, "--out", "x.png", "--width", "100"],
            "--width: 100 is out of range; allowed 960 to 8,192",
        ),
        (
            vec!["render", rec, "--out", "x.png", "--height", "99999"],
            "--height: 99999 is out of range",
        ),
    ] {
        let o = stickyviz(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_bad_recording_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"format\":\"stickyviz-recording\",\"version\":99}").expect("write");
    let out = dir.path().join("out.svg");
    let o = stickyviz(&[
        "render",
        bad.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("recording format version 99 is newer"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

/// The SVG parses as XML and has one rect per write, segment, read and frame of the run.
#[test]
fn svg_is_well_formed_with_one_rect_per_block() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, theme, lang) in [("slow-reader", "light", "en"), ("json-header", "dark", "zh")] {
        let out = dir.path().join(format!("{name}.svg"));
        let o = stickyviz(&[
            "render",
            fixture(name).to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
            "--theme",
            theme,
            "--lang",
            lang,
            "--width",
            "1600",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(&out).expect("written");
        let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("width"), Some("1600"));
        let count = |class: &str| {
            doc.descendants()
                .filter(|n| n.has_tag_name("rect") && n.attribute("class") == Some(class))
                .count()
        };
        let model = Model::from_events(&Recording::load(&fixture(name)).expect("fixture").events);
        assert_eq!(count("write"), model.writes().len(), "{name}");
        assert_eq!(count("segment"), model.segments().len(), "{name}");
        assert_eq!(count("read"), model.reads().len(), "{name}");
        assert_eq!(count("frame"), model.frames().len(), "{name}");
        assert_eq!(count("legend"), 5, "{name}: the legend");
        let boundaries = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("boundary"))
            .count();
        assert_eq!(
            boundaries,
            model.messages().len(),
            "{name}: a dashed guide per message end"
        );
        let splits = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("split"))
            .count();
        assert_eq!(
            splits as u64,
            model.summary().split_messages,
            "{name}: a red cut per split message"
        );
    }
}

#[test]
fn svg_of_a_udp_only_recording_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rec = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/recordings/udp-truncate.json");
    let out = dir.path().join("udp.svg");
    let o = stickyviz(&[
        "render",
        rec.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.contains("no TCP stream (UDP only)"), "{text}");
}
