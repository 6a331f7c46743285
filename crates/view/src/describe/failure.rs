//! Failures around a run in words: start-up socket calls, files, recordings, pcapng. The OS's
//! own message is quoted as it is, once, with its error code.

use std::net::SocketAddr;

use crate::facts::{
    EngineError, FileFailure, FileOp, FileTarget, NoPackets, OsError, PcapngError, SetupCall, SetupOpt, SockOpt,
    SocketRole,
};
use crate::i18n::{t, tf, Lang, S};
use crate::recording::{NotRecording, RecordingError, MAX_FILE_BYTES, VERSION};

/// The OS's words, quoted as they are, and its error code: `“Address already in use” (os error
/// 98)`. The code Rust appends to the words (` (os error 98)`) is taken off, so it shows once.
pub fn os_error(e: &OsError, lang: Lang) -> String {
    let Some(code) = e.code else {
        return format!("“{}”", e.words);
    };
    let words = e.words.strip_suffix(&format!(" (os error {code})")).unwrap_or(&e.words);
    let code = match crate::i18n::os_error_name(code) {
        name if name.starts_with("WSA") => name,
        _ => tf(lang, S::OsErrorCode, &[("code", &code)]),
    };
    tf(lang, S::OsErrorQuoted, &[("words", &words), ("code", &code)])
}

fn role(r: SocketRole, lang: Lang) -> &'static str {
    t(
        lang,
        match r {
            SocketRole::Listener => S::RoleListener,
            SocketRole::Sender => S::RoleSender,
            SocketRole::Client => S::RoleClient,
            SocketRole::UdpReceiver => S::RoleUdpReceiver,
            SocketRole::UdpSender => S::RoleUdpSender,
            SocketRole::UdpSocket => S::RoleUdpSocket,
        },
    )
}

/// A socket option by the name the C API gives it.
fn opt_name(o: SetupOpt) -> &'static str {
    match o {
        SetupOpt::Shown(SockOpt::TcpNodelay) => "TCP_NODELAY",
        SetupOpt::Shown(SockOpt::TcpCork) => "TCP_CORK",
        SetupOpt::Shown(SockOpt::SndBuf) => "SO_SNDBUF",
        SetupOpt::Shown(SockOpt::RcvBuf) => "SO_RCVBUF",
        SetupOpt::Shown(SockOpt::Mss) => "TCP_MAXSEG",
        SetupOpt::SndTimeo => "SO_SNDTIMEO",
        SetupOpt::RcvTimeo => "SO_RCVTIMEO",
        SetupOpt::ReuseAddr => "SO_REUSEADDR",
        SetupOpt::NonBlocking => "O_NONBLOCK",
    }
}

/// Which start-up call, on which socket.
pub fn setup_call(c: &SetupCall, lang: Lang) -> String {
    let on = |key, r: &SocketRole| tf(lang, key, &[("role", &role(*r, lang))]);
    let at = |key, r: &SocketRole, a: &SocketAddr| tf(lang, key, &[("role", &role(*r, lang)), ("addr", a)]);
    match c {
        SetupCall::Socket { role: r } => on(S::SetupSocket, r),
        SetupCall::SetOpt {
            role: r,
            opt: SetupOpt::NonBlocking,
        } => on(S::SetupNonBlocking, r),
        SetupCall::SetOpt { role: r, opt } => tf(
            lang,
            S::SetupSetOpt,
            &[("role", &role(*r, lang)), ("opt", &opt_name(*opt))],
        ),
        SetupCall::Bind { role: r, addr } => at(S::SetupBind, r, addr),
        SetupCall::Listen => t(lang, S::SetupListen).into(),
        SetupCall::Connect { role: r, addr } => at(S::SetupConnect, r, addr),
        SetupCall::Accept => t(lang, S::SetupAccept).into(),
        SetupCall::LocalAddr { role: r } => on(S::SetupLocalAddr, r),
        SetupCall::Dup { role: r } => on(S::SetupDup, r),
    }
}

/// Why a run could not start.
pub fn engine_error(e: &EngineError, lang: Lang) -> String {
    match e {
        EngineError::Setting(err) => super::setting_error(err, lang),
        EngineError::Link(failure) => super::link_failure(failure, lang),
        EngineError::Trace(failure) => super::trace::trace_failure(failure, lang),
        EngineError::Setup { call, error } => tf(
            lang,
            S::SetupFailed,
            &[("call", &setup_call(call, lang)), ("error", &os_error(error, lang))],
        ),
        EngineError::NotIpv4 { role: r } => tf(lang, S::SetupNotIpv4, &[("role", &role(*r, lang))]),
        EngineError::UnexpectedPeer { peer } => tf(lang, S::SetupUnexpectedPeer, &[("peer", peer)]),
        EngineError::Thread(error) => tf(lang, S::FaultThread, &[("error", &os_error(error, lang))]),
    }
}

