//! Every typed reason reads in both languages, and the Chinese text is a translation, not the
//! English template passed through.

use super::*;
use crate::facts::{MsgId, OsError, SockOpt};

/// The OS's words of the samples: data, shown as they are in every language.
const OS_WORDS: &str = "Xyzzy plugh (os error 104)";

fn os() -> OsError {
    OsError {
        kind: "ConnectionReset".into(),
        code: Some(104),
        words: OS_WORDS.into(),
    }
}

fn every_capture_reason() -> Vec<CaptureUnavailable> {
    use CaptureUnavailable as C;
    // A match with no wildcard: a new variant fails to compile here until it has a sample.
    let all = vec![
        C::NeedsPrivilege { error: os() },
        C::CannotOpen { error: os() },
        C::Setup { error: os() },
        C::TimestampsRefused { error: os() },
        C::NoKernelTimestamps,
        C::OnlyLoopback,
        C::ManyClients,
        C::Listen,
        C::Replies,
        C::NeedsLinuxCounts,
        C::NeedsLinuxNoCounts,
        C::Traced,
    ];
    for c in &all {
        match c {
            C::NeedsPrivilege { .. }
            | C::CannotOpen { .. }
            | C::Setup { .. }
            | C::OnlyLoopback
            | C::ManyClients
            | C::Listen
            | C::Replies => {}
            C::TimestampsRefused { .. } | C::NoKernelTimestamps => {}
            C::NeedsLinuxCounts | C::NeedsLinuxNoCounts | C::Traced => {}
            C::Text { .. } => unreachable!("recorded text is shown as written"),
        }
    }
    all
}

fn every_call() -> Vec<Call> {
    let all = vec![
        Call::Send,
        Call::Recv,
        Call::SendTo,
        Call::RecvFrom,
        Call::Accept,
        Call::SetSockOpt,
        Call::GetSockOpt { opt: SockOpt::RcvBuf },
        Call::Uncork,
        Call::EchoSend,
        Call::EchoSendTo,
        Call::SpawnThread,
        Call::Capture,
        Call::PacketStatistics,
    ];
    for c in &all {
        match c {
            Call::Send
            | Call::Recv
            | Call::SendTo
            | Call::RecvFrom
            | Call::Accept
            | Call::SetSockOpt
            | Call::GetSockOpt { .. } => {}
            Call::Uncork
            | Call::EchoSend
            | Call::EchoSendTo
            | Call::SpawnThread
            | Call::Capture
            | Call::PacketStatistics => {}
            Call::Named { .. } => unreachable!("recorded names are shown as written"),
        }
    }
    all
}

fn every_fault() -> Vec<Fault> {
    let mut all: Vec<Fault> = every_call()
        .into_iter()
        .map(|call| Fault::CallFailed { call, error: os() })
        .collect();
    all.extend([
        Fault::PeerGone { error: os() },
        Fault::HandshakeRefused,
        Fault::HandshakeRefusedShort,
        Fault::ClientClosedInHandshake,
        Fault::ServerClosedBeforeChallenge,
        Fault::ServerClosedBeforeReply,
        Fault::ClosedBadHeader,
        Fault::NoRandom { error: os() },
        Fault::HandshakeUnframed { framing: "u32".into() },
        Fault::DatagramNotSent {
            msg: MsgId(7),
            error: os(),
        },
        Fault::CaptureCapped { max: 1000 },
        Fault::Panicked {
            thread: PanickedThread::Worker,
        },
        Fault::Panicked {
            thread: PanickedThread::Capture,
        },
        Fault::Panicked {
            thread: PanickedThread::Client,
        },
        Fault::LinkChildEnded { status: Some(1) },
        Fault::LinkChildEnded { status: None },
    ]);
    for f in &all {
        match f {
            Fault::CallFailed { .. }
            | Fault::PeerGone { .. }
            | Fault::HandshakeRefused
            | Fault::HandshakeRefusedShort => {}
            Fault::ClientClosedInHandshake | Fault::ServerClosedBeforeChallenge | Fault::ServerClosedBeforeReply => {}
            Fault::ClosedBadHeader
            | Fault::NoRandom { .. }
            | Fault::HandshakeUnframed { .. }
            | Fault::DatagramNotSent { .. } => {}
            Fault::CaptureCapped { .. } | Fault::Panicked { .. } | Fault::LinkChildEnded { .. } => {}
            Fault::Text { .. } => unreachable!("recorded text is shown as written"),
        }
    }
    all
}

