//! Recordings in the window: Open…, Save… (Ctrl+O, Ctrl+S; the system's dialog or a path box,
//! see file_dialog.rs), drag-and-drop of a `.json`, the replay banner, and the exports (SVG,
//! pcapng, text).

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::facts::OsError;
use crate::recording::Recording;
pub use crate::session::{ReplayInfo, SaveError, MAX_KEPT_EVENTS};
use crate::ui::file_dialog::{self, FileAction, PathPrompt};
use crate::ui::strings::{t, tf, S};
use crate::ui::{theme, StickyApp};

/// What the file menu last did, shown above the timeline until the next action.
#[derive(Clone, Debug)]
pub struct FileState {
    /// The last path used (typed, picked or dropped): the next dialog starts from it.
    pub path: String,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// The in-window path box, while open.
    pub prompt: Option<PathPrompt>,
    /// Use the system's file dialog; off where none can open (see file_dialog.rs).
    pub system_dialog: bool,
    /// Where live runs stream their temporary recording (the OS temp dir).
    pub temp_dir: PathBuf,
    /// Most events a live run keeps in memory when its temporary recording cannot be made.
    pub max_kept: usize,
}

impl Default for FileState {
    fn default() -> Self {
        Self {
            path: String::new(),
            error: None,
            notice: None,
            prompt: None,
            system_dialog: file_dialog::system_dialog_available(),
            temp_dir: std::env::temp_dir(),
            max_kept: MAX_KEPT_EVENTS,
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

impl StickyApp {
    /// Opens a recording file and shows it as a replay; errors go to the window, never a panic.
    pub fn open_recording(&mut self, path: &Path) {
        match Recording::load(path) {
            Ok(rec) => self.show_named_recording(&rec, &file_name(path)),
            Err(e) => self.file_error(crate::describe::open_failed(&file_name(path), &e, self.prefs.lang)),
        }
    }

    /// [`StickyApp::show_recording`], remembering the file name for the banner.
    pub fn show_named_recording(&mut self, rec: &Recording, source: &str) {
        self.show_recording_from(rec, source);
        self.files.error = None;
        self.files.notice = None;
    }

    /// Writes the shown run to `path` (gzip if it ends in `.gz`): a live run from its
    /// temporary recording, complete whatever its length; a replay from memory.
    pub fn save_recording(&mut self, path: &Path) {
        let lang = self.prefs.lang;
        let said = match self.session.save(path) {
            Ok(()) => Ok(tf(lang, S::SavedTo, &[("path", &path.display())])),
            Err(SaveError::NothingToSave) => Err(t(lang, S::NothingToSave).into()),
            Err(SaveError::TempFailed(temp, e)) => Err(tf(
                lang,
                S::TempRecordingFailed,
                &[
                    ("path", &temp.display()),
                    ("error", &crate::describe::os_error(&e.into(), lang)),
                    ("max", &crate::i18n::grouped(self.files.max_kept as u64)),
                ],
            )),
            Err(SaveError::TooBig { max_kept }) => Err(tf(
                lang,
                S::TooBigToSave,
                &[("max", &crate::i18n::grouped(max_kept as u64))],
            )),
            Err(SaveError::Write(e)) => Err(crate::describe::recording_error(&e, lang)),
        };
        match said {
            Ok(n) => self.file_notice(n),
            Err(e) => self.file_error(e),
        }
    }

    /// Writes the timeline lanes as SVG, in the window's theme and language.
    pub fn export_svg(&mut self, path: &Path, dark: bool) {
        use crate::export::options::{RenderLang, RenderOptions, RenderTheme};
        let lang = self.prefs.lang;
        if self.session.model().writes().is_empty() && self.session.model().reads().is_empty() {
            return self.file_error(t(lang, S::NothingToSave).into());
        }
        let opts = RenderOptions {
            theme: if dark { RenderTheme::Dark } else { RenderTheme::Light },
            lang: if lang == crate::ui::strings::Lang::Zh {
                RenderLang::Zh
            } else {
                RenderLang::En
            },
            ..RenderOptions::default()
        };
        match std::fs::write(path, crate::export::svg::render_model(self.session.model(), &opts)) {
            Ok(()) => self.file_notice(tf(lang, S::SavedTo, &[("path", &path.display())])),
            Err(e) => self.file_error(crate::describe::file_failure(
                &crate::facts::FileFailure::new(crate::facts::FileOp::Write, path, &e),
                lang,
            )),
        }
    }

    /// The text timeline and summary, as `stickyviz run` prints them.
    pub fn timeline_text(&self) -> String {
        format!(
            "{}\n{}",
            crate::export::text_timeline::render(self.session.model(), 100, self.prefs.lang),
            crate::export::text_timeline::summary(self.session.model(), self.prefs.lang)
        )
    }

    pub(crate) fn file_error(&mut self, e: String) {
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
            let painter = ctx.layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop-overlay"),
            ));
            painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(160));
            painter.text(
                screen.center(),
                egui::Align2::CENTER_CENTER,
                t(self.prefs.lang, S::DropToOpen),
                egui::FontId::proportional(24.0),
                egui::Color32::WHITE,
            );
        }
        let Some(file) = dropped.first() else { return };
        let path = file.path().to_path_buf();
        let name = file_name(&path);
        // A real path goes through Recording::load, which refuses huge files before reading.
        let loaded = if path.is_file() {
            Recording::load(&path)
        } else {
            use crate::recording::{NotRecording, RecordingError};
            // a file the window was handed as bytes: the reader's words, kept as data
            let unreadable = |words| {
                RecordingError::File(crate::facts::FileFailure {
                    op: crate::facts::FileOp::Read,
                    target: crate::facts::FileTarget::Path(name.clone()),
                    error: OsError {
                        kind: "Other".into(),
                        code: None,
                        words,
                    },
                })
            };
            file.bytes()
                .map_err(unreadable)
                .and_then(|bytes| {
                    String::from_utf8(bytes)
                        .map_err(|e| RecordingError::Malformed(NotRecording::NotUtf8 { reason: e.to_string() }))
                })
                .and_then(|text| Recording::from_json(&text))
        };
        match loaded {
            Ok(rec) => {
                self.show_named_recording(&rec, &name);
                self.files.path = path.display().to_string();
            }
            Err(e) => self.file_error(crate::describe::open_failed(&name, &e, self.prefs.lang)),
        }
    }

    /// Runs a file action: the system dialog picks the path, else the in-window path box does.
    pub fn choose_file(&mut self, action: FileAction, ctx: &egui::Context) {
        if !self.files.system_dialog {
            self.files.prompt = Some(PathPrompt::new(action));
            return;
        }
        if let Some(path) = file_dialog::system_pick(action, self.prefs.lang, self.files.path.trim()) {
            self.files.path = path.display().to_string();
            self.do_file_action(action, &path, ctx.global_style().visuals.dark_mode);
        }
    }

    fn do_file_action(&mut self, action: FileAction, path: &Path, dark: bool) {
        let lang = self.prefs.lang;
        match action {
            FileAction::Open => self.open_recording(path),
            FileAction::Save => self.save_recording(path),
            FileAction::ExportSvg => self.export_svg(&path.with_extension("svg"), dark),
            FileAction::ExportPcapng => {
                let target = path.with_extension("pcapng");
                match self.session.save_pcapng(&target, lang) {
                    Ok(_) => self.file_notice(tf(lang, S::SavedTo, &[("path", &target.display())])),
                    Err(e) => self.file_error(crate::describe::pcapng_error(&e, lang)),
                }
            }
        }
    }

    /// Whether Save has something to write now.
    pub fn can_save(&self) -> bool {
        !self.is_running() && !self.session.record().is_empty()
    }

    /// The "File" menu of the top bar, its shortcuts (Ctrl+O, Ctrl+S) and the path box.
    pub(crate) fn file_menu_ui(&mut self, ui: &mut Ui) {
        let lang = self.prefs.lang;
        let ctx = ui.ctx().clone();
        let open_key = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::O);
        let save_key = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::S);
        // the action runs after the menu has closed: a system dialog blocks this frame
        let mut action = None;
        if self.files.prompt.is_none() {
            if ui.input_mut(|i| i.consume_shortcut(&open_key)) {
                action = Some(FileAction::Open);
            } else if ui.input_mut(|i| i.consume_shortcut(&save_key)) {
                action = Some(FileAction::Save);
            }
        }
        let can_save = self.can_save();
        let menu = ui.menu_button(t(lang, S::FileMenu), |ui| {
            ui.set_min_width(240.0);
            let item = |ui: &mut Ui, key: S, shortcut: Option<&egui::KeyboardShortcut>, enabled: bool| {
                let mut b = egui::Button::new(format!("{}…", t(lang, key)));
                if let Some(k) = shortcut {
                    b = b.shortcut_text(ui.ctx().format_shortcut(k));
                }
                ui.add_enabled(enabled, b)
            };
            if item(ui, S::OpenRecording, Some(&open_key), true).clicked() {
                action = Some(FileAction::Open);
            }
            let save =
                item(ui, S::SaveRecording, Some(&save_key), can_save).on_disabled_hover_text(t(lang, S::NothingToSave));
            crate::ui::shown::area(ui, "menu.save", save.rect);
            if save.clicked() {
                action = Some(FileAction::Save);
            }
            ui.weak(t(lang, S::DropHint));
            ui.separator();
            let has_lanes = !self.session.model().writes().is_empty() || !self.session.model().reads().is_empty();
            if item(ui, S::ExportSvg, None, has_lanes)
                .on_hover_text(t(lang, S::ExportSvgTip))
                .clicked()
            {
                action = Some(FileAction::ExportSvg);
            }
            let why_no_packets = self.session.pcapng_unavailable();
            let pcap = item(
                ui,
                S::ExportPcapng,
                None,
                why_no_packets.is_none() && !self.is_running(),
            );
            let why_no_packets = why_no_packets.map(|why| crate::describe::no_packets(&why, lang));
            let pcap = match &why_no_packets {
                Some(why) => pcap.on_disabled_hover_text(tf(lang, S::PcapngUnavailable, &[("why", why)])),
                None => pcap.on_hover_text(t(lang, S::ExportPcapngTip)),
            };
            if pcap.clicked() {
                action = Some(FileAction::ExportPcapng);
            }
            if let Some(why) = &why_no_packets {
                ui.weak(tf(lang, S::PcapngUnavailable, &[("why", why)]));
            }
            if ui
                .button(t(lang, S::CopyText))
                .on_hover_text(t(lang, S::CopyTextTip))
                .clicked()
            {
                ui.ctx().copy_text(self.timeline_text());
                self.file_notice(t(lang, S::Copied).into());
            }
            ui.separator();
            if item(ui, S::ServerTestMenu, None, true)
                .on_hover_text(t(lang, S::ServerTestMenuTip))
                .clicked()
            {
                self.server_test.open = true;
                ui.close();
            }
            ui.separator();
            ui.checkbox(&mut self.files.system_dialog, t(lang, S::SystemFileDialog))
                .on_hover_text(t(lang, S::SystemFileDialogTip));
        });
        crate::ui::shown::area(ui, "menu.file", menu.response.rect);
        if let Some(a) = action {
            self.choose_file(a, &ctx);
        }
        if let Some((a, path)) = file_dialog::path_prompt_ui(ui, &mut self.files.prompt, &mut self.files.path, lang) {
            self.do_file_action(a, &path, ui.visuals().dark_mode);
        }
    }

    /// The replay banner and the file menu's last message, above the timeline.
    pub(crate) fn file_messages_ui(&mut self, ui: &mut Ui) {
        let lang = self.prefs.lang;
        let dark = ui.visuals().dark_mode;
        if let (Some(info), crate::ui::Status::Replay) = (&self.session.record().replay, &self.status) {
            let text = if info.source.is_empty() {
                tf(
                    lang,
                    S::ReplayBannerNoName,
                    &[
                        ("app_version", &info.app_version),
                        ("os", &info.os),
                        ("kernel", &info.kernel),
                    ],
                )
            } else {
                tf(
                    lang,
                    S::ReplayBanner,
                    &[
                        ("source", &info.source),
                        ("app_version", &info.app_version),
                        ("os", &info.os),
                        ("kernel", &info.kernel),
                    ],
                )
            };
            let mut rerun = false;
            egui::Frame::group(ui.style())
                .fill(theme::warn(dark).gamma_multiply(0.15))
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(text).strong());
                        rerun = ui
                            .button(t(lang, S::RerunLive))
                            .on_hover_text(t(lang, S::RerunLiveTip))
                            .clicked();
                    });
                });
            if rerun {
                self.start(&ui.ctx().clone());
            }
        }
        if let Some(e) = &self.files.error {
            ui.colored_label(theme::split_text(dark), e);
        }
        if let Some(n) = &self.files.notice {
            ui.label(RichText::new(n).color(theme::ok_text(dark)));
        }
    }
}
