//! Domain facts in words: the one place where a typed fact of the engine, the decoder, the
//! settings or the analysis becomes a sentence, in the language the caller passes.
//!
//! Above `analysis` and below `export`, `cli` and `ui`; the words themselves come from the
//! bilingual table in `i18n`, which imports nothing of the crate. The OS's own words inside an
//! [`OsError`](crate::facts::OsError) are data and stay as the OS wrote them.

use crate::analysis::{ClientRec, Problem, ProblemKind, Summary, Violation};
use crate::config::{LinkField, LinkProblem, SettingError, SettingProblem, MAX_MESSAGE_SIZE};
use crate::facts::{
    Call, CaptureUnavailable, ClientOutcome, Fault, LinkFailure, NamespaceBlock, NamespaceStep, PanickedThread, Side,
};
use crate::framing::{ByteOrder, DecodeError, FramePart, JsonProblem, LengthField, MAX_MAX_FRAME_LEN};
use crate::i18n::{grouped, range_text, t, tf, Lang, S};

/// Why the segment lane is empty.
pub fn capture_unavailable(why: &CaptureUnavailable, lang: Lang) -> String {
    use CaptureUnavailable as C;
    match why {
        C::NeedsPrivilege { error } => tf(lang, S::CapNeedsRoot, &[("error", &os_error(error, lang))]),
        C::CannotOpen { error } => tf(lang, S::CapCannotOpen, &[("error", &os_error(error, lang))]),
        C::Setup { error } => tf(lang, S::CapSetup, &[("error", &os_error(error, lang))]),
        C::TimestampsRefused { error } => tf(lang, S::CapTimestampsRefused, &[("error", &os_error(error, lang))]),
        C::NoKernelTimestamps => t(lang, S::CapNoKernelTimestamps).into(),
        C::OnlyLoopback => t(lang, S::CapOnlyLoopback).into(),
        C::ManyClients => t(lang, S::CapManyClients).into(),
        C::Listen => t(lang, S::CapListen).into(),
        C::Replies => t(lang, S::CapReplies).into(),
        C::NeedsLinuxCounts => t(lang, S::CapNeedsLinuxCounts).into(),
        C::NeedsLinuxNoCounts => t(lang, S::CapNeedsLinuxNoCounts).into(),
        C::Traced => t(lang, S::CapTraced).into(),
        C::Text { text } => text.clone(),
    }
}

/// The name of a call, as the failure sentence puts it: C function names stay as they are.
fn call(c: &Call, lang: Lang) -> String {
    match c {
        Call::Send => "send()".into(),
        Call::Recv => "recv()".into(),
        Call::SendTo => "sendto()".into(),
        Call::RecvFrom => "recvfrom()".into(),
        Call::Accept => "accept()".into(),
        Call::SetSockOpt => "setsockopt()".into(),
        Call::GetSockOpt { opt } => tf(lang, S::CallReadingOpt, &[("opt", &format!("{opt:?}"))]),
        Call::Uncork => "uncork".into(),
        Call::EchoSend => "echo send()".into(),
        Call::EchoSendTo => "echo sendto()".into(),
        Call::SpawnThread => "std::thread::spawn".into(),
        Call::Capture => t(lang, S::CallCapture).into(),
        Call::PacketStatistics => tf(lang, S::CallReadingOpt, &[("opt", &"PACKET_STATISTICS")]),
        Call::Named { name } => name.clone(),
    }
}

