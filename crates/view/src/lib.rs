//! The viewer half of stickyviz without a window: what turns a run's events into a picture and
//! words, for the native app and the browser alike (it builds for `wasm32-unknown-unknown`).
//!
//! Layers, bottom up (`tests/layers.rs` checks the order inside this crate): `analysis` folds
//! events into a `Model`; `presets` are the lessons; `recording` is a run as versioned JSON;
//! `describe` turns typed facts into words for a `Lang`; `export` writes text, SVG and pcapng.

pub mod analysis;
pub mod describe;
pub mod export;
pub mod presets;
pub mod recording;

use stickyviz_facts as facts;
use stickyviz_facts::config;
use stickyviz_framing as framing;
use stickyviz_i18n as i18n;