/// Runs of three or more English words in `en` (the OS's words taken out): if one of them shows
/// in the Chinese text, a template was not translated.
fn english_phrases(en: &str) -> Vec<String> {
    let en = en.replace(OS_WORDS, " ").replace("Xyzzy plugh", " ");
    let mut phrases = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for word in en.split(' ').chain(std::iter::once("")) {
        if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic() || c == '\'') {
            run.push(word);
            continue;
        }
        if run.len() >= 3 {
            phrases.push(run.join(" "));
        }
        run.clear();
    }
    phrases
}

fn assert_translated(what: &str, en: &str, zh: &str) {
    assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{what}: empty");
    assert_ne!(en, zh, "{what}: the Chinese text is the English one");
    assert!(
        !zh.contains("{}") && !en.contains("{}"),
        "{what}: a placeholder was left unfilled: {en} / {zh}"
    );
    for phrase in english_phrases(en) {
        assert!(
            !zh.contains(&phrase),
            "{what}: untranslated English {phrase:?} in {zh:?}"
        );
    }
}

#[test]
fn every_capture_reason_reads_in_both_languages() {
    for why in every_capture_reason() {
        let (en, zh) = (capture_unavailable(&why, Lang::En), capture_unavailable(&why, Lang::Zh));
        assert_translated(&format!("{why:?}"), &en, &zh);
        if let CaptureUnavailable::NeedsPrivilege { .. } | CaptureUnavailable::CannotOpen { .. } = why {
            // quoted as the OS wrote them, its code given once
            assert!(
                zh.contains("“Xyzzy plugh”（错误码 104）") && en.contains("“Xyzzy plugh” (os error 104)"),
                "the OS's words are kept: {zh} / {en}"
            );
            assert_eq!(zh.matches("104").count(), 1, "{zh}");
        }
    }
}

#[test]
fn every_fault_reads_in_both_languages_as_a_problem_and_an_early_close() {
    for f in every_fault() {
        for kind in [ProblemKind::Failed(f.clone()), ProblemKind::PeerClosed(f.clone())] {
            let p = Problem {
                side: Side::TcpReceiver,
                kind,
            };
            let (en, zh) = (problem(&p, Lang::En), problem(&p, Lang::Zh));
            assert_translated(&format!("{p:?}"), &en, &zh);
        }
        // A fault's own clause: only the OS's words, or a C function's name, may stay the same.
        let (en, zh) = (fault(&f, Lang::En), fault(&f, Lang::Zh));
        if !matches!(f, Fault::PeerGone { .. }) {
            assert_translated(&format!("{f:?}"), &en, &zh);
        }
    }
}

#[test]
fn every_client_outcome_reads_in_both_languages() {
    let cut = DecodeError::Truncated {
        offset: 4,
        have: 2,
        need: 9,
    };
    let outcomes = [
        ClientOutcome::Served,
        ClientOutcome::SentNothing,
        ClientOutcome::ClosedMidFrame { error: cut.clone() },
        ClientOutcome::Reset {
            error: os(),
            unfinished: None,
        },
        ClientOutcome::Reset {
            error: os(),
            unfinished: Some(cut.clone()),
        },
        ClientOutcome::Dropped { error: cut },
        ClientOutcome::Evicted { limit: 8 },
        ClientOutcome::Refused { limit: 8 },
        ClientOutcome::Stopped,
        ClientOutcome::Failed {
            error: Fault::CallFailed {
                call: Call::Recv,
                error: os(),
            },
        },
    ];
    for outcome in outcomes {
        let cuts = Some(crate::facts::ReadCuts {
            reads: 3,
            merged_reads: 1,
            split_frames: 1,
        });
        let c = ClientRec {
            at_us: 1,
            peer: "127.0.0.1:5".into(),
            lane: Some(1),
            bytes: 10,
            frames: 1,
            outcome,
            decode_errors: 1,
            cuts,
        };
        let (en, zh) = (client_report(&c, Lang::En), client_report(&c, Lang::Zh));
        assert_translated(&format!("{:?}", c.outcome), &en, &zh);
        let (en, zh) = (
            roster_result(Some(&c.outcome), Lang::En),
            roster_result(Some(&c.outcome), Lang::Zh),
        );
        assert_translated(&format!("roster {:?}", c.outcome), en, zh);
    }
    assert_translated(
        "roster connected",
        roster_result(None, Lang::En),
        roster_result(None, Lang::Zh),
    );
    let totals = crate::analysis::ClassTotals {
        clients: 2,
        served: 1,
        frames: 8000,
        ..Default::default()
    };
    assert_translated(
        "class totals",
        &class_totals(&totals, Lang::En),
        &class_totals(&totals, Lang::Zh),
    );
}

