//! Every failure around a run, one sample of each variant, in both languages: translated, the
//! OS's words quoted once with their code. The matches list every variant, so a new one does
//! not compile until it has a sample here.

use std::net::SocketAddr;

use super::*;
use crate::facts::{CaptureUnavailable, SockOpt};

const WORDS: &str = "Xyzzy plugh";

fn os() -> OsError {
    OsError {
        kind: "Other".into(),
        code: Some(98),
        words: format!("{WORDS} (os error 98)"),
    }
}

fn every_setup_call() -> Vec<SetupCall> {
    let addr: SocketAddr = "127.0.0.1:7000".parse().expect("addr");
    let role = SocketRole::Listener;
    let all = vec![
        SetupCall::Socket { role },
        SetupCall::SetOpt {
            role,
            opt: SetupOpt::Shown(SockOpt::RcvBuf),
        },
        SetupCall::SetOpt {
            role,
            opt: SetupOpt::NonBlocking,
        },
        SetupCall::Bind { role, addr },
        SetupCall::Listen,
        SetupCall::Connect { role, addr },
        SetupCall::Accept,
        SetupCall::LocalAddr { role },
        SetupCall::Dup { role },
    ];
    for c in &all {
        match c {
            SetupCall::Socket { .. }
            | SetupCall::SetOpt { .. }
            | SetupCall::Bind { .. }
            | SetupCall::Listen
            | SetupCall::Connect { .. }
            | SetupCall::Accept
            | SetupCall::LocalAddr { .. }
            | SetupCall::Dup { .. } => {}
        }
    }
    all
}

fn every_engine_error() -> Vec<EngineError> {
    let mut all: Vec<EngineError> = every_setup_call()
        .into_iter()
        .map(|call| EngineError::Setup { call, error: os() })
        .collect();
    all.push(EngineError::NotIpv4 {
        role: SocketRole::UdpSocket,
    });
    all.push(EngineError::UnexpectedPeer {
        peer: "127.0.0.1:9".parse().expect("addr"),
    });
    all.push(EngineError::Thread(os()));
    for e in &all {
        match e {
            EngineError::Setup { .. }
            | EngineError::NotIpv4 { .. }
            | EngineError::UnexpectedPeer { .. }
            | EngineError::Thread(_) => {}
            // worded by their own functions, tested with them
            EngineError::Setting(_) | EngineError::Link(_) | EngineError::Trace(_) => unreachable!(),
        }
    }
    all
}

fn every_recording_error() -> Vec<RecordingError> {
    let file = |op| {
        RecordingError::File(FileFailure {
            op,
            target: FileTarget::Path("/x/y.json".into()),
            error: os(),
        })
    };
    let not = |why| RecordingError::Malformed(why);
    let reason = || "serde's words".to_string();
    let all = vec![
        file(FileOp::Open),
        file(FileOp::Read),
        file(FileOp::Inflate),
        file(FileOp::Create),
        file(FileOp::Write),
        RecordingError::TooBig {
            path: "/x/y.json".into(),
            size: 2 << 30,
        },
        not(NotRecording::NotUtf8 { reason: reason() }),
        not(NotRecording::NotJson { reason: reason() }),
        not(NotRecording::NotObject),
        not(NotRecording::WrongFormat),
        not(NotRecording::NoVersion),
        not(NotRecording::VersionNotNumber),
        not(NotRecording::VersionZero),
        not(NotRecording::NumberTooBig {
            event: 3,
            number: "18446744073709551615".into(),
        }),
        not(NotRecording::Fields { reason: reason() }),
        RecordingError::FutureVersion { found: 99 },
    ];
    for e in &all {
        match e {
            RecordingError::File(_) | RecordingError::TooBig { .. } | RecordingError::FutureVersion { .. } => {}
            RecordingError::Malformed(why) => match why {
                NotRecording::NotUtf8 { .. }
                | NotRecording::NotJson { .. }
                | NotRecording::NotObject
                | NotRecording::WrongFormat
                | NotRecording::NoVersion
                | NotRecording::VersionNotNumber
                | NotRecording::VersionZero
                | NotRecording::NumberTooBig { .. }
                | NotRecording::Fields { .. } => {}
            },
        }
    }
    all
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn assert_both(what: &str, en: &str, zh: &str) {
    assert_ne!(en, zh, "{what}: the Chinese text is the English one");
    assert!(has_chinese(zh) && !has_chinese(en), "{what}: {en} / {zh}");
    for text in [en, zh] {
        assert!(text.matches(WORDS).count() <= 1, "{what}: the OS's words twice: {text}");
        if text.contains(WORDS) {
            assert!(
                text.contains(&format!("“{WORDS}”")),
                "{what}: the OS's words unquoted: {text}"
            );
            assert_eq!(text.matches("98").count(), 1, "{what}: the code once: {text}");
        }
    }
}

#[test]
fn every_start_up_failure_reads_in_both_languages_with_the_os_words_once() {
    for e in every_engine_error() {
        let (en, zh) = (engine_error(&e, Lang::En), engine_error(&e, Lang::Zh));
        assert_both(&format!("{e:?}"), &en, &zh);
    }
}

#[test]
fn every_recording_failure_reads_in_both_languages_with_the_os_words_once() {
    for e in every_recording_error() {
        let (en, zh) = (open_failed("y.json", &e, Lang::En), open_failed("y.json", &e, Lang::Zh));
        assert_both(&format!("{e:?}"), &en, &zh);
        assert!(en.contains("y.json") && zh.contains("y.json"), "names the file: {en}");
    }
}

#[test]
fn every_pcapng_failure_reads_in_both_languages() {
    let all = [
        PcapngError::NoPackets(NoPackets::Unavailable(CaptureUnavailable::NeedsPrivilege {
            error: os(),
        })),
        PcapngError::NoPackets(NoPackets::PositionsOnly),
        PcapngError::NoPackets(NoPackets::NoSegments),
        PcapngError::Write(FileFailure {
            op: FileOp::Write,
            target: FileTarget::Stdout,
            error: os(),
        }),
    ];
    for e in all {
        assert_both(
            &format!("{e:?}"),
            &pcapng_error(&e, Lang::En),
            &pcapng_error(&e, Lang::Zh),
        );
    }
}

#[test]
fn an_os_error_without_a_code_is_only_quoted() {
    let e = OsError {
        kind: "InvalidData".into(),
        code: None,
        words: "corrupt deflate stream".into(),
    };
    assert_eq!(os_error(&e, Lang::Zh), "“corrupt deflate stream”");
    assert_eq!(os_error(&os(), Lang::En), format!("“{WORDS}” (os error 98)"));
    assert_eq!(os_error(&os(), Lang::Zh), format!("“{WORDS}”（错误码 98）"));
}
