//! Recordings in the window: Save, Open (a path field: no native dialog, see below),
//! drag-and-drop of a `.json`, the replay banner, and the exports (SVG, text).
//!
//! A native file dialog (`rfd`) would pull in a D-Bus portal stack that needs a desktop portal
//! at run time; a classroom machine without one would get a dialog that never opens. A path
//! field always works, and dropping a file onto the window covers the mouse-first user.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::config::Experiment;
use crate::engine::Event;
use crate::recording::{Recording, FORMAT, VERSION};
use crate::ui::strings::{t, tf, S};
use crate::ui::{theme, StickyApp};

/// Most events kept for Save. The model's own history cap is the same number, so a run the
/// window can still show completely can also be saved completely.
pub const MAX_KEPT_EVENTS: usize = crate::analysis::DEFAULT_HISTORY_CAP;

/// Where the shown run came from: a file (replay) rather than a live run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayInfo {
    /// The file name, or empty when the recording came from code (tests).
    pub source: String,
    pub app_version: String,
    pub os: String,
    pub kernel: String,
}

/// The raw events of the shown run, kept so Save writes exactly what was seen.
#[derive(Clone, Debug, Default)]
pub struct Recorded {
    pub settings: Experiment,
    pub preset: Option<String>,
    pub events: Vec<Event>,
    /// More than [`MAX_KEPT_EVENTS`] arrived: the run cannot be saved completely.
    pub overflowed: bool,
    pub replay: Option<ReplayInfo>,
}

impl Recorded {
    pub fn live(settings: Experiment, preset: Option<String>) -> Self {
        Self { settings, preset, ..Self::default() }
    }

    pub fn from_recording(rec: &Recording, source: &str) -> Self {
        Self {
            settings: rec.settings.clone(),
            preset: rec.preset.clone(),
            events: rec.events.clone(),
            overflowed: false,
            replay: Some(ReplayInfo { source: source.into(), app_version: rec.app_version.clone(), os: rec.os.clone(), kernel: rec.kernel.clone() }),
        }
    }

    pub fn extend(&mut self, batch: &[Event]) {
        let room = MAX_KEPT_EVENTS.saturating_sub(self.events.len());
        self.overflowed |= batch.len() > room;
        self.events.extend(batch.iter().take(room).cloned());
    }

    /// The recording Save writes: a replay keeps the app, OS and kernel it was made on.
    pub fn to_recording(&self) -> Recording {
        let mut rec = Recording::new(self.settings.clone(), self.events.clone()).with_preset(self.preset.as_deref());
        if let Some(info) = &self.replay {
            rec.app_version.clone_from(&info.app_version);
            rec.os.clone_from(&info.os);
            rec.kernel.clone_from(&info.kernel);
        }
        debug_assert!(rec.format == FORMAT && rec.version == VERSION);
        rec
    }
}

/// What the file menu last did, shown above the timeline until the next action.
#[derive(Clone, Debug, Default)]
pub struct FileState {
    pub path: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

impl StickyApp {
    /// Opens a recording file and shows it as a replay; errors go to the window, never a panic.
    pub fn open_recording(&mut self, path: &Path) {
        match Recording::load(path) {
            Ok(rec) => self.show_named_recording(&rec, &file_name(path)),
            Err(e) => self.file_error(tf(self.prefs.lang, S::OpenFailed, &[&file_name(path), &e])),
        }
    }

    /// [`StickyApp::show_recording`], remembering the file name for the banner.
    pub fn show_named_recording(&mut self, rec: &Recording, source: &str) {
        self.show_recording(rec);
        self.recorded = Recorded::from_recording(rec, source);
        self.files.error = None;
        self.files.notice = None;
    }

    pub fn save_recording(&mut self, path: &Path) {
        let lang = self.prefs.lang;
        if self.is_running() || self.recorded.events.is_empty() {
            return self.file_error(t(lang, S::NothingToSave).into());
        }
        if self.recorded.overflowed {
            return self.file_error(tf(lang, S::TooBigToSave, &[&MAX_KEPT_EVENTS]));
        }
        match self.recorded.to_recording().save(path) {
            Ok(()) => self.file_notice(tf(lang, S::SavedTo, &[&path.display()])),
            Err(e) => self.file_error(e.to_string()),
        }
    }

    /// Writes the timeline lanes as SVG, in the window's theme and language.
    pub fn export_svg(&mut self, path: &Path, dark: bool) {
        use crate::export::options::{RenderLang, RenderOptions, RenderTheme};
        let lang = self.prefs.lang;
        if self.model.writes.is_empty() && self.model.reads.is_empty() {
            return self.file_error(t(lang, S::NothingToSave).into());
        }
        let opts = RenderOptions {
            theme: if dark { RenderTheme::Dark } else { RenderTheme::Light },
            lang: if lang == crate::ui::strings::Lang::Zh { RenderLang::Zh } else { RenderLang::En },
            ..RenderOptions::default()
        };
        match std::fs::write(path, crate::export::svg::render_model(&self.model, &opts)) {
            Ok(()) => self.file_notice(tf(lang, S::SavedTo, &[&path.display()])),
            Err(e) => self.file_error(format!("cannot write {}: {e}", path.display())),
        }
    }

    /// The text timeline and summary, as `stickyviz run` prints them.
    pub fn timeline_text(&self) -> String {
        format!("{}\n{}", crate::export::text_timeline::render(&self.model, 100, self.prefs.lang), crate::export::text_timeline::summary(&self.model, self.prefs.lang))
    }

