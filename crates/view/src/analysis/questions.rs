//! Predict → reveal: questions about a run, made from the run's own facts, so each answer is
//! what the run did (never what a lesson text expects). Typed here; `describe::questions` words
//! them and `export::questions` writes them for a course platform.
//!
//! A question is asked only when the recorded history is whole (no event dropped by the cap)
//! and its answer is unambiguous: a latency is asked as "about 0 ms or about 40 ms" only when it
//! is clearly one of the two.

use super::{DatagramFate, Model, ReadKind};

/// The most messages offered as choices in [`Question::MergedMessages`].
pub const MAX_CHOICES: usize = 8;
/// A reply latency at or below this is "about 0 ms" (µs).
pub const FAST_US: u64 = 10_000;
/// A reply latency in this range is "about 40 ms", Linux's delayed ACK (µs).
pub const DELAYED_ACK_US: std::ops::RangeInclusive<u64> = 30_000..=80_000;

/// One question, with its answer from the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Question {
    /// How many `recv()` calls returned data, for `messages` messages sent.
    ReadCount { messages: u64, answer: u64 },
    /// Which of the first messages (`choices`, message ids) arrived in one `recv()` together
    /// with another message (粘包); `answer` lists them (empty: none did).
    MergedMessages { choices: Vec<u32>, answer: Vec<u32> },
    /// Where the first `recv()` ended on the byte axis; `boundaries` are the ends of the
    /// messages up to it, for a choice or a click near one.
    FirstReadEnd { boundaries: Vec<u64>, answer: u64 },
    /// Request `request`'s round trip (0-based): about 0 ms, or about 40 ms (Nagle waiting for a
    /// delayed ACK). `latency_us` is what it took.
    RequestLatency { request: u32, latency_us: u64 },
    /// How many of `sent` datagrams arrived (whole or cut short).
    DatagramsArrived { sent: u64, answer: u64 },
}

impl Question {
    /// [`Question::RequestLatency`]'s answer: true for about 40 ms.
    pub fn slow(latency_us: u64) -> bool {
        DELAYED_ACK_US.contains(&latency_us)
    }

    /// The number a numeric question asks for (`None` for a choice question).
    pub fn numeric_answer(&self) -> Option<u64> {
        match self {
            Self::ReadCount { answer, .. } | Self::DatagramsArrived { answer, .. } => Some(*answer),
            Self::FirstReadEnd { answer, .. } => Some(*answer),
            Self::MergedMessages { .. } | Self::RequestLatency { .. } => None,
        }
    }
}

/// The questions `model` can answer, in the order a class would meet them (at most one of each
/// kind). Empty for a run whose history was capped or that recorded nothing to ask about.
pub fn questions(model: &Model) -> Vec<Question> {
    let mut out = Vec::new();
    if model.history_capped() || !model.finished() {
        return out;
    }
    let s = model.summary();
    if !model.reads().is_empty() && !model.messages().is_empty() {
        out.push(Question::ReadCount {
            messages: s.messages,
            answer: model.reads().len() as u64,
        });
        if let Some(q) = merged_messages(model) {
            out.push(q);
        }
        if let Some(q) = first_read_end(model) {
            out.push(q);
        }
    }
    if let Some(q) = request_latency(model) {
        out.push(q);
    }
    if !model.datagrams().is_empty() && model.datagrams().iter().all(|d| d.sent) {
        let arrived = model
            .datagrams()
            .iter()
            .filter(|d| {
                matches!(
                    model.datagram_fate(d),
                    DatagramFate::Delivered | DatagramFate::Truncated { .. }
                )
            })
            .count() as u64;
        out.push(Question::DatagramsArrived {
            sent: model.datagrams().len() as u64,
            answer: arrived,
        });
    }
    out
}

fn merged_messages(model: &Model) -> Option<Question> {
    let choices: Vec<u32> = model.messages().iter().take(MAX_CHOICES).map(|m| m.id.0).collect();
    if choices.len() < 2 {
        return None;
    }
    let mut merged = std::collections::BTreeSet::new();
    for read in model.reads() {
        match model.read_kind(read) {
            ReadKind::Merged { .. } => {
                for m in &model.messages()[model.messages_in(read.offset, read.end())] {
                    merged.insert(m.id.0);
                }
            }
            // a read whose messages are not known makes the answer unknown: not asked
            ReadKind::Unknown => return None,
            ReadKind::Exact | ReadKind::Partial => {}
        }
    }
    let answer = choices.iter().copied().filter(|id| merged.contains(id)).collect();
    Some(Question::MergedMessages { choices, answer })
}

fn first_read_end(model: &Model) -> Option<Question> {
    let first = model.reads().first()?;
    let end = first.end();
    let boundaries: Vec<u64> = model
        .messages()
        .iter()
        .map(|m| m.end())
        .take_while(|&b| b <= end.max(1))
        .chain(model.messages().iter().map(|m| m.end()).find(|&b| b > end))
        .collect();
    Some(Question::FirstReadEnd {
        boundaries,
        answer: end,
    })
}

fn request_latency(model: &Model) -> Option<Question> {
    let echo = model.echo()?;
    // the fifth request, as a textbook asks (or the last when there are fewer): which one is
    // asked does not depend on how the run went
    let i = echo.rounds.len().checked_sub(1)?.min(4);
    let round = echo.rounds[i];
    let latency_us = round.latency_us;
    let clear = latency_us <= FAST_US || Question::slow(latency_us);
    clear.then_some(Question::RequestLatency {
        request: round.index,
        latency_us,
    })
}