#[test]
fn recorded_text_is_shown_as_written() {
    let text = "some words an older stickyviz wrote".to_string();
    assert_eq!(fault(&Fault::Text { text: text.clone() }, Lang::Zh), text);
    assert_eq!(
        capture_unavailable(&CaptureUnavailable::Text { text: text.clone() }, Lang::Zh),
        text
    );
}

#[test]
fn every_decode_error_reads_in_both_languages() {
    use crate::framing::{ByteOrder, FramePart, JsonProblem, LengthField, OtherOrder};
    let errors = [
        DecodeError::TooLong {
            offset: 4,
            len: 1 << 32,
            max: 8,
            field: LengthField::PrefixBody,
            swapped: None,
        },
        DecodeError::TooLong {
            offset: 4,
            len: 1 << 32,
            max: 8,
            field: LengthField::JsonBody,
            swapped: None,
        },
        DecodeError::TooLong {
            offset: 4,
            len: 83_886_080,
            max: 8,
            field: LengthField::PrefixBody,
            swapped: Some(OtherOrder {
                len: 5,
                order: ByteOrder::Little,
            }),
        },
        DecodeError::NegativeLength { offset: 4, len: -1 },
        // serde_json's words are data, like the OS's: the sample marks them so they are left out
        DecodeError::BadJson {
            offset: 4,
            reason: OS_WORDS.into(),
            problem: JsonProblem::Syntax,
            counted_chars: true,
        },
        DecodeError::Truncated {
            offset: 4,
            have: 2,
            need: 9,
        },
        DecodeError::ShortRead {
            offset: 4,
            part: FramePart::Header,
            asked: 4,
            got: 2,
        },
    ];
    for e in &errors {
        let (en, zh) = (decode_error(e, Lang::En), decode_error(e, Lang::Zh));
        assert_translated(&format!("{e:?}"), &en, &zh);
        let (en, zh) = (decode_error_short(e, Lang::En), decode_error_short(e, Lang::Zh));
        assert_ne!(en, zh, "{e:?}: the short Chinese text is the English one");
    }
}

