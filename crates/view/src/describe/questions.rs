//! Words for predict → reveal questions and for what changed between two runs.

use crate::analysis::compare::{Changes, Count};
use crate::analysis::questions::Question;
use crate::i18n::{t, tf, Lang, S};

/// A question's prompt.
pub fn prompt(q: &Question, lang: Lang) -> String {
    match q {
        Question::ReadCount { messages, .. } => tf(lang, S::QReadCount, &[("messages", messages)]),
        Question::MergedMessages { .. } => t(lang, S::QMerged).to_string(),
        Question::FirstReadEnd { .. } => t(lang, S::QFirstReadEnd).to_string(),
        // people count requests from 1
        Question::RequestLatency { request, .. } => tf(lang, S::QLatency, &[("request", &(request + 1))]),
        Question::DatagramsArrived { sent, .. } => tf(lang, S::QDatagrams, &[("sent", sent)]),
    }
}

/// The choices of a choice question, each with whether it is right; empty for a numeric one.
pub fn choices(q: &Question, lang: Lang) -> Vec<(String, bool)> {
    match q {
        Question::MergedMessages { choices, answer } => choices
            .iter()
            .map(|id| (format!("m{id}"), answer.contains(id)))
            .chain(std::iter::once((
                t(lang, S::QMergedNone).to_string(),
                answer.is_empty(),
            )))
            .collect(),
        Question::RequestLatency { latency_us, .. } => {
            let slow = Question::slow(*latency_us);
            vec![
                (t(lang, S::QLatencyFast).to_string(), !slow),
                (t(lang, S::QLatencySlow).to_string(), slow),
            ]
        }
        _ => Vec::new(),
    }
}

/// The reveal: what the run did, in one sentence.
pub fn answer(q: &Question, lang: Lang) -> String {
    match q {
        Question::ReadCount { answer, .. } => tf(lang, S::QAnsReadCount, &[("answer", answer)]),
        Question::MergedMessages { answer, .. } if answer.is_empty() => t(lang, S::QAnsMergedNone).to_string(),
        Question::MergedMessages { answer, .. } => {
            let list = answer.iter().map(|id| format!("m{id}")).collect::<Vec<_>>().join(", ");
            tf(lang, S::QAnsMerged, &[("list", &list)])
        }
        Question::FirstReadEnd { answer, .. } => tf(lang, S::QAnsFirstReadEnd, &[("answer", answer)]),
        Question::RequestLatency { latency_us, .. } => {
            let ms = format!("{:.1}", *latency_us as f64 / 1000.0);
            tf(lang, S::QAnsLatency, &[("ms", &ms)])
        }
        Question::DatagramsArrived { sent, answer } => {
            tf(lang, S::QAnsDatagrams, &[("answer", answer), ("sent", sent)])
        }
    }
}

fn count_name(c: Count, lang: Lang) -> &'static str {
    t(
        lang,
        match c {
            Count::Messages => S::SumMessages,
            Count::Writes => S::SumWrites,
            Count::Reads => S::SumReads,
            Count::MergedReads => S::SumMerged,
            Count::SplitMessages => S::SumSplit,
            Count::ExactReads => S::SumExact,
            Count::Segments => S::StatSegments,
            Count::Frames => S::SumFrames,
            Count::DecodeErrors => S::SumDecodeErrors,
            Count::DatagramsSent => S::SumDgSent,
            Count::DatagramsReceived => S::SumDgReceived,
            Count::DatagramsTruncated => S::SumDgTruncated,
            Count::MedianLatencyUs => S::CmpMedianLatency,
        },
    )
}

/// "What changed from A to B" as lines: a title, then one line per setting and per count.
pub fn changes(c: &Changes, lang: Lang) -> Vec<String> {
    let mut out = vec![t(lang, S::CmpTitle).to_string()];
    if c.settings.is_empty() && c.counts.is_empty() {
        out.push(format!("  {}", t(lang, S::CmpNothing)));
        return out;
    }
    if !c.settings.is_empty() {
        out.push(format!("  {}:", t(lang, S::CmpSettings)));
        out.extend(c.settings.iter().map(|s| format!("    {}: {} → {}", s.name, s.a, s.b)));
    }
    if !c.counts.is_empty() {
        out.push(format!("  {}:", t(lang, S::CmpCounts)));
        out.extend(
            c.counts
                .iter()
                .map(|(k, a, b)| format!("    {}: {a} → {b}", count_name(*k, lang))),
        );
    }
    out
}