/// What went wrong, in one clause.
pub fn fault(f: &Fault, lang: Lang) -> String {
    match f {
        Fault::CallFailed {
            call: Call::SpawnThread,
            error,
        } => tf(lang, S::FaultThread, &[("error", &os_error(error, lang))]),
        Fault::CallFailed { call: c, error } => tf(
            lang,
            S::SysFailed,
            &[("call", &call(c, lang)), ("error", &os_error(error, lang))],
        ),
        Fault::PeerGone { error } => os_error(error, lang),
        Fault::HandshakeRefused => t(lang, S::HsRefused).into(),
        Fault::HandshakeRefusedShort => t(lang, S::HsRefusedShort).into(),
        Fault::ClientClosedInHandshake => t(lang, S::HsClientClosed).into(),
        Fault::ServerClosedBeforeChallenge => t(lang, S::HsServerClosed).into(),
        Fault::ServerClosedBeforeReply => t(lang, S::EchoServerClosed).into(),
        Fault::ClosedBadHeader => t(lang, S::ListenClosedBadHeader).into(),
        Fault::NoRandom { error } => tf(lang, S::FaultNoRandom, &[("error", &os_error(error, lang))]),
        Fault::HandshakeUnframed { framing } => tf(lang, S::FaultUnframed, &[("framing", framing)]),
        Fault::DatagramNotSent { msg, error } => tf(
            lang,
            S::FaultDatagramNotSent,
            &[("msg", &msg.0), ("error", &os_error(error, lang))],
        ),
        Fault::CaptureCapped { max } => tf(lang, S::FaultCaptureCapped, &[("max", max)]),
        Fault::Panicked {
            thread: PanickedThread::Worker,
        } => t(lang, S::FaultWorkerPanicked).into(),
        Fault::Panicked {
            thread: PanickedThread::Capture,
        } => t(lang, S::FaultCapturePanicked).into(),
        Fault::Panicked {
            thread: PanickedThread::Client,
        } => t(lang, S::FaultClientPanicked).into(),
        Fault::Text { text } => text.clone(),
        Fault::LinkChildEnded { status } => {
            tf(lang, S::FaultLinkChildEnded, &[("status", &exit_status(*status, lang))])
        }
    }
}

fn exit_status(status: Option<i32>, lang: Lang) -> String {
    match status {
        Some(code) => tf(lang, S::LinkExitStatus, &[("code", &code)]),
        None => t(lang, S::LinkNoStatus).into(),
    }
}

/// Why a link run could not start, and how to allow it.
pub fn link_failure(f: &LinkFailure, lang: Lang) -> String {
    match f {
        LinkFailure::NeedsLinux => t(lang, S::LinkNeedsLinux).into(),
        LinkFailure::NamespaceRefused { step, error, block } => {
            let step = t(
                lang,
                match step {
                    NamespaceStep::Unshare => S::LinkStepUnshare,
                    NamespaceStep::IdMap => S::LinkStepIdMap,
                    NamespaceStep::Loopback => S::LinkStepLoopback,
                },
            );
            let how = t(
                lang,
                match block {
                    NamespaceBlock::UnprivilegedUsernsClone => S::LinkHowUsernsClone,
                    NamespaceBlock::MaxUserNamespacesZero => S::LinkHowMaxZero,
                    NamespaceBlock::NamespaceLimit => S::LinkHowLimit,
                    NamespaceBlock::AppArmor => S::LinkHowAppArmor,
                    NamespaceBlock::Unknown => S::LinkHowUnknown,
                },
            );
            tf(
                lang,
                S::LinkRefused,
                &[("step", &step), ("error", &os_error(error, lang)), ("how", &how)],
            )
        }
        LinkFailure::ToolMissing { tool } => tf(lang, S::LinkToolMissing, &[("tool", tool)]),
        LinkFailure::ToolFailed {
            command,
            status,
            output,
        } => tf(
            lang,
            S::LinkToolFailed,
            &[
                ("command", command),
                ("status", &exit_status(*status, lang)),
                ("output", &output.trim()),
            ],
        ),
        LinkFailure::NetemMissing => t(lang, S::LinkNetemMissing).into(),
        LinkFailure::ChildFailed { status, error } => {
            let why = error
                .as_ref()
                .map_or_else(|| exit_status(*status, lang), |e| os_error(e, lang));
            tf(lang, S::LinkChildFailed, &[("why", &why)])
        }
    }
}

