//! stickyviz: see where a TCP sender's writes, the kernel's segments and the receiver's reads
//! cut one byte stream, and how framing restores message boundaries.
//!
//! This crate is the top of the workspace (docs/architecture.md): the one `session` path that
//! drives a run, the command line and the window (behind the default `gui` feature). The layers
//! below it are crates of their own, re-exported here under their old names.

pub use stickyviz_engine as engine;
pub use stickyviz_facts as facts;
pub use stickyviz_facts::config;
pub use stickyviz_framing as framing;
pub use stickyviz_i18n as i18n;
pub use stickyviz_view::{analysis, describe, export, presets, recording};

pub mod cli;
pub mod session;
#[cfg(feature = "gui")]
pub mod ui;
