//! The causes of a run in words: one sentence per [`Cause`], naming the events as the picture
//! does (writes `w3`, reads `r5`, messages `m2`, requests by number).

use crate::analysis::causes::{Cause, Causes, DropPlace, Effect, EventIx, Located, Missing};
use crate::analysis::Model;
use crate::i18n::{grouped, t, tf, Lang, S};

/// Microseconds as milliseconds with one decimal.
fn ms(us: u64) -> String {
    format!("{:.1}", us as f64 / 1000.0)
}

/// The number the picture gives event `ix` (a write's or a read's), or `?` when not kept.
fn num(model: &Model, ix: EventIx) -> String {
    match model.locate(ix) {
        Some(Located::Write(i) | Located::Read(i) | Located::Frame(i) | Located::DecodeError(i)) => i.to_string(),
        Some(Located::Round(n)) => n.to_string(),
        _ => "?".into(),
    }
}

fn effect(e: &Effect, model: &Model, lang: Lang) -> String {
    match *e {
        Effect::Stall { round, latency_us, .. } => {
            tf(lang, S::EffectStall, &[("round", &round), ("latency", &ms(latency_us))])
        }
        Effect::MergedRead { read } => tf(lang, S::EffectMerged, &[("read", &num(model, read))]),
        Effect::SplitMessage { read, msg } => tf(lang, S::EffectSplit, &[("read", &num(model, read)), ("msg", &msg.0)]),
        Effect::DecodeError { .. } => t(lang, S::EffectDecodeError).into(),
        Effect::Resent { .. } => t(lang, S::EffectResent).into(),
        Effect::DatagramsDropped { datagrams, .. } => tf(lang, S::EffectDropped, &[("count", &datagrams)]),
    }
}

fn missing(m: Missing, lang: Lang) -> &'static str {
    t(
        lang,
        match m {
            Missing::Capture => S::MissingCapture,
            Missing::Acks => S::MissingAcks,
            Missing::PastCapture => S::MissingPastCapture,
            Missing::Unproven => S::MissingUnproven,
        },
    )
}