/// A refused `--link` text, naming the field and what it allows.
fn link_problem(p: &LinkProblem, lang: Lang) -> String {
    match p {
        LinkProblem::UnknownField { name } => tf(
            lang,
            S::SetLinkUnknownField,
            &[("name", name), ("allowed", &t(lang, S::AllowedLink))],
        ),
        LinkProblem::NotNameValue { part } => tf(
            lang,
            S::SetLinkNotNameValue,
            &[("part", part), ("allowed", &t(lang, S::AllowedLink))],
        ),
        LinkProblem::NotAValue { field, value } => tf(
            lang,
            S::SetLinkNotAValue,
            &[
                ("field", &field.name()),
                ("text", value),
                ("allowed", &link_units(*field)),
            ],
        ),
        LinkProblem::OutOfRange { field, value, min, max } => tf(
            lang,
            S::SetLinkOutOfRange,
            &[
                ("field", &field.name()),
                ("value", &link_value(*field, *value)),
                ("allowed", &fill_range(lang, *field, *min, *max)),
            ],
        ),
    }
}

/// How a link field is written: its unit suffixes (the same in every language).
fn link_units(field: LinkField) -> &'static str {
    match field {
        LinkField::Mtu => "1500",
        LinkField::Rate => "20mbit (bit, kbit, mbit, gbit)",
        LinkField::Queue => "20kb (b, kb, mb)",
        LinkField::Delay => "20ms (us, ms, s)",
        LinkField::Loss => "1% (0.01% steps)",
    }
}

/// A link field's value in its own unit, as typed.
fn link_value(field: LinkField, v: u64) -> String {
    match field {
        LinkField::Mtu | LinkField::Queue => grouped(v),
        LinkField::Rate => format!("{} bit/s", grouped(v)),
        LinkField::Delay => format!("{} µs", grouped(v)),
        LinkField::Loss => format!("{}.{:02}%", v / 100, v % 100),
    }
}

fn fill_range(lang: Lang, field: LinkField, min: u64, max: u64) -> String {
    match field {
        LinkField::Mtu | LinkField::Queue => range_text(lang, min, max),
        _ => tf(
            lang,
            S::RangeText,
            &[("min", &link_value(field, min)), ("max", &link_value(field, max))],
        ),
    }
}

/// A side of the run by name.
pub fn side(s: Side, lang: Lang) -> &'static str {
    t(
        lang,
        match s {
            Side::TcpSender => S::SideTcpSender,
            Side::TcpReceiver => S::SideTcpReceiver,
            Side::UdpSender => S::SideUdpSender,
            Side::UdpReceiver => S::SideUdpReceiver,
            Side::Capture => S::SideCapture,
        },
    )
}

/// A setting error as the window shows it: `label: problem`, with the label of the setting's box.
pub fn setting_error(e: &SettingError, lang: Lang) -> String {
    format!("{}: {}", t(lang, e.field.label()), setting_problem(&e.problem, lang))
}