#[test]
fn every_torture_result_reads_in_both_languages() {
    use crate::facts::torture::{Received, Scenario, ScenarioReport, Sent, Verdict};
    let verdicts = [
        Verdict::Pass,
        Verdict::NotApplicable,
        Verdict::Timeout { waited_ms: 3000 },
        Verdict::NotConcurrent { waited_ms: 3000 },
        Verdict::Closed,
        Verdict::Reset { error: os() },
        Verdict::ConnectFailed { error: os() },
        Verdict::SendFailed { error: os() },
        Verdict::RecvFailed { error: os() },
        Verdict::BadReply {
            error: DecodeError::Truncated {
                offset: 4,
                have: 2,
                need: 9,
            },
        },
        Verdict::WrongPayload { frame: 2 },
        Verdict::Stopped,
    ];
    for v in &verdicts {
        // a match with no wildcard: a new verdict fails to compile here until it has a sample
        match v {
            Verdict::Pass
            | Verdict::NotApplicable
            | Verdict::Timeout { .. }
            | Verdict::NotConcurrent { .. }
            | Verdict::Closed => {}
            Verdict::Reset { .. }
            | Verdict::ConnectFailed { .. }
            | Verdict::SendFailed { .. }
            | Verdict::RecvFailed { .. } => {}
            Verdict::BadReply { .. } | Verdict::WrongPayload { .. } | Verdict::Stopped => {}
        }
        for scenario in Scenario::ALL {
            let sent = Sent {
                frames: 1,
                bytes: 28,
                writes: 2,
                pause_ms: 100,
                preview: b"\0\0\0\x18hello".to_vec(),
            };
            let received = Received {
                bytes: 3,
                frames: 0,
                upper_cased: true,
                preview: b"\0\0\0".to_vec(),
            };
            let r = ScenarioReport {
                scenario,
                sent,
                received,
                verdict: v.clone(),
            };
            let (en, zh) = (torture::report_line(&r, Lang::En), torture::report_line(&r, Lang::Zh));
            assert_translated(&format!("{r:?}"), &en, &zh);
            if *v != Verdict::NotApplicable {
                assert!(
                    en.contains(r"\x00\x00\x00\x18hello…"),
                    "the bytes sent are shown escaped: {en}"
                );
            }
            let (en, zh) = (
                torture::scenario_tip(scenario, Lang::En),
                torture::scenario_tip(scenario, Lang::Zh),
            );
            assert_translated(&format!("{scenario:?} tip"), en, zh);
        }
    }
}

#[test]
fn every_link_failure_reads_in_both_languages() {
    let mut all = vec![
        LinkFailure::NeedsLinux,
        LinkFailure::ToolMissing { tool: "tc".into() },
        // the command line is data, like the OS's words: kept short so it is not taken for a sentence
        LinkFailure::ToolFailed {
            command: "tc".into(),
            status: Some(2),
            output: OS_WORDS.into(),
        },
        LinkFailure::NetemMissing,
        LinkFailure::ChildFailed {
            status: Some(101),
            error: None,
        },
        LinkFailure::ChildFailed {
            status: None,
            error: Some(os()),
        },
    ];
    for step in [NamespaceStep::Unshare, NamespaceStep::IdMap, NamespaceStep::Loopback] {
        for block in [
            NamespaceBlock::UnprivilegedUsernsClone,
            NamespaceBlock::MaxUserNamespacesZero,
            NamespaceBlock::NamespaceLimit,
            NamespaceBlock::AppArmor,
            NamespaceBlock::Unknown,
        ] {
            all.push(LinkFailure::NamespaceRefused {
                step,
                error: os(),
                block,
            });
        }
    }
    for f in &all {
        // a match with no wildcard: a new variant fails to compile here until it has a sample
        match f {
            LinkFailure::NeedsLinux | LinkFailure::ToolMissing { .. } | LinkFailure::ToolFailed { .. } => {}
            LinkFailure::NetemMissing | LinkFailure::ChildFailed { .. } | LinkFailure::NamespaceRefused { .. } => {}
        }
        let (en, zh) = (link_failure(f, Lang::En), link_failure(f, Lang::Zh));
        assert_translated(&format!("{f:?}"), &en, &zh);
    }
    // the refusal says how to allow it: the sysctl by name
    let refused = LinkFailure::NamespaceRefused {
        step: NamespaceStep::Unshare,
        error: os(),
        block: NamespaceBlock::MaxUserNamespacesZero,
    };
    assert!(link_failure(&refused, Lang::En).contains("sysctl -w user.max_user_namespaces="));
}

#[test]
fn every_link_problem_names_its_field() {
    use crate::config::{Link, LinkField};
    for text in [
        "mtu=10",
        "rate=1bit",
        "queue=1",
        "delay=11s",
        "loss=200%",
        "rate=fast",
        "speed=1",
        "mtu",
    ] {
        let problem = Link::parse(text).expect_err(text);
        let (en, zh) = (
            setting_problem(&SettingProblem::Link(problem.clone()), Lang::En),
            setting_problem(&SettingProblem::Link(problem), Lang::Zh),
        );
        assert_translated(text, &en, &zh);
        let Some((name, _)) = text.split_once('=') else {
            continue;
        };
        if LinkField::ALL.iter().any(|f| f.name() == name) {
            assert!(en.starts_with(name) && zh.starts_with(name), "{text}: {en} / {zh}");
        }
    }
}
