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

/// many-clients: the summary counts connection 0's cuts, and each other connection's section
/// its own, in order; each equals the model's.
#[test]
fn many_clients_counts_every_connections_merged_reads_and_split_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("run.json");
    let out = Command::new(BIN)
        .args(["run", "--preset", "many-clients", "--lang", "en", "--json"])
        .arg(&file)
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let model = Model::from_events(&Recording::load(&file).expect("loads").events);
    let echo = model.echo().expect("a request/response run");
    let values = |label: &str| -> Vec<u64> {
        text.lines()
            .filter(|l| l.starts_with(label))
            .map(|l| l[label.len()..].trim().parse().expect("a number"))
            .collect()
    };
    let all: Vec<&Model> = std::iter::once(&model).chain(echo.connections.iter()).collect();
    assert_eq!(all.len(), 3);
    let merged: Vec<u64> = all.iter().map(|m| m.summary().merged_reads).collect();
    let split: Vec<u64> = all.iter().map(|m| m.summary().split_messages).collect();
    assert_eq!(values("merged reads (粘包)"), merged);
    assert_eq!(values("split messages (半包)"), split);
}