/// A setting problem.
pub fn setting_problem(p: &SettingProblem, lang: Lang) -> String {
    use SettingProblem as P;
    match p {
        P::OutOfRange { value, min, max } => tf(
            lang,
            S::SetOutOfRange,
            &[("value", value), ("allowed", &range_text(lang, *min, *max))],
        ),
        P::MaxBelowMin { max, min } => tf(
            lang,
            S::SetMaxBelowMin,
            &[("max", max), ("min", min), ("limit", &grouped(MAX_MESSAGE_SIZE.into()))],
        ),
        P::TooBigForUdp { value, ipv6 } => tf(
            lang,
            S::SetTooBigForUdp,
            &[
                ("value", value),
                ("family", &if *ipv6 { "IPv6" } else { "IPv4" }),
                ("limit", &grouped(crate::config::max_udp_payload(*ipv6).into())),
            ],
        ),
        P::LargerThanMaxFrame { value, max, framing } => tf(
            lang,
            S::SetLargerThanMaxFrame,
            &[
                ("value", value),
                ("max", max),
                ("limit", &grouped(u64::from(*max))),
                ("framing", framing),
            ],
        ),
        P::NotAPrefixWidth { value } => tf(lang, S::SetNotAPrefixWidth, &[("value", value)]),
        P::TooBigForLengthPrefix { value, bytes, max } => tf(
            lang,
            S::SetTooBigForPrefix,
            &[("value", value), ("bytes", bytes), ("max", &grouped(*max))],
        ),
        P::JsonHeaderLargerThanMaxFrame { header, size, max } => tf(
            lang,
            S::SetJsonHeaderLargerThanMaxFrame,
            &[
                ("max", max),
                ("size", size),
                ("header", header),
                (
                    "allowed",
                    &range_text(lang, u64::from(*header), crate::framing::MAX_MAX_FRAME_LEN.into()),
                ),
            ],
        ),
        P::Link(problem) => link_problem(problem, lang),
        P::NotUnderstood { text, expected } => {
            use crate::config::Expected as E;
            match expected {
                E::Number(setting) => tf(
                    lang,
                    S::CliNotNumber,
                    &[("text", text), ("allowed", &setting.allowed(lang))],
                ),
                E::OnOff => tf(lang, S::CliNotOnOff, &[("text", text)]),
                E::Framing => {
                    let names: Vec<_> = crate::framing::FramingMode::ALL.iter().map(|m| m.name()).collect();
                    tf(
                        lang,
                        S::CliUnknownFraming,
                        &[("text", text), ("allowed", &names.join(", "))],
                    )
                }
                E::ByteOrder => tf(lang, S::CliNotByteOrder, &[("text", text)]),
                E::WholeOrOnce => tf(lang, S::CliNotWholeOrOnce, &[("text", text)]),
                E::OneOf(setting) => tf(
                    lang,
                    S::CliNotOneOf,
                    &[("text", text), ("allowed", &setting.allowed(lang))],
                ),
            }
        }
    }
}

/// A decoder error, with the stream offset where it happened.
pub fn decode_error(e: &DecodeError, lang: Lang) -> String {
    use DecodeError as E;
    match e {
        E::TooLong {
            offset,
            len,
            max,
            field,
            swapped,
        } => {
            let what = match field {
                LengthField::PrefixBody => tf(lang, S::LenPrefixBody, &[("len", len)]),
                LengthField::PrefixJsonHeader => tf(lang, S::LenPrefixJson, &[("len", len)]),
                LengthField::JsonBody => tf(lang, S::LenJsonBody, &[("len", len)]),
                LengthField::Line => tf(lang, S::LenLine, &[("max", max)]),
            };
            let hint = match (swapped, field) {
                (Some(o), _) => tf(
                    lang,
                    S::DecSwapped,
                    &[("order", &byte_order(o.order, lang)), ("len", &o.len)],
                ),
                (None, LengthField::Line) => String::new(),
                (None, _) if *len <= u64::from(MAX_MAX_FRAME_LEN) => {
                    tf(lang, S::DecRaiseMax, &[("len", &grouped(*len))])
                }
                (None, _) => tf(
                    lang,
                    S::DecOverAnyMax,
                    &[("limit", &grouped(u64::from(MAX_MAX_FRAME_LEN)))],
                ),
            };
            tf(
                lang,
                S::DecTooLong,
                &[("offset", offset), ("what", &what), ("max", max), ("hint", &hint)],
            )
        }
        E::NegativeLength { offset, len } => tf(lang, S::DecNegative, &[("offset", offset), ("len", len)]),
        E::BadJson {
            offset,
            reason,
            problem,
            counted_chars,
        } => {
            // the library's words are quoted as they are, framed in the user's language
            let what = match problem {
                JsonProblem::Syntax => tf(lang, S::JsonSyntax, &[("reason", reason)]),
                JsonProblem::NotUtf8 => tf(lang, S::JsonNotUtf8, &[("reason", reason)]),
                JsonProblem::NotObject => t(lang, S::JsonNotObject).to_owned(),
            };
            let hint = if *counted_chars {
                t(lang, S::JsonCountedChars)
            } else {
                ""
            };
            tf(
                lang,
                S::DecBadJson,
                &[("offset", offset), ("what", &what), ("hint", &hint)],
            )
        }
        E::Truncated { offset, have, need } => tf(
            lang,
            S::DecTruncated,
            &[("offset", offset), ("have", have), ("need", need)],
        ),
        E::ShortRead {
            offset,
            part,
            asked,
            got,
        } => tf(
            lang,
            S::DecShortRead,
            &[
                ("offset", offset),
                ("part", &frame_part(*part, lang)),
                ("asked", asked),
                ("got", got),
            ],
        ),
    }
}

