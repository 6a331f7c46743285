//! The egui panels of stickyviz: each draws the [`Model`](stickyviz_view::analysis::Model) and
//! its own view state, and nothing else — no socket, thread or file. The native window
//! (`stickyviz::ui`) puts them around a live run; the browser viewer puts them around a
//! recording. Builds for `wasm32-unknown-unknown`.

pub mod buffer_gauge;
pub mod controls;
pub mod echo_panel;
pub mod event_list;
pub mod inspector;
pub mod layout;
pub mod lesson;
pub mod playback;
pub mod playback_veil;
pub mod plot_axes;
pub mod projector;
pub mod restart_panel;
pub mod roster;
pub mod send_close_controls;
pub mod shown;
pub mod stats;
pub mod strings;
pub mod theme;
pub mod time_view;
pub mod timeline;
pub mod udp_panel;
pub mod why;

pub use stickyviz_view::export::units;

use stickyviz_facts as facts;
use stickyviz_facts::config;
use stickyviz_framing as framing;
use stickyviz_i18n as i18n;
#[cfg(test)]
use stickyviz_view::presets;
use stickyviz_view::{analysis, describe};
