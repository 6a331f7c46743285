//! stickyviz: see where a TCP sender's writes, the kernel's segments and the receiver's reads
//! cut one byte stream, and how framing restores message boundaries.
//!
//! The engine, framing, analysis, recording and CLI know nothing of the GUI, which sits behind
//! the default `gui` feature.

pub mod analysis;
pub mod cli;
pub mod cli_decode;
pub mod cli_echo;
pub mod cli_help;
pub mod cli_stop;
pub mod config;
pub mod echo_report;
pub mod engine;
pub mod framing;
pub mod peer_cli;
pub mod i18n;
pub mod pcapng;
pub mod presets;
pub mod recording;
pub mod render_cli;
pub mod svg;
pub mod text_timeline;
#[cfg(feature = "gui")]
pub mod ui;