/// "header" / "body" (报头 / 数据).
fn frame_part(part: FramePart, lang: Lang) -> &'static str {
    t(
        lang,
        if part == FramePart::Header {
            S::PartHeader
        } else {
            S::PartBody
        },
    )
}

/// A framing mode as the window names it: the flag's value, with its meaning in Chinese
/// ("none（不拆包）"), so the value a student types stays visible.
pub fn framing_name(mode: crate::framing::FramingMode, lang: Lang) -> String {
    match (mode, lang) {
        (crate::framing::FramingMode::None, Lang::Zh) => tf(lang, S::FramingNoneName, &[("name", &mode.name())]),
        _ => mode.name().to_owned(),
    }
}

/// "big" / "little" (大端序 / 小端序).
fn byte_order(order: ByteOrder, lang: Lang) -> &'static str {
    t(
        lang,
        if order == ByteOrder::Big {
            S::OrderBig
        } else {
            S::OrderLittle
        },
    )
}

/// A decoder error in a few words, for a mark on the timeline (no offset: the mark is there).
pub fn decode_error_short(e: &DecodeError, lang: Lang) -> String {
    use DecodeError as E;
    match e {
        E::TooLong {
            len, swapped: Some(o), ..
        } => tf(
            lang,
            S::ErrTooLongSwapped,
            &[("len", len), ("order", &byte_order(o.order, lang)), ("swapped", &o.len)],
        ),
        E::TooLong { len, .. } => tf(lang, S::ErrTooLong, &[("len", len)]),
        E::NegativeLength { len, .. } => tf(lang, S::ErrNegative, &[("len", len)]),
        E::BadJson { .. } => t(lang, S::ErrBadJson).into(),
        E::Truncated { have, need, .. } => tf(lang, S::ErrTruncated, &[("have", have), ("need", need)]),
        E::ShortRead { part, asked, got, .. } => tf(
            lang,
            S::ErrShortRead,
            &[("part", &frame_part(*part, lang)), ("got", got), ("asked", asked)],
        ),
    }
}

