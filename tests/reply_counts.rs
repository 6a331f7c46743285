//! Issue 26: `run --preset big-reply` says how the client's reads cut the replies, the stream
//! the lesson is about, and its numbers are the model's (one count, one value).

use std::process::Command;

use stickyviz::analysis::Model;
use stickyviz::recording::Recording;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");

/// The value printed after `label` on a summary line.
fn value_after(text: &str, label: &str) -> u64 {
    let line = text
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no line '{label}' in:\n{text}"));
    line[label.len()..]
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("'{line}': {e}"))
}

#[test]
fn big_reply_counts_the_reply_streams_merged_reads_and_split_replies() {
    for (lang, merged, split) in [
        ("en", "reply reads merged (粘包)", "replies split (半包)"),
        ("zh", "回复粘包的读取", "被切开的回复（半包）"),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("run.json");
        let out = Command::new(BIN)
            .args(["run", "--preset", "big-reply", "--lang", lang, "--json"])
            .arg(&file)
            .output()
            .expect("the binary runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let rec = Recording::load(&file).expect("the recording loads");
        let model = Model::from_events(&rec.events);
        let replies = model.echo().expect("a request/response run").replies.summary();
        assert_eq!(value_after(&text, merged), replies.merged_reads, "{lang}");
        assert_eq!(value_after(&text, split), replies.split_messages, "{lang}");
        // forced by the lesson: 2500-byte replies read 1024 bytes at a time
        assert!(replies.split_messages > 0, "{lang}: the replies are cut");
    }
}