    fn file_error(&mut self, e: String) {
        self.files.error = Some(e);
        self.files.notice = None;
    }

    fn file_notice(&mut self, n: String) {
        self.files.notice = Some(n);
        self.files.error = None;
    }

    /// Opens the first file dropped onto the window this frame; while files hover over the
    /// window, says that dropping opens them.
    pub(crate) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let (hovering, dropped) = ctx.input(|i| (!i.raw.hovered_files.is_empty(), i.raw.dropped_files.clone()));
        if hovering {
            let screen = ctx.content_rect();
            let painter = ctx.layer_painter(egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("drop-overlay")));
            painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(160));
            painter.text(screen.center(), egui::Align2::CENTER_CENTER, t(self.prefs.lang, S::DropToOpen), egui::FontId::proportional(24.0), egui::Color32::WHITE);
        }
        let Some(file) = dropped.first() else { return };
        let path = file.path().to_path_buf();
        let name = file_name(&path);
        // A real path goes through Recording::load, which refuses huge files before reading.
        let loaded = if path.is_file() {
            Recording::load(&path).map_err(|e| e.to_string())
        } else {
            file.bytes().and_then(|bytes| String::from_utf8(bytes).map_err(|e| e.to_string())).and_then(|text| Recording::from_json(&text).map_err(|e| e.to_string()))
        };
        match loaded {
            Ok(rec) => {
                self.show_named_recording(&rec, &name);
                self.files.path = path.display().to_string();
            }
            Err(e) => self.file_error(tf(self.prefs.lang, S::OpenFailed, &[&name, &e])),
        }
    }

    /// The "File" menu of the top bar.
    pub(crate) fn file_menu_ui(&mut self, ui: &mut Ui) {
        let lang = self.prefs.lang;
        ui.menu_button(t(lang, S::FileMenu), |ui| {
            ui.set_min_width(320.0);
            let label = ui.label(t(lang, S::FilePath));
            ui.add(egui::TextEdit::singleline(&mut self.files.path).hint_text("run.json").desired_width(300.0)).labelled_by(label.id);
            let path = PathBuf::from(self.files.path.trim());
            let has_path = !self.files.path.trim().is_empty();
            ui.horizontal(|ui| {
                if ui.add_enabled(has_path, egui::Button::new(t(lang, S::OpenRecording))).clicked() {
                    self.open_recording(&path);
                    ui.close();
                }
                if ui.add_enabled(has_path, egui::Button::new(t(lang, S::SaveRecording))).clicked() {
                    self.save_recording(&path);
                    ui.close();
                }
            });
            ui.weak(t(lang, S::DropHint));
            ui.separator();
            if ui.add_enabled(has_path, egui::Button::new(t(lang, S::ExportSvg))).on_hover_text(t(lang, S::ExportSvgTip)).clicked() {
                let dark = ui.visuals().dark_mode;
                self.export_svg(&path.with_extension("svg"), dark);
                ui.close();
            }
            let why_no_packets = crate::export::pcapng::why_unavailable(&self.recorded.events);
            let pcap = ui.add_enabled(has_path && why_no_packets.is_none() && !self.is_running(), egui::Button::new(t(lang, S::ExportPcapng)));
            let pcap = match &why_no_packets {
                Some(why) => pcap.on_disabled_hover_text(tf(lang, S::PcapngUnavailable, &[why])),
                None => pcap.on_hover_text(t(lang, S::ExportPcapngTip)),
            };
            if pcap.clicked() {
                let target = path.with_extension("pcapng");
                match crate::export::pcapng::save(&self.recorded.events, &target) {
                    Ok(_) => self.file_notice(tf(lang, S::SavedTo, &[&target.display()])),
                    Err(e) => self.file_error(e.to_string()),
                }
                ui.close();
            }
            if let Some(why) = &why_no_packets {
                ui.weak(tf(lang, S::PcapngUnavailable, &[why]));
            }
            if ui.button(t(lang, S::CopyText)).on_hover_text(t(lang, S::CopyTextTip)).clicked() {
                ui.ctx().copy_text(self.timeline_text());
                self.file_notice(t(lang, S::Copied).into());
                ui.close();
            }
        });
    }

    /// The replay banner and the file menu's last message, above the timeline.
    pub(crate) fn file_messages_ui(&mut self, ui: &mut Ui) {
        let lang = self.prefs.lang;
        let dark = ui.visuals().dark_mode;
        if let (Some(info), crate::ui::Status::Replay) = (&self.recorded.replay, &self.status) {
            let text = if info.source.is_empty() {
                tf(lang, S::ReplayBannerNoName, &[&info.app_version, &info.os, &info.kernel])
            } else {
                tf(lang, S::ReplayBanner, &[&info.source, &info.app_version, &info.os, &info.kernel])
            };
            let mut rerun = false;
            egui::Frame::group(ui.style()).fill(theme::warn(dark).gamma_multiply(0.15)).show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(text).strong());
                    rerun = ui.button(t(lang, S::RerunLive)).on_hover_text(t(lang, S::RerunLiveTip)).clicked();
                });
            });
            if rerun {
                self.start(&ui.ctx().clone());
            }
        }
        if let Some(e) = &self.files.error {
            ui.colored_label(theme::SPLIT, e);
        }
        if let Some(n) = &self.files.notice {
            ui.label(RichText::new(n).color(theme::FRAME_OK));
        }
    }
}
