//! stickyviz: see where a TCP sender's writes, the kernel's segments and the receiver's reads
//! cut one byte stream, and how framing restores message boundaries.
//!
//! The engine, framing, analysis, recording and CLI know nothing of the GUI, which sits behind
//! the default `gui` feature.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod describe;
pub mod engine;
pub mod export;
pub mod framing;
pub mod i18n;
pub mod presets;
pub mod recording;
pub mod session;
#[cfg(feature = "gui")]
pub mod ui;