/// Why `listen` did not start.
pub fn listen_error(e: &crate::facts::ListenError, lang: Lang) -> String {
    use crate::facts::ListenError as L;
    match e {
        L::Listen(e) => tf(lang, S::ListenCannot, &[("why", &engine_error(e, lang))]),
        L::Bind(e) => tf(lang, S::ListenCannotBind, &[("why", &engine_error(e, lang))]),
        L::Start(e) => engine_error(e, lang),
    }
}

/// A file operation that failed: `cannot write PATH: “…” (os error 2)`.
pub fn file_failure(f: &FileFailure, lang: Lang) -> String {
    let target = match &f.target {
        FileTarget::Path(p) => p.clone(),
        FileTarget::Stdin => t(lang, S::Stdin).into(),
        FileTarget::Stdout => t(lang, S::Stdout).into(),
    };
    let key = match f.op {
        FileOp::Open => S::FileOpen,
        FileOp::Read => S::FileRead,
        FileOp::Inflate => S::FileInflate,
        FileOp::Create => S::FileCreate,
        FileOp::Write => S::FileWrite,
    };
    tf(lang, key, &[("path", &target), ("error", &os_error(&f.error, lang))])
}

/// Why a recording could not be read or written; the file's name is in the words of a file
/// or size problem, not in those of its content ([`open_failed`] adds it).
pub fn recording_error(e: &RecordingError, lang: Lang) -> String {
    match e {
        RecordingError::File(f) => file_failure(f, lang),
        RecordingError::TooBig { path, size } => tf(
            lang,
            S::RecTooBig,
            &[
                ("path", path),
                ("size", &crate::i18n::grouped(*size)),
                ("max", &crate::i18n::grouped(MAX_FILE_BYTES)),
            ],
        ),
        RecordingError::Malformed(why) => not_recording(why, lang),
        RecordingError::FutureVersion { found } => {
            tf(lang, S::RecFutureVersion, &[("found", found), ("max", &VERSION)])
        }
    }
}

/// `Cannot open NAME: why` for a recording that was read but is not one; a file that could
/// not be read at all names itself.
pub fn open_failed(name: &str, e: &RecordingError, lang: Lang) -> String {
    match e {
        RecordingError::File(_) | RecordingError::TooBig { .. } => recording_error(e, lang),
        _ => tf(
            lang,
            S::OpenFailed,
            &[("path", &name), ("error", &recording_error(e, lang))],
        ),
    }
}

fn not_recording(why: &NotRecording, lang: Lang) -> String {
    let what = match why {
        NotRecording::NotUtf8 { reason } => tf(lang, S::RecNotUtf8, &[("reason", reason)]),
        NotRecording::NotJson { reason } => tf(lang, S::RecNotJson, &[("reason", reason)]),
        NotRecording::NotObject => t(lang, S::RecNotObject).into(),
        NotRecording::WrongFormat => tf(lang, S::RecWrongFormat, &[("format", &crate::recording::FORMAT)]),
        NotRecording::NoVersion => t(lang, S::RecNoVersion).into(),
        NotRecording::VersionNotNumber => t(lang, S::RecVersionNotNumber).into(),
        NotRecording::VersionZero => t(lang, S::RecVersionZero).into(),
        NotRecording::NumberTooBig { event, number } => {
            tf(lang, S::RecNumberTooBig, &[("event", event), ("number", number)])
        }
        NotRecording::Fields { reason } => tf(lang, S::RecFields, &[("reason", reason)]),
    };
    tf(lang, S::RecNotRecording, &[("why", &what)])
}

/// Why a run has no packets for pcapng.
pub fn no_packets(why: &NoPackets, lang: Lang) -> String {
    match why {
        NoPackets::Unavailable(reason) => tf(
            lang,
            S::PcapUnavailable,
            &[("reason", &super::capture_unavailable(reason, lang))],
        ),
        NoPackets::PositionsOnly => t(lang, S::PcapPositionsOnly).into(),
        NoPackets::NoSegments => t(lang, S::PcapNoSegments).into(),
    }
}

/// Why no pcapng was written.
pub fn pcapng_error(e: &PcapngError, lang: Lang) -> String {
    match e {
        PcapngError::NoPackets(why) => tf(lang, S::PcapNoPackets, &[("why", &no_packets(why, lang))]),
        PcapngError::Write(f) => file_failure(f, lang),
    }
}

#[cfg(test)]
mod tests;
