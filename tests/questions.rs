//! Predict → reveal and compare, from real runs: every question's answer is what the run did
//! (counted here again from the raw events, not through the model), the GIFT and Moodle XML
//! exports parse and carry those answers, and `compare` draws two runs on one byte scale.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Output, Stdio};

use stickyviz::analysis::questions::{questions, Question};
use stickyviz::analysis::Model;
use stickyviz::facts::Event;
use stickyviz::recording::Recording;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");

fn stickyviz(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A real run of `preset` (with `extra` flags), recorded to a file in `dir`.
fn record(dir: &std::path::Path, name: &str, preset: &str, extra: &[&str]) -> std::path::PathBuf {
    let path = dir.join(format!("{name}.json"));
    let p = path.to_str().expect("UTF-8 path");
    let mut args = vec!["run", "--preset", preset, "--json", p];
    args.extend_from_slice(extra);
    let out = stickyviz(&args);
    assert!(out.status.success(), "{preset}: {}", text(&out.stderr));
    path
}

/// The answers counted from the raw top-level events of a recording, independently of `Model`.
struct Raw {
    reads: Vec<(u64, u64)>,
    messages: Vec<(u32, u64, u64)>,
    datagrams_sent: u64,
    datagrams_arrived: u64,
    rounds: BTreeMap<u32, u64>,
}

fn raw(rec: &Recording) -> Raw {
    let mut r = Raw {
        reads: Vec::new(),
        messages: Vec::new(),
        datagrams_sent: 0,
        datagrams_arrived: 0,
        rounds: BTreeMap::new(),
    };
    let mut arrived = BTreeSet::new();
    for e in &rec.events {
        match e {
            Event::Read { offset, len, .. } if *len > 0 => r.reads.push((offset.0, offset.0 + u64::from(*len))),
            Event::Message { msg, offset, len, .. } => r.messages.push((msg.0, offset.0, offset.0 + u64::from(*len))),
            Event::DatagramSent { .. } => r.datagrams_sent += 1,
            Event::DatagramReceived { msg: Some(m), .. } => {
                arrived.insert(m.0);
            }
            Event::Round { index, latency_us, .. } => {
                r.rounds.insert(*index, *latency_us);
            }
            _ => {}
        }
    }
    r.datagrams_arrived = arrived.len() as u64;
    r.messages.sort_by_key(|m| m.1);
    r
}

/// Checks every question of `rec` against the raw counts; returns the kinds asked.
fn check_answers(rec: &Recording) -> Vec<&'static str> {
    let model = Model::from_events(&rec.events);
    let raw = raw(rec);
    let mut kinds = Vec::new();
    for q in questions(&model) {
        match &q {
            Question::ReadCount { messages, answer } => {
                assert_eq!(*answer, raw.reads.len() as u64, "recv() count");
                assert_eq!(*messages, raw.messages.len() as u64);
                kinds.push("reads");
            }
            Question::MergedMessages { choices, answer } => {
                let mut merged = BTreeSet::new();
                for &(a, b) in &raw.reads {
                    let inside: Vec<u32> = raw
                        .messages
                        .iter()
                        .filter(|m| m.1 < b && m.2 > a)
                        .map(|m| m.0)
                        .collect();
                    if inside.len() >= 2 {
                        merged.extend(inside);
                    }
                }
                let expected: Vec<u32> = choices.iter().copied().filter(|c| merged.contains(c)).collect();
                assert_eq!(answer, &expected, "merged messages among {choices:?}");
                kinds.push("merged");
            }
            Question::FirstReadEnd { answer, boundaries } => {
                assert_eq!(*answer, raw.reads[0].1, "the first read's end");
                assert!(boundaries.windows(2).all(|w| w[0] < w[1]));
                kinds.push("first-read");
            }
            Question::RequestLatency { request, latency_us } => {
                assert_eq!(raw.rounds.get(request), Some(latency_us), "request {request}'s latency");
                kinds.push("latency");
            }
            Question::DatagramsArrived { sent, answer } => {
                assert_eq!(*sent, raw.datagrams_sent);
                assert_eq!(*answer, raw.datagrams_arrived, "datagrams that arrived");
                kinds.push("datagrams");
            }
        }
    }
    kinds
}