/// How one `listen` client's connection went: `client ADDR: what happened`.
pub fn client_report(c: &ClientRec, lang: Lang) -> String {
    use ClientOutcome as O;
    let what = match &c.outcome {
        O::Served => tf(lang, S::ClientServed, &[("bytes", &c.bytes), ("frames", &c.frames)]),
        O::SentNothing => t(lang, S::ClientSentNothing).to_string(),
        O::ClosedMidFrame { error } => tf(
            lang,
            S::ClientClosedMidFrame,
            &[("bytes", &c.bytes), ("error", &decode_error(error, lang))],
        ),
        O::Reset {
            error,
            unfinished: None,
        } => tf(
            lang,
            S::ClientReset,
            &[("bytes", &c.bytes), ("error", &os_error(error, lang))],
        ),
        O::Reset {
            error,
            unfinished: Some(cut),
        } => tf(
            lang,
            S::ClientResetMidFrame,
            &[
                ("bytes", &c.bytes),
                ("error", &os_error(error, lang)),
                ("cut", &decode_error(cut, lang)),
            ],
        ),
        O::Dropped { error } => tf(
            lang,
            S::ClientDropped,
            &[("bytes", &c.bytes), ("error", &decode_error(error, lang))],
        ),
        O::Refused { limit } => tf(lang, S::ClientRefused, &[("limit", limit)]),
        O::Evicted { limit } => tf(lang, S::ClientEvicted, &[("limit", limit)]),
        O::Stopped if c.bytes == 0 => t(lang, S::ClientStoppedSilent).to_string(),
        O::Stopped => tf(lang, S::ClientStopped, &[("bytes", &c.bytes)]),
        O::Failed { error } => fault(error, lang),
    };
    let lane = match c.lane {
        Some(0) => t(lang, S::ClientMainLane).to_string(),
        Some(k) => tf(lang, S::ClientConnLane, &[("conn", &k)]),
        None => String::new(),
    };
    let counts = match c.cuts {
        Some(k) => tf(
            lang,
            S::ClientCuts,
            &[
                ("reads", &k.reads),
                ("merged_reads", &k.merged_reads),
                ("split_frames", &k.split_frames),
                ("decode_errors", &c.decode_errors),
            ],
        ),
        None if c.decode_errors > 0 => tf(lang, S::ClientErrorsOnly, &[("decode_errors", &c.decode_errors)]),
        None => String::new(),
    };
    tf(
        lang,
        S::ClientLine,
        &[("peer", &c.peer), ("text", &format!("{what}{lane}{counts}"))],
    )
}

/// A roster's result column: how a client's connection ended, in a word or two (none = still
/// connected); [`client_report`] tells the whole story.
pub fn roster_result(outcome: Option<&ClientOutcome>, lang: Lang) -> &'static str {
    use ClientOutcome as O;
    let key = match outcome {
        None => S::RosterConnected,
        Some(O::Served) => S::RosterServed,
        Some(O::SentNothing) => S::RosterSentNothing,
        Some(O::ClosedMidFrame { .. }) => S::RosterMidFrame,
        Some(O::Reset { .. }) => S::RosterReset,
        Some(O::Dropped { .. }) => S::RosterDropped,
        Some(O::Refused { .. }) => S::RosterRefused,
        Some(O::Evicted { .. }) => S::RosterEvicted,
        Some(O::Stopped) => S::RosterStopped,
        Some(O::Failed { .. }) => S::RosterFailed,
    };
    t(lang, key)
}

/// `listen --tcp`'s session totals, one summary line each.
pub fn class_totals(c: &crate::analysis::ClassTotals, lang: Lang) -> String {
    let mut out = format!("{}\n", t(lang, S::ClassTotalsHeader));
    for (k, v) in [
        (S::ClassClients, c.clients),
        (S::PeerClientsServed, c.served),
        (S::ClassConnectedNow, c.connected_now),
        (S::ClassBytes, c.bytes),
        (S::ClassFrames, c.frames),
        (S::ClassDecodeErrors, c.decode_errors),
        (S::ClassReads, c.reads),
        (S::ClassMerged, c.merged_reads),
        (S::ClassSplit, c.split_frames),
    ] {
        out.push_str(&crate::i18n::summary_line(lang, k, &v.to_string()));
    }
    out
}

/// A run's problem: `⚠ side: what happened`.
pub fn problem(p: &Problem, lang: Lang) -> String {
    let what = match &p.kind {
        ProblemKind::PeerClosed(why) => tf(lang, S::PeerClosedEarly, &[("why", &fault(why, lang))]),
        ProblemKind::Failed(why) => fault(why, lang),
        ProblemKind::Client(c) => client_report(c, lang),
        ProblemKind::Causality(v) => violation(v, lang),
    };
    tf(lang, S::Problem, &[("side", &side(p.side, lang)), ("what", &what)])
}

