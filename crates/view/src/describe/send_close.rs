//! The course's last two lessons in words (issue 32): bytes a program never sent, the closing
//! handshake, the socket table after `close()` and the second server's `bind()`.

use crate::analysis::{BindRec, Model, NeverSentRec, Summary};
use crate::facts::{BindWhen, Side, TableEntry};
use crate::i18n::{t, tf, Lang, S};

/// The bytes a program dropped itself, said as its doing, not TCP's.
pub fn never_sent_value(s: &Summary, lang: Lang) -> String {
    tf(
        lang,
        S::SumNeverSentValue,
        &[("bytes", &crate::i18n::grouped(s.never_sent_bytes))],
    )
}

/// One never-sent mark as a line of the text timeline: which message, how many bytes, and
/// where the stream went on without them.
pub fn never_sent_row(n: &NeverSentRec, lang: Lang) -> String {
    tf(
        lang,
        S::TtNeverSent,
        &[
            ("msg", &n.msg),
            ("at", &n.at_us),
            ("bytes", &crate::i18n::grouped(u64::from(n.len))),
            ("offset", &n.offset),
        ],
    )
}

/// The writes count when the program ignored `send()`'s count: its short writes were not
/// followed by another `send()` (else [`super::writes_value`]'s wording).
pub fn writes_ignoring_value(s: &Summary, lang: Lang) -> String {
    tf(
        lang,
        S::SumWritesShortIgnored,
        &[("writes", &s.writes), ("short", &s.short_writes)],
    )
}

/// The two ends of the lesson by their role: the client connects, the server accepted.
pub fn role(side: Side, lang: Lang) -> &'static str {
    match side {
        Side::TcpReceiver => t(lang, S::SideServer),
        _ => t(lang, S::SideClient),
    }
}

/// The closing handshake as captured, one line per packet, with its time.
pub fn closing_lines(model: &Model, lang: Lang) -> Vec<String> {
    if model.closing().is_empty() {
        return match model.segments_unavailable() {
            Some(why) => vec![tf(
                lang,
                S::CloseNotCaptured,
                &[("why", &super::capture_unavailable(why, lang))],
            )],
            None => Vec::new(),
        };
    }
    model
        .closing()
        .iter()
        .map(|c| {
            let key = if c.fin { S::CloseFin } else { S::CloseAck };
            let ms = c.at_us as f64 / 1000.0;
            format!("{ms:>9.3} ms  {}", tf(lang, key, &[("side", &role(c.from, lang))]))
        })
        .collect()
}

/// What the socket table said about each end, then why the first closer waits.
pub fn table_lines(model: &Model, lang: Lang) -> Vec<String> {
    let Some(r) = model.restart() else { return Vec::new() };
    let mut out: Vec<String> = r
        .table
        .iter()
        .map(|row| {
            let who = role(row.side, lang);
            match &row.entry {
                TableEntry::Listed { state } => tf(
                    lang,
                    S::TableListed,
                    &[
                        ("side", &who),
                        ("local", &row.local),
                        ("remote", &row.remote),
                        ("state", &state.name()),
                    ],
                ),
                TableEntry::Gone => tf(
                    lang,
                    S::TableGone,
                    &[("side", &who), ("local", &row.local), ("remote", &row.remote)],
                ),
                TableEntry::Unreadable { error } => {
                    tf(lang, S::TableUnreadable, &[("error", &super::os_error(error, lang))])
                }
                TableEntry::NotLinux => t(lang, S::TableNotLinux).to_string(),
            }
        })
        .collect();
    // one line for an OS whose table was not read is enough
    out.dedup();
    if r.time_wait_side().is_some() {
        out.push(t(lang, S::TimeWaitWhy).to_string());
    }
    out
}

/// One second server's `bind()` and what the OS answered.
pub fn bind_line(b: &BindRec, lang: Lang) -> String {
    let key = match b.when {
        BindWhen::WhileListening => S::BindWhileListening,
        BindWhen::AfterClose => S::BindAfterClose,
    };
    let on_off = t(lang, if b.reuse_addr { S::On } else { S::Off });
    let result = match &b.error {
        None => t(lang, S::BindBound).to_string(),
        Some(e) if b.address_in_use() => tf(lang, S::BindAddrInUse, &[("error", &super::os_error(e, lang))]),
        Some(e) => tf(lang, S::BindFailedOther, &[("error", &super::os_error(e, lang))]),
    };
    tf(lang, key, &[("port", &b.port), ("reuse", &on_off), ("result", &result)])
}

/// Everything the address-in-use run found, in the order it happened (none for other runs).
pub fn restart_lines(model: &Model, lang: Lang) -> Vec<String> {
    let Some(r) = model.restart() else { return Vec::new() };
    let mut out = closing_lines(model, lang);
    out.extend(
        r.binds
            .iter()
            .filter(|b| b.when == BindWhen::WhileListening)
            .map(|b| bind_line(b, lang)),
    );
    out.extend(table_lines(model, lang));
    out.extend(
        r.binds
            .iter()
            .filter(|b| b.when == BindWhen::AfterClose)
            .map(|b| bind_line(b, lang)),
    );
    out.push(t(lang, S::WindowsReuseNote).to_string());
    out
}