#[test]
fn every_answer_is_what_the_run_did() {
    let dir = tempfile::tempdir().expect("temp dir");
    // several lessons, several runs each: the answers follow each run, whatever it did
    for (preset, extra, must_ask) in [
        ("slow-reader", &[][..], &["reads", "merged", "first-read"][..]),
        (
            "slow-reader",
            &["--read-size", "64"][..],
            &["reads", "merged", "first-read"][..],
        ),
        ("echo", &["--count", "6"][..], &["reads"][..]),
        ("udp-flood", &["--count", "400"][..], &["datagrams"][..]),
    ] {
        for i in 0..3 {
            let path = record(dir.path(), &format!("{preset}-{i}"), preset, extra);
            let rec = Recording::load(&path).expect("the recording loads");
            let kinds = check_answers(&rec);
            for k in must_ask {
                assert!(kinds.contains(k), "{preset} {extra:?}: no {k} question in {kinds:?}");
            }
        }
    }
}

/// GIFT, checked the way Moodle reads it: `::name::text {answers}` per question, special
/// characters escaped, a numeric answer `#N`, choice weights that add up to 100 % for the right
/// ones.
fn check_gift(gift: &str, qs: &[Question]) {
    let items: Vec<&str> = gift
        .split("\n\n")
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.starts_with("//"))
        .collect();
    assert_eq!(items.len(), qs.len(), "one GIFT item per question:\n{gift}");
    for (item, q) in items.iter().zip(qs) {
        assert!(item.starts_with("::"), "{item}");
        // the answer block: the first `{` not escaped, to the last `}`
        let bytes: Vec<char> = item.chars().collect();
        let open = (0..bytes.len())
            .find(|&i| bytes[i] == '{' && (i == 0 || bytes[i - 1] != '\\'))
            .expect("an answer block");
        assert!(item.ends_with('}'), "{item}");
        let block: String = bytes[open + 1..bytes.len() - 1].iter().collect();
        let (answers, _feedback) = block.split_once("####").expect("general feedback");
        match q.numeric_answer() {
            Some(n) => assert_eq!(answers.trim(), format!("#{n}")),
            None => {
                let weights: Vec<f64> = answers
                    .split('~')
                    .filter(|a| !a.trim().is_empty())
                    .map(|a| {
                        let w = a
                            .trim()
                            .strip_prefix('%')
                            .expect("a weight")
                            .split('%')
                            .next()
                            .expect("%");
                        w.parse::<f64>().expect("a number")
                    })
                    .collect();
                let right: f64 = weights.iter().filter(|w| **w > 0.0).sum();
                assert!((right - 100.0).abs() < 0.01, "right answers weigh {right}: {item}");
            }
        }
    }
}

/// Moodle XML: parses, one `<question>` per question (plus the category), numeric answers
/// equal, pictures embedded as base64 SVG.
fn check_moodle(xml: &str, qs: &[Question]) {
    use base64::Engine as _;
    let doc = roxmltree::Document::parse(xml).expect("Moodle XML parses");
    let quiz = doc.root_element();
    assert_eq!(quiz.tag_name().name(), "quiz");
    let questions: Vec<_> = quiz
        .children()
        .filter(|n| n.has_tag_name("question") && n.attribute("type") != Some("category"))
        .collect();
    assert_eq!(questions.len(), qs.len());
    for (node, q) in questions.iter().zip(qs) {
        let kind = node.attribute("type").expect("a type");
        match q.numeric_answer() {
            Some(n) => {
                assert_eq!(kind, "numerical");
                let answer = node.children().find(|c| c.has_tag_name("answer")).expect("an answer");
                let value = answer
                    .children()
                    .find(|c| c.has_tag_name("text"))
                    .and_then(|t| t.text());
                assert_eq!(value, Some(n.to_string().as_str()));
            }
            None => assert_eq!(kind, "multichoice"),
        }
        for file in node.descendants().filter(|c| c.has_tag_name("file")) {
            let data = base64::engine::general_purpose::STANDARD
                .decode(file.text().unwrap_or("").trim())
                .expect("base64");
            assert!(text(&data).contains("<svg"), "an embedded SVG picture");
        }
    }
}