/// One cause in one sentence.
pub fn cause(c: &Cause, model: &Model, lang: Lang) -> String {
    let n = |ix: EventIx| num(model, ix);
    match c {
        Cause::Nagle {
            write,
            writes,
            held_us,
            ack_delay_us,
            delayed_ack,
            round,
            ..
        } => {
            let key = if *delayed_ack {
                S::CauseNagleDelayed
            } else {
                S::CauseNagle
            };
            let s = tf(
                lang,
                key,
                &[
                    ("write", &n(*write)),
                    ("writes", writes),
                    ("held", &ms(*held_us)),
                    ("delay", &ms(*ack_delay_us)),
                ],
            );
            match round {
                Some(r) => tf(lang, S::CauseRound, &[("round", r), ("cause", &s)]),
                None => s,
            }
        }
        Cause::Unsent {
            write, notsent, round, ..
        } => {
            let s = tf(
                lang,
                S::CauseUnsent,
                &[("write", &n(*write)), ("bytes", &grouped(u64::from(*notsent)))],
            );
            tf(lang, S::CauseRound, &[("round", round), ("cause", &s)])
        }
        Cause::WireMerged { read, .. } => tf(lang, S::CauseWireMerged, &[("read", &n(*read))]),
        Cause::BehindGap { read, .. } => tf(lang, S::CauseBehindGap, &[("read", &n(*read))]),
        Cause::ReaderLate {
            read,
            waited_us,
            first_read,
            ..
        } => tf(
            lang,
            if *first_read {
                S::CauseReaderLate
            } else {
                S::CauseReaderSlow
            },
            &[("read", &n(*read)), ("waited", &ms(*waited_us))],
        ),
        Cause::ReadFull {
            read,
            requested,
            msg,
            message_len,
        } => tf(
            lang,
            if requested < message_len {
                S::CauseReadSmaller
            } else {
                S::CauseReadFull
            },
            &[
                ("read", &n(*read)),
                ("msg", &msg.0),
                ("requested", requested),
                ("len", &grouped(u64::from(*message_len))),
            ],
        ),
        Cause::RestWrittenLater {
            read,
            msg,
            write,
            later_us,
        } => tf(
            lang,
            S::CauseRestWrittenLater,
            &[
                ("read", &n(*read)),
                ("msg", &msg.0),
                ("write", &n(*write)),
                ("later", &ms(*later_us)),
            ],
        ),
        Cause::RestArrivedLater {
            read, msg, later_us, ..
        } => tf(
            lang,
            S::CauseRestArrivedLater,
            &[("read", &n(*read)), ("msg", &msg.0), ("later", &ms(*later_us))],
        ),
        Cause::OutOfStep { read, asked, got, .. } => tf(
            lang,
            S::CauseOutOfStep,
            &[
                ("read", &n(*read)),
                ("asked", &grouped(*asked)),
                ("got", &grouped(*got)),
            ],
        ),
        Cause::NeverSentBefore { msg, lost, offset, .. } => tf(
            lang,
            S::CauseNeverSentBefore,
            &[
                ("offset", &grouped(*offset)),
                ("msg", &msg.0),
                ("lost", &grouped(u64::from(*lost))),
            ],
        ),
        Cause::ZeroWindow {
            zero_acks,
            unread,
            read,
            closed_us,
            ..
        } => {
            let base: [(&str, &dyn std::fmt::Display); 2] = [("acks", zero_acks), ("unread", &grouped(*unread))];
            match (read, closed_us) {
                (Some(r), Some(c)) => tf(
                    lang,
                    S::CauseZeroWindow,
                    &[base[0], base[1], ("read", &n(*r)), ("closed", &ms(*c))],
                ),
                (None, Some(c)) => tf(lang, S::CauseZeroWindowOpened, &[base[0], base[1], ("closed", &ms(*c))]),
                _ => tf(lang, S::CauseZeroWindowShut, &base),
            }
        }
        Cause::QueueDrop {
            lost_offset,
            lost_len,
            blocked_us,
            blocked_read,
            ..
        } => {
            let base: [(&str, &dyn std::fmt::Display); 3] = [
                ("len", &grouped(*lost_len)),
                ("offset", &grouped(*lost_offset)),
                ("blocked", &ms(*blocked_us)),
            ];
            match blocked_read {
                Some(r) => tf(lang, S::CauseQueueDrop, &[base[0], base[1], base[2], ("read", &n(*r))]),
                None => tf(lang, S::CauseQueueDropUnread, &base),
            }
        }
        Cause::UdpTruncated { buffer, real_len, .. } => tf(
            lang,
            S::CauseUdpTruncated,
            &[
                ("real", &grouped(u64::from(*real_len))),
                ("buffer", &grouped(u64::from(*buffer))),
                ("lost", &grouped(u64::from(real_len - buffer))),
            ],
        ),
        Cause::UdpDropped { datagrams, at, .. } => match at {
            DropPlace::ReceiveBuffer { unread } => tf(
                lang,
                S::CauseUdpDroppedBuffer,
                &[("count", datagrams), ("unread", unread)],
            ),
            DropPlace::Link { unread, rcvbuf } => tf(
                lang,
                S::CauseUdpDroppedLink,
                &[("count", datagrams), ("unread", unread), ("rcvbuf", &grouped(*rcvbuf))],
            ),
        },
        Cause::ShortWrite {
            write,
            requested,
            accepted,
            never_sent,
        } => {
            let args: [(&str, &dyn std::fmt::Display); 3] = [
                ("write", &n(*write)),
                ("accepted", &grouped(u64::from(*accepted))),
                ("requested", &grouped(u64::from(*requested))),
            ];
            match never_sent {
                Some(_) => tf(
                    lang,
                    S::CauseShortWriteIgnored,
                    &[
                        args[0],
                        args[1],
                        args[2],
                        ("lost", &grouped(u64::from(requested - accepted))),
                    ],
                ),
                None => tf(lang, S::CauseShortWrite, &args),
            }
        }
        Cause::NotTold { effect: e, missing: m } => tf(
            lang,
            S::CauseNotTold,
            &[("effect", &effect(e, model, lang)), ("why", &missing(*m, lang))],
        ),
    }
}

/// The order a report lists causes in: what a lesson is about first, not-told last.
fn rank(c: &Cause) -> u8 {
    match c {
        Cause::Nagle { delayed_ack: true, .. } => 0,
        Cause::Unsent { .. } => 1,
        Cause::Nagle { .. } => 2,
        Cause::ShortWrite { .. } => 3,
        Cause::OutOfStep { .. } => 4,
        Cause::NeverSentBefore { .. } => 4,
        Cause::ZeroWindow { .. } => 5,
        Cause::QueueDrop { .. } => 6,
        Cause::UdpTruncated { .. } => 7,
        Cause::UdpDropped { .. } => 8,
        Cause::ReaderLate { .. } => 9,
        Cause::WireMerged { .. } => 10,
        Cause::BehindGap { .. } => 10,
        Cause::ReadFull { .. } => 11,
        Cause::RestWrittenLater { .. } => 12,
        Cause::RestArrivedLater { .. } => 13,
        Cause::NotTold { .. } => 14,
    }
}

/// The causes a report shows, per kind in [`rank`] order: the first `per_kind` of each kind and
/// how many more of it there are.
pub fn shown(causes: &Causes, per_kind: usize) -> Vec<(Vec<&Cause>, u64)> {
    let mut sorted: Vec<&Cause> = causes.list.iter().collect();
    sorted.sort_by_key(|c| rank(c));
    sorted
        .chunk_by(|a, b| rank(a) == rank(b))
        .map(|group| {
            let more = group.len().saturating_sub(per_kind) as u64;
            (group.iter().take(per_kind).copied().collect(), more)
        })
        .collect()
}

