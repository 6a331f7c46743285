//! The settings of a run and the facts it records: the layer every other one stands on.
//!
//! `config` is every setting with its flag, range and validation; `event` is what a run
//! records, as named events on one clock (µs); `fact`, `close_facts`, `failure` and `torture`
//! are the typed facts inside them (which call failed with which OS error, why capture is
//! unavailable, how a connection closed, what a server under test answered). No words: the
//! `describe` layer of `stickyviz_view` words each fact per language. Builds for
//! `wasm32-unknown-unknown` (no socket, thread or file code), so the browser viewer reads
//! recordings with the same types.

pub mod close_facts;
pub mod config;
pub mod event;
pub mod fact;
pub mod failure;
pub mod ids;
pub mod torture;
pub mod trace;

pub use event::{
    BindWhen, Call, CaptureUnavailable, CapturedPacket, ClientOutcome, ControlKind, EndReason, Event, Fault,
    LinkFailure, MsgId, NamespaceBlock, NamespaceStep, OsError, PanickedThread, ReadCuts, Side, SockOpt, StreamOffset,
    TableEntry, TcpState,
};
pub use failure::{
    EngineError, FileFailure, FileOp, FileTarget, ListenError, NoPackets, PcapngError, SetupCall, SetupOpt, SocketRole,
};

use stickyviz_framing as framing;
use stickyviz_i18n as i18n;