#[test]
fn gift_and_moodle_xml_parse_and_carry_the_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    for preset in ["slow-reader", "echo"] {
        let path = record(dir.path(), preset, preset, &[]);
        let rec = Recording::load(&path).expect("loads");
        let qs = questions(&Model::from_events(&rec.events));
        let p = path.to_str().expect("UTF-8");
        let gift = stickyviz(&["questions", p, "--format", "gift"]);
        assert!(gift.status.success(), "{}", text(&gift.stderr));
        check_gift(&text(&gift.stdout), &qs);
        let xml = stickyviz(&["questions", p, "--format", "moodle-xml"]);
        assert!(xml.status.success(), "{}", text(&xml.stderr));
        check_moodle(&text(&xml.stdout), &qs);
        // Markdown with its pictures beside it; the "before" one gives no answer away
        let md_path = dir.path().join(format!("{preset}-quiz.md"));
        let md = stickyviz(&["questions", p, "--out", md_path.to_str().expect("UTF-8")]);
        assert!(md.status.success(), "{}", text(&md.stderr));
        let before = std::fs::read_to_string(dir.path().join(format!("{preset}-quiz-before.svg"))).expect("before");
        let after = std::fs::read_to_string(dir.path().join(format!("{preset}-quiz-after.svg"))).expect("after");
        assert!(!before.contains("class=\"read\"") && !before.contains("class=\"segment\""));
        assert!(after.contains("class=\"read\""), "the whole picture shows the reads");
    }
    // 中文 too, with the same numbers
    let path = record(dir.path(), "zh", "slow-reader", &[]);
    let zh = stickyviz(&[
        "--lang",
        "zh",
        "questions",
        path.to_str().expect("UTF-8"),
        "--format",
        "gift",
    ]);
    assert!(zh.status.success());
    assert!(text(&zh.stdout).contains("recv()") && text(&zh.stdout).contains("第 1 题"));
}

#[test]
fn questions_about_a_run_with_nothing_to_ask_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nothing.json");
    let rec = Recording::new(
        stickyviz::config::Experiment::default(),
        vec![Event::Finished { at_us: 5 }],
    );
    rec.save(&path).expect("saved");
    let out = stickyviz(&["questions", path.to_str().expect("UTF-8")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("nothing to ask"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

/// The x of every message boundary drawn in each half of a compare picture.
fn boundaries(svg: &str) -> Vec<Vec<f64>> {
    let doc = roxmltree::Document::parse(svg).expect("the picture parses");
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("svg") && n.attribute("class") == Some("run"))
        .map(|run| {
            run.descendants()
                .filter(|n| n.attribute("class") == Some("boundary"))
                .map(|n| n.attribute("x1").expect("x1").parse().expect("a number"))
                .collect()
        })
        .collect()
}

#[test]
fn compare_draws_two_runs_on_one_scale_and_says_what_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = record(dir.path(), "a", "slow-reader", &[]);
    let b = record(dir.path(), "b", "slow-reader", &["--read-size", "64"]);
    let out_svg = dir.path().join("ab.svg");
    let out = stickyviz(&[
        "compare",
        a.to_str().expect("UTF-8"),
        b.to_str().expect("UTF-8"),
        "--out",
        out_svg.to_str().expect("UTF-8"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("receiver.read_size: 512 → 64"), "{said}");
    let svg = std::fs::read_to_string(&out_svg).expect("the picture");
    let halves = boundaries(&svg);
    assert_eq!(halves.len(), 2, "both runs drawn");
    // the same messages on one scale: every boundary at the same x in both halves
    assert!(!halves[0].is_empty());
    assert_eq!(halves[0], halves[1], "lanes aligned");
    // a run compared with itself: nothing changed
    let same = stickyviz(&["compare", a.to_str().expect("UTF-8"), a.to_str().expect("UTF-8")]);
    assert!(text(&same.stdout).contains("Nothing"), "{}", text(&same.stdout));
    // a picture name that is not .svg is refused before anything is read
    let bad = stickyviz(&["compare", "x.json", "y.json", "--out", "x.png"]);
    assert_eq!(bad.status.code(), Some(2));
}