/// The writes count, naming the short writes among them (a `send()` that took fewer bytes
/// than asked is why there can be more writes than message pieces).
pub fn writes_value(s: &Summary, lang: Lang) -> String {
    if s.never_sent_bytes > 0 {
        return send_close::writes_ignoring_value(s, lang);
    }
    match s.short_writes {
        0 => s.writes.to_string(),
        n => tf(lang, S::SumWritesShort, &[("writes", &s.writes), ("short", &n)]),
    }
}

/// The segments captured, with the gap to the kernel's own count when there is one: the
/// lane never silently shows fewer segments than left the socket.
pub fn segments_captured_value(s: &Summary, lang: Lang) -> String {
    let Some(captured) = s.segments_captured else {
        return "-".into();
    };
    // retransmissions are data segments too, and TCP_INFO counts them
    let captured = captured + s.retransmissions.unwrap_or(0);
    match s.capture_gap() {
        None | Some(0) => captured.to_string(),
        Some(gap) => {
            let total = captured + gap;
            // TCP_INFO counts retransmissions too, so drops may explain all of the gap or part
            match s.segments_capture_dropped.unwrap_or(0) {
                // nothing dropped here: the kernel counted big packets as several segments (GSO),
                // or a link dropped packets before the capture's tap (tc's queue comes first)
                0 if s.segments_capture_dropped.is_some() => tf(
                    lang,
                    S::SumCaptureGapGso,
                    &[("captured", &captured), ("total", &total), ("gap", &gap)],
                ),
                0 => tf(
                    lang,
                    S::SumCaptureGapUnknown,
                    &[("captured", &captured), ("total", &total), ("gap", &gap)],
                ),
                d if d >= gap => tf(
                    lang,
                    S::SumCaptureGap,
                    &[("captured", &captured), ("total", &total), ("gap", &gap)],
                ),
                d => tf(
                    lang,
                    S::SumCaptureGapPartly,
                    &[
                        ("captured", &captured),
                        ("total", &total),
                        ("gap", &gap),
                        ("dropped", &d),
                    ],
                ),
            }
        }
    }
}

/// A causality violation (an effect stamped before its cause) in `lang`.
pub fn violation(v: &Violation, lang: Lang) -> String {
    use crate::analysis::{Axis, ViolationKind as K};
    let key = match v.kind {
        K::ReadBeforeWrite => S::ViolReadBeforeWrite,
        K::SegmentBeforeWrite => S::ViolSegmentBeforeWrite,
        K::SegmentAfterRead => S::ViolSegmentAfterRead,
        K::FrameBeforeRead => S::ViolFrameBeforeRead,
        K::DatagramBeforeSent => S::ViolDatagramBeforeSent,
        K::AckBeforeSegment => S::ViolAckBeforeSegment,
    };
    let what = tf(lang, key, &[("offset", &v.offset), ("us", &v.by_us())]);
    let what = match v.axis {
        Axis::Requests { conn: 0 } | Axis::Datagrams => what,
        Axis::Requests { conn } => tf(lang, S::ViolOnConn, &[("what", &what), ("conn", &conn)]),
        Axis::Replies { conn: 0 } => tf(lang, S::ViolOnReplies, &[("what", &what)]),
        Axis::Replies { conn } => tf(
            lang,
            S::ViolOnConn,
            &[
                ("what", &tf(lang, S::ViolOnReplies, &[("what", &what)])),
                ("conn", &conn),
            ],
        ),
    };
    tf(lang, S::Violation, &[("what", &what)])
}

pub mod causes;
mod failure;
pub mod questions;
pub mod send_close;
pub use failure::{
    engine_error, file_failure, listen_error, no_packets, open_failed, os_error, pcapng_error, recording_error,
    setup_call,
};

#[cfg(test)]
mod tests;
pub mod torture;
pub mod trace;

mod buffers;
pub use buffers::buffer_clamped;
