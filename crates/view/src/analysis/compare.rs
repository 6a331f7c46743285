//! Two runs side by side: what changed between them, as typed facts (`describe::compare` words
//! them; `export::compare` draws both runs on one byte scale).
//!
//! Settings are compared field by field through their serialized form (the recording's own
//! names, e.g. `sender.nagle`), so a new setting is compared without a line here. Counts are
//! the summary's, and only those that differ are listed.

use serde_json::Value;

use super::Model;
use crate::config::Experiment;

/// One setting that differs: its dotted name as in a recording's `settings`, and both values
/// as JSON text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingChange {
    pub name: String,
    pub a: String,
    pub b: String,
}

/// A count that differs between the runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    Messages,
    Writes,
    Reads,
    MergedReads,
    SplitMessages,
    ExactReads,
    Segments,
    Frames,
    DecodeErrors,
    DatagramsSent,
    DatagramsReceived,
    DatagramsTruncated,
    MedianLatencyUs,
}

/// What changed from run A to run B.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub settings: Vec<SettingChange>,
    /// `(count, a, b)` for each count that differs.
    pub counts: Vec<(Count, u64, u64)>,
}

/// The settings and counts that differ between run `a` and run `b`.
pub fn changes(a: (&Experiment, &Model), b: (&Experiment, &Model)) -> Changes {
    let mut settings = Vec::new();
    let (va, vb) = (json(a.0), json(b.0));
    diff("", &va, &vb, &mut settings);
    let counts = counts(a.1)
        .into_iter()
        .zip(counts(b.1))
        .filter_map(|((k, x), (_, y))| match (x, y) {
            (Some(x), Some(y)) if x != y => Some((k, x, y)),
            _ => None,
        })
        .collect();
    Changes { settings, counts }
}

fn json(exp: &Experiment) -> Value {
    serde_json::to_value(exp).unwrap_or(Value::Null)
}

fn diff(prefix: &str, a: &Value, b: &Value, out: &mut Vec<SettingChange>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                diff(
                    &name,
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        _ if a != b => out.push(SettingChange {
            name: prefix.to_string(),
            a: a.to_string(),
            b: b.to_string(),
        }),
        _ => {}
    }
}

/// Each count of `m` (None when the run has nothing of that kind to count).
fn counts(m: &Model) -> Vec<(Count, Option<u64>)> {
    let s = m.summary();
    let tcp = s.messages > 0 || s.reads > 0;
    let udp = s.datagrams_sent > 0 || s.datagrams_received > 0;
    let when = |on: bool, v: u64| on.then_some(v);
    vec![
        (Count::Messages, when(tcp, s.messages)),
        (Count::Writes, when(tcp, s.writes)),
        (Count::Reads, when(tcp, s.reads)),
        (Count::MergedReads, when(tcp, s.merged_reads)),
        (Count::SplitMessages, when(tcp, s.split_messages)),
        (Count::ExactReads, when(tcp, s.exact_reads)),
        (Count::Segments, s.segments()),
        (Count::Frames, when(tcp && s.frames > 0, s.frames)),
        (Count::DecodeErrors, when(tcp, s.decode_errors)),
        (Count::DatagramsSent, when(udp, s.datagrams_sent)),
        (Count::DatagramsReceived, when(udp, s.datagrams_received)),
        (Count::DatagramsTruncated, when(udp, s.datagrams_truncated)),
        (Count::MedianLatencyUs, m.echo().and_then(|e| e.median_latency_us())),
    ]
}