/// The causes section of a report: a title, then per kind of cause (in [`rank`] order) its
/// first `per_kind` causes, one line each, and how many more of that kind.
pub fn section(causes: &Causes, model: &Model, lang: Lang, per_kind: usize) -> Vec<String> {
    let mut lines = vec![t(lang, S::CausesTitle).to_string()];
    if causes.is_empty() {
        lines.push(format!("  {}", t(lang, S::CausesNone)));
    }
    for (shown, more) in shown(causes, per_kind) {
        lines.extend(shown.iter().map(|c| format!("  {}", cause(c, model, lang))));
        if more > 0 {
            lines.push(format!("  {}", tf(lang, S::CausesMore, &[("count", &grouped(more))])));
        }
    }
    if causes.not_listed > 0 {
        lines.push(format!(
            "  {}",
            tf(lang, S::CausesMore, &[("count", &grouped(causes.not_listed))])
        ));
    }
    if causes.incomplete {
        lines.push(format!("  {}", t(lang, S::CausesIncomplete)));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::MsgId;

    /// One of each cause (the match does not compile until a new variant has a sample).
    fn samples() -> Vec<Cause> {
        let e = EventIx(0);
        let all = vec![
            Cause::Nagle {
                write: e,
                last_write: e,
                writes: 2,
                previous_segment: e,
                ack: e,
                held_segment: e,
                held_us: 40_100,
                ack_delay_us: 40_000,
                delayed_ack: true,
                round: Some(3),
                round_event: None,
            },
            Cause::Unsent {
                write: e,
                notsent: 96,
                round: 1,
                round_event: e,
            },
            Cause::WireMerged { read: e, segment: e },
            Cause::ReaderLate {
                read: e,
                arrived: e,
                waited_us: 50_000,
                first_read: true,
            },
            Cause::BehindGap { read: e, resent: e },
            Cause::ReadFull {
                read: e,
                requested: 100,
                msg: MsgId(1),
                message_len: 1000,
            },
            Cause::RestWrittenLater {
                read: e,
                msg: MsgId(1),
                write: e,
                later_us: 20_000,
            },
            Cause::RestArrivedLater {
                read: e,
                msg: MsgId(1),
                segment: e,
                later_us: 40_000,
            },
            Cause::OutOfStep {
                read: e,
                short_read: e,
                asked: 2500,
                got: 996,
                next_error: None,
            },
            Cause::NeverSentBefore {
                error: e,
                never_sent: e,
                msg: MsgId(0),
                lost: 39_524,
                offset: 60_004,
            },
            Cause::ZeroWindow {
                zero_ack: e,
                zero_acks: 2,
                unread: 4096,
                read: Some(e),
                reopen_ack: Some(e),
                closed_us: Some(2_000),
            },
            Cause::QueueDrop {
                lost_offset: 100,
                lost_len: 1448,
                overtaken_by: e,
                resent: e,
                blocked_us: 10_000,
                blocked_read: Some(e),
            },
            Cause::UdpTruncated {
                received: e,
                sent: None,
                buffer: 100,
                real_len: 198,
            },
            Cause::UdpDropped {
                first: e,
                last: e,
                datagrams: 5,
                at: DropPlace::Link {
                    unread: 2,
                    rcvbuf: 212_992,
                },
            },
            Cause::ShortWrite {
                write: e,
                requested: 60_004,
                accepted: 20_480,
                never_sent: Some(e),
            },
            Cause::NotTold {
                effect: Effect::Stall {
                    round: 2,
                    latency_us: 41_000,
                    at: e,
                },
                missing: Missing::Unproven,
            },
        ];
        for c in &all {
            match c {
                Cause::Nagle { .. }
                | Cause::Unsent { .. }
                | Cause::WireMerged { .. }
                | Cause::ReaderLate { .. }
                | Cause::BehindGap { .. }
                | Cause::ReadFull { .. }
                | Cause::RestWrittenLater { .. }
                | Cause::RestArrivedLater { .. }
                | Cause::OutOfStep { .. }
                | Cause::NeverSentBefore { .. }
                | Cause::ZeroWindow { .. }
                | Cause::QueueDrop { .. }
                | Cause::UdpTruncated { .. }
                | Cause::UdpDropped { .. }
                | Cause::ShortWrite { .. }
                | Cause::NotTold { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_cause_is_said_in_both_languages() {
        let model = Model::default();
        for c in samples() {
            let (en, zh) = (cause(&c, &model, Lang::En), cause(&c, &model, Lang::Zh));
            assert!(!en.is_empty() && en != zh && !zh.contains('{'), "{c:?}: {en} / {zh}");
        }
    }
}
