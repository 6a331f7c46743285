//! "Test your server" in words: each scenario's name and what its cut simulates, and one line
//! per result saying what was sent, what came back and, on a failure, what the server did.

use super::os_error;
use crate::facts::torture::{Received, Scenario, ScenarioReport, Sent, Verdict};
use crate::i18n::{grouped, t, tf, Lang, S};

/// The scenario's short name ("length prefix split").
pub fn scenario_name(s: Scenario, lang: Lang) -> &'static str {
    t(
        lang,
        match s {
            Scenario::OneFrame => S::TortureOneFrame,
            Scenario::ManyInOneWrite => S::TortureManyInOneWrite,
            Scenario::ByteWrites => S::TortureByteWrites,
            Scenario::HeaderApart => S::TortureHeaderApart,
            Scenario::PrefixSplit => S::TorturePrefixSplit,
            Scenario::EmptyBody => S::TortureEmptyBody,
            Scenario::LargeBody => S::TortureLargeBody,
            Scenario::TwoClients => S::TortureTwoClients,
        },
    )
}

/// What the scenario's cut simulates and which server mistake it catches (the window's tooltip).
pub fn scenario_tip(s: Scenario, lang: Lang) -> &'static str {
    t(
        lang,
        match s {
            Scenario::OneFrame => S::TortureOneFrameTip,
            Scenario::ManyInOneWrite => S::TortureManyInOneWriteTip,
            Scenario::ByteWrites => S::TortureByteWritesTip,
            Scenario::HeaderApart => S::TortureHeaderApartTip,
            Scenario::PrefixSplit => S::TorturePrefixSplitTip,
            Scenario::EmptyBody => S::TortureEmptyBodyTip,
            Scenario::LargeBody => S::TortureLargeBodyTip,
            Scenario::TwoClients => S::TortureTwoClientsTip,
        },
    )
}

/// "pass", "FAIL" or "n/a".
pub fn verdict_mark(v: &Verdict, lang: Lang) -> &'static str {
    t(
        lang,
        match v {
            Verdict::Pass => S::TorturePass,
            Verdict::NotApplicable => S::TortureNotApplicable,
            _ => S::TortureFail,
        },
    )
}

/// What happened, in a sentence: why it failed, or how the server answered.
pub fn verdict(v: &Verdict, r: &Received, lang: Lang) -> String {
    match v {
        Verdict::Pass if r.upper_cased => t(lang, S::TortureAnsweredUpper).into(),
        Verdict::Pass => t(lang, S::TortureAnsweredSame).into(),
        Verdict::NotApplicable => t(lang, S::TortureNoSuchPart).into(),
        Verdict::Timeout { waited_ms } => tf(lang, S::TortureTimeout, &[("waited_ms", waited_ms)]),
        Verdict::NotConcurrent { waited_ms } => tf(lang, S::TortureNotConcurrent, &[("waited_ms", waited_ms)]),
        Verdict::Closed => t(lang, S::TortureClosed).into(),
        Verdict::Reset { error } => tf(lang, S::TortureReset, &[("error", &os_error(error, lang))]),
        Verdict::ConnectFailed { error } => tf(lang, S::TortureConnectFailed, &[("error", &os_error(error, lang))]),
        Verdict::SendFailed { error } => tf(lang, S::TortureSendFailed, &[("error", &os_error(error, lang))]),
        Verdict::RecvFailed { error } => tf(lang, S::TortureRecvFailed, &[("error", &os_error(error, lang))]),
        Verdict::BadReply { error } => tf(
            lang,
            S::TortureBadReply,
            &[("error", &super::decode_error(error, lang))],
        ),
        Verdict::WrongPayload { frame } => tf(lang, S::TortureWrongPayload, &[("answer", &(frame + 1))]),
        Verdict::Stopped => t(lang, S::TortureStopped).into(),
    }
}

/// "28 B in 2 writes 100 ms apart, frames 1: \x00\x00\x00\x18hello…"
pub fn sent(s: &Sent, lang: Lang) -> String {
    let how = match (s.writes, s.pause_ms) {
        (1, _) => t(lang, S::TortureOneWrite).to_owned(),
        (n, 0) => tf(lang, S::TortureWrites, &[("count", &n)]),
        (n, ms) => tf(lang, S::TortureWritesApart, &[("count", &n), ("ms", &ms)]),
    };
    tf(
        lang,
        S::TortureSent,
        &[
            ("bytes", &grouped(s.bytes)),
            ("how", &how),
            ("frames", &s.frames),
            ("preview", &preview(&s.preview, s.bytes)),
        ],
    )
}

/// "28 B, whole frames 1: \x00\x00\x00\x18HELLO…", or "nothing".
pub fn received(r: &Received, lang: Lang) -> String {
    if r.bytes == 0 {
        return t(lang, S::TortureNothingBack).into();
    }
    tf(
        lang,
        S::TortureReceived,
        &[
            ("bytes", &grouped(r.bytes)),
            ("frames", &r.frames),
            ("preview", &preview(&r.preview, r.bytes)),
        ],
    )
}

/// One report as a line of the CLI: mark, name, then sent / back / what happened.
pub fn report_line(r: &ScenarioReport, lang: Lang) -> String {
    let mark = verdict_mark(&r.verdict, lang);
    let name = scenario_name(r.scenario, lang);
    if r.verdict == Verdict::NotApplicable {
        return format!("{mark:<5} {name}: {}", verdict(&r.verdict, &r.received, lang));
    }
    format!(
        "{mark:<5} {name}: {}\n        {}: {}\n        {}: {}",
        verdict(&r.verdict, &r.received, lang),
        t(lang, S::TortureSentLabel),
        sent(&r.sent, lang),
        t(lang, S::TortureBackLabel),
        received(&r.received, lang),
    )
}

/// Bytes as text a student can read: printable ASCII as is (quotes too, so a JSON header reads
/// as JSON), the rest as `\xNN`, then `…` when there was more than shown.
pub fn preview(bytes: &[u8], total: u64) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    for &b in bytes {
        match b {
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    if (bytes.len() as u64) < total {
        out.push('…');
    }
    format!("\"{out}\"")
}
