//! How a command ends: the exit-status contract, and stopping cleanly on Ctrl-C or SIGTERM.
//!
//! | status | meaning |
//! | --- | --- |
//! | 0 | the command did what was asked, and every frame decoded |
//! | 1 | it ran, but failed: a decode error, a socket error, a file it could not read or write |
//! | 2 | bad flags or values: nothing was run |
//! | 130 | stopped by Ctrl-C (SIGINT); 143: stopped by SIGTERM (128 + the signal, as shells do) |
//!
//! A stopped `run`, `listen` or `send` still prints its summary and writes its recording:
//! with `listen --clients 0` a signal is the only way the session ends, and it must not be lost.
//! A second signal while stopping ends the process at once, as users expect of a second Ctrl-C.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::analysis::{Model, ProblemKind};
use crate::facts::{Event, Fault, Side};
use crate::session::{Session, Wait};

/// How long the event loop waits before looking at the signal flag again: a stop is seen within
/// this, short against a person's reaction, long enough to cost nothing while idle.
const POLL: Duration = Duration::from_millis(50);

/// The signal that asked this process to stop (0: none yet). Set by the handlers.
static SIGNAL: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// Catches SIGINT and SIGTERM from now on; the long-running commands call it first. Commands
/// that never poll [`interrupted`] (`decode` blocked on stdin) keep the default: killed at once.
pub fn install() -> std::io::Result<()> {
    if SIGNAL.get().is_some() {
        return Ok(());
    }
    let signal = Arc::new(AtomicUsize::new(0));
    let asked = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // registered before the flag, so it sees the flag set only by an earlier signal
        signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, asked.clone())?;
        signal_hook::flag::register(sig, asked.clone())?;
        signal_hook::flag::register_usize(sig, signal.clone(), sig as usize)?;
    }
    let _first_call_wins = SIGNAL.set(signal);
    Ok(())
}

/// The signal received since [`install`], if any.
pub fn interrupted() -> Option<Interrupted> {
    let signal = SIGNAL.get()?.load(Ordering::Relaxed);
    (signal != 0).then_some(Interrupted { signal: signal as i32 })
}

/// The command was stopped by a signal; its report was printed first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("stopped by signal {signal}")]
pub struct Interrupted {
    pub signal: i32,
}

impl Interrupted {
    /// 128 + the signal number: 130 for SIGINT, 143 for SIGTERM.
    pub fn exit_code(self) -> u8 {
        u8::try_from(128 + self.signal).unwrap_or(130)
    }

    /// The signal's usual name, for the message.
    pub fn name(self) -> &'static str {
        match self.signal {
            signal_hook::consts::SIGINT => "SIGINT (Ctrl-C)",
            signal_hook::consts::SIGTERM => "SIGTERM",
            _ => "a signal",
        }
    }
}

/// The session ran but did not succeed (exit 1); its report was printed first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{decode_errors} decode errors, {socket_errors} socket errors")]
pub struct SessionFailed {
    pub decode_errors: u64,
    pub socket_errors: u64,
}

/// Drives `session`'s run until it ends or a signal asks to stop, handing each batch (folded
/// already) to `on_batch` with the model as it comes. On a signal the run is stopped, which
/// joins every thread (so every socket is closed), and the batches still queued are folded and
/// handed over too, `Finished` last; the recording is finished either way.
pub fn fold(session: &mut Session, mut on_batch: impl FnMut(&Model, &[Event])) -> Option<Interrupted> {
    let stopped_by = loop {
        if let Some(i) = interrupted() {
            break Some(i);
        }
        match session.wait(POLL) {
            Wait::Batch(batch) => on_batch(session.model(), &batch),
            Wait::Quiet => {}
            Wait::Ended => break None,
        }
    };
    for batch in session.stop() {
        on_batch(session.model(), &batch);
    }
    stopped_by
}

/// The end of a session's command, once its report is out: a signal wins, then a failure.
pub fn outcome(model: &Model, stopped_by: Option<Interrupted>) -> anyhow::Result<()> {
    if let Some(i) = stopped_by {
        return Err(i.into());
    }
    // the top level and each connection of its own (`listen`'s clients, many-clients)
    let models = || std::iter::once(model).chain(model.echo().into_iter().flat_map(|e| e.connections.iter()));
    // The capture only watches: its failure leaves the experiment itself whole. A header the
    // listener closed a client for is a decode error, counted once as one. A sender whose peer
    // closed before the run was done (EPIPE, ECONNRESET) did not deliver what it meant to send.
    let failed = |m: &Model| {
        m.problems()
            .iter()
            .filter(|p| p.side != Side::Capture)
            .filter(|p| match &p.kind {
                ProblemKind::Failed(Fault::ClosedBadHeader) => false,
                ProblemKind::Failed(_) => true,
                ProblemKind::PeerClosed(_) => p.side == Side::TcpSender,
                _ => false,
            })
            .count() as u64
    };
    let socket_errors = models().map(failed).sum();
    let decode_errors = models().map(|m| m.summary().decode_errors).sum();
    if decode_errors > 0 || socket_errors > 0 {
        return Err(SessionFailed {
            decode_errors,
            socket_errors,
        }
        .into());
    }
    Ok(())
}
