//! The desktop app: controls on the left, the timeline in the middle, UDP on the right, the
//! numbers at the bottom. Panels read the [`Model`] and their own view state; only this file
//! talks to the engine.

pub mod buffer_gauge;
pub mod controls;
pub mod echo_panel;
pub mod event_list;
pub mod file_menu;
pub mod fonts;
pub mod inspector;
pub mod listen;
pub mod playback;
pub mod playback_veil;
pub mod projector;
pub mod render;
pub mod stats;
pub mod strings;
pub mod theme;
pub mod time_view;
pub mod timeline;
pub mod udp_panel;

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

use crate::analysis::Model;
use crate::config::Experiment;
use crate::engine::Run;
use crate::framing::FramingMode;
use crate::presets;

use controls::Form;
use strings::{t, tf, Lang, S};
use timeline::{Selection, TimelineView};

/// Which x axis the central view uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ViewKind {
    #[default]
    Bytes,
    Time,
}

/// What survives a restart (eframe persistence).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub settings: Experiment,
    pub preset: Option<String>,
    pub auto_rerun: bool,
    pub lang: Lang,
    pub view: ViewKind,
    /// Large UI and a high-contrast palette for a classroom projector.
    pub projector: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        let slow = presets::find("slow-reader").map(|p| p.experiment).unwrap_or_default();
        Self { settings: slow, preset: Some("slow-reader".into()), auto_rerun: true, lang: Lang::En, view: ViewKind::Bytes, projector: false }
    }
}

const PREFS_KEY: &str = "stickyviz";
/// Most event batches folded into the model per frame, so one frame never stalls on a flood;
/// the rest wait for the next frame (which is requested at once).
const BATCHES_PER_FRAME: usize = 256;

/// Where a run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    Running { since: Instant },
    Finished { ms: u64 },
    Stopped,
    /// Showing a recording.
    Replay,
}

pub struct StickyApp {
    pub prefs: Prefs,
    pub form: Form,
    pub model: Model,
    pub timeline: TimelineView,
    pub selection: Option<Selection>,
    pub status: Status,
    pub start_error: Option<String>,
    run: Option<Run>,
    /// Settings changed since the last run.
    dirty: bool,
    /// No CJK font was found: say so once, with the fix.
    pub cjk_missing: bool,
    /// The slow-motion play head and its event index.
    pub playback: playback::PlaybackView,
    /// The shown run's raw events, for Save (see file_menu.rs).
    pub recorded: file_menu::Recorded,
    pub files: file_menu::FileState,
}

impl StickyApp {
    pub fn new(prefs: Prefs) -> Self {
        let form = Form::from_settings(&prefs.settings);
        Self {
            prefs,
            form,
            model: Model::default(),
            timeline: TimelineView::default(),
            selection: None,
            status: Status::Idle,
            start_error: None,
            run: None,
            dirty: false,
            cjk_missing: !fonts::cjk_font_installed(),
            playback: playback::PlaybackView::default(),
            recorded: file_menu::Recorded::default(),
            files: file_menu::FileState::default(),
        }
    }

    /// Starts a run with the current settings (stopping any run in progress).
    pub fn start(&mut self, ctx: &egui::Context) {
        self.stop();
        self.model = Model::default();
        self.selection = None;
        self.timeline.fit = true;
        self.playback.reset();
        self.dirty = false;
        self.start_error = None;
        self.recorded = file_menu::Recorded::live(self.prefs.settings.clone(), self.prefs.preset.clone());
        let ctx = ctx.clone();
        match Run::start(&self.prefs.settings, Some(Arc::new(move || ctx.request_repaint()))) {
            Ok(run) => {
                self.run = Some(run);
                self.status = Status::Running { since: Instant::now() };
            }
            Err(e) => {
                self.start_error = Some(e.to_string());
                self.status = Status::Idle;
            }
        }
    }

    /// Stops the run and joins its threads (within a poll interval).
    pub fn stop(&mut self) {
        if let Some(mut run) = self.run.take() {
            run.stop();
            for batch in run.events().try_iter() {
                for e in &batch {
                    self.model.apply(e);
                }
                self.recorded.extend(&batch);
            }
            self.status = Status::Stopped;
        }
    }

    pub fn is_running(&self) -> bool {
        self.run.is_some()
    }

    /// Folds waiting events into the model; ends the run when its threads are done.
    pub fn poll(&mut self, ctx: &egui::Context) {
        let Some(run) = &self.run else { return };
        let mut more = false;
        for (k, batch) in run.events().try_iter().enumerate() {
            for e in &batch {
                self.model.apply(e);
            }
            self.recorded.extend(&batch);
            if k + 1 >= BATCHES_PER_FRAME {
                more = true;
                break;
            }
        }
        if more {
            ctx.request_repaint();
        } else if run.is_finished() && run.events().is_empty() {
            let since = match self.status {
                Status::Running { since } => since,
                _ => Instant::now(),
            };
            if let Some(mut run) = self.run.take() {
                run.stop();
            }
            self.status = Status::Finished { ms: since.elapsed().as_millis() as u64 };
            self.select_first_lesson();
        } else {
            // the sender's last events come after a quiet period; look again soon
            ctx.request_repaint_after(Duration::from_millis(50));
        }
    }

    /// Runs until the current run has finished (for tests and headless rendering).
    pub fn wait_for_run(&mut self, ctx: &egui::Context, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        while self.is_running() && Instant::now() < end {
            self.poll(ctx);
            std::thread::sleep(Duration::from_millis(5));
        }
        !self.is_running()
    }

    /// Points the inspector at the first merged read (the lesson), else the first read.
    fn select_first_lesson(&mut self) {
        if self.selection.is_some() {
            return;
        }
        let merged = self.model.reads.iter().position(|r| matches!(self.model.read_kind(r), crate::analysis::ReadKind::Merged { .. }));
        self.selection = merged.or((!self.model.reads.is_empty()).then_some(0)).map(Selection::Read);
    }

    /// Shows a saved run exactly as recorded (a replay, not a re-run).
    pub fn show_recording(&mut self, rec: &crate::recording::Recording) {
        self.stop();
        self.prefs.settings = rec.settings.clone();
        self.prefs.preset = crate::recording::matching_preset(rec.preset.as_deref(), &rec.settings);
        self.form = Form::from_settings(&self.prefs.settings);
        self.model = Model::from_events(&rec.events);
        self.timeline = TimelineView::default();
        self.playback.reset();
        self.selection = None;
        self.start_error = None;
        self.dirty = false;
        self.status = Status::Replay;
        self.recorded = file_menu::Recorded::from_recording(rec, "");
        self.select_first_lesson();
    }

    pub fn load_preset(&mut self, name: &str, ctx: &egui::Context) {
        if let Some(p) = presets::find(name) {
            self.prefs.settings = p.experiment;
            self.prefs.preset = Some(p.name.into());
            self.form = Form::from_settings(&self.prefs.settings);
            self.start(ctx);
        }
    }

    fn lang(&self) -> Lang {
        self.prefs.lang
    }

    /// The whole window; eframe calls it through [`eframe::App::ui`], tests call it directly.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.poll(&ctx);
        self.handle_dropped_files(&ctx);
        self.playback.sync(&self.model, self.is_running());
        let space_used = self.playback.keys(&ctx);
        self.playback.tick(&ctx, self.is_running());
        self.timeline.play_head = self.playback.t();
        if let Some(sel) = self.playback.selection_to_show() {
            self.selection = Some(sel);
        }
        if !space_used && ui.input(|i| i.key_pressed(egui::Key::Space)) && !ctx.egui_wants_keyboard_input() {
            if self.is_running() { self.stop() } else { self.start(&ctx) }
        }
        let lang = self.lang();
        egui::Panel::top("top").show(ui, |ui| self.top_bar_ui(ui));
        egui::Panel::bottom("stats").show(ui, |ui| {
            stats::stats_ui(ui, &self.model, lang, self.prefs.settings.framing != FramingMode::None);
        });
        // a projector has no room for the settings: the presets in the top bar remain
        if !self.prefs.projector {
            egui::Panel::left("controls").default_size(270.0).resizable(true).show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| self.controls_ui(ui));
            });
        }
        if self.prefs.settings.transports.udp() {
            let t_us = self.playback.t().unwrap_or(self.model.last_us);
            egui::Panel::right("udp").default_size(310.0).show(ui, |ui| {
                buffer_gauge::udp_queue_ui(ui, &self.model, t_us, lang);
                udp_panel::udp_at_ui(ui, &self.model, self.prefs.settings.udp.read_size, lang, self.playback.t());
            });
        }
        egui::Panel::right("events").default_size(215.0).resizable(true).show(ui, |ui| {
            event_list::event_list_ui(ui, &self.model, &mut self.playback, lang);
        });
        // the central column scrolls: a request/response lesson puts its replies and latency plot
        // below the timeline, past the bottom of a 1280x800 window
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("central").auto_shrink([false, false]).show(ui, |ui| self.central_ui(ui));
        });
        // re-run once the user has finished typing (no text field has focus)
        if self.dirty && self.prefs.auto_rerun && !ctx.egui_wants_keyboard_input() && !self.form.has_errors() {
            self.start(&ctx);
        }
    }

    fn controls_ui(&mut self, ui: &mut Ui) {
        let lang = self.lang();
        let mut edited = self.prefs.settings.clone();
        let changed = controls::controls_ui(ui, &mut edited, &mut self.form, &self.model, lang);
        if changed.toggled || changed.typed {
            if let Some(valid) = self.form.apply(&edited, lang) {
                if valid != self.prefs.settings {
                    self.prefs.settings = valid;
                    self.prefs.preset = None;
                    self.dirty = true;
                }
            } else if changed.toggled {
                // keep the toggle even while a text field is wrong
                self.prefs.settings = edited;
            }
        }
    }

    fn top_bar_ui(&mut self, ui: &mut Ui) {
        let lang = self.lang();
        let ctx = ui.ctx().clone();
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("stickyviz").strong().size(18.0));
            ui.add_space(8.0);
            self.file_menu_ui(ui);
            let preset_label = ui.label(t(lang, S::Preset));
            let current = self.prefs.preset.clone().unwrap_or_else(|| t(lang, S::PresetCustom).into());
            let mut pick = None;
            egui::ComboBox::from_id_salt("preset").selected_text(current).width(130.0).show_ui(ui, |ui| {
                for p in presets::all() {
                    let summary = if lang == Lang::Zh { p.summary_zh } else { p.summary };
                    if ui.selectable_label(self.prefs.preset.as_deref() == Some(p.name), p.name).on_hover_text(summary).clicked() {
                        pick = Some(p.name);
                    }
                }
            })
            .response
            .labelled_by(preset_label.id);
            if let Some(name) = pick {
                self.load_preset(name, &ctx);
            }
            let run_label = if self.is_running() { t(lang, S::Stop) } else { t(lang, S::Run) };
            if ui.add(egui::Button::new(RichText::new(run_label).strong()).fill(theme::WRITTEN_LINE.gamma_multiply(0.6))).clicked() {
                if self.is_running() { self.stop() } else { self.start(&ctx) }
            }
            if ui.button(t(lang, S::Rerun)).clicked() {
                self.start(&ctx);
            }
            ui.checkbox(&mut self.prefs.auto_rerun, t(lang, S::AutoRerun)).on_hover_text(t(lang, S::AutoRerunTip));
            ui.separator();
            ui.selectable_value(&mut self.prefs.view, ViewKind::Bytes, t(lang, S::ViewBytes));
            ui.selectable_value(&mut self.prefs.view, ViewKind::Time, t(lang, S::ViewTime));
            ui.separator();
            ui.selectable_value(&mut self.prefs.lang, Lang::En, t(lang, S::LangEn));
            ui.selectable_value(&mut self.prefs.lang, Lang::Zh, t(lang, S::LangZh));
            ui.separator();
            let dark = ui.visuals().dark_mode;
            if ui.selectable_label(dark, t(lang, S::Dark)).clicked() {
                ctx.set_theme(egui::Theme::Dark);
            }
            if ui.selectable_label(!dark, t(lang, S::Light)).clicked() {
                ctx.set_theme(egui::Theme::Light);
            }
            if ui.selectable_label(self.prefs.projector, t(lang, S::Projector)).on_hover_text(t(lang, S::ProjectorTip)).clicked() {
                self.prefs.projector = !self.prefs.projector;
                projector::set(&ctx, self.prefs.projector);
            }
            ui.separator();
            let status = match &self.status {
                Status::Idle => String::new(),
                Status::Running { .. } => t(lang, S::Running).into(),
                Status::Finished { ms } => tf(lang, S::FinishedIn, &[ms]),
                Status::Stopped => t(lang, S::Stopped).into(),
                Status::Replay => t(lang, S::Replay).into(),
            };
            ui.weak(status);
        });
    }

    fn central_ui(&mut self, ui: &mut Ui) {
        let lang = self.lang();
        let dark = ui.visuals().dark_mode;
        self.file_messages_ui(ui);
        if let Some(p) = self.prefs.preset.as_deref().and_then(presets::find) {
            let summary = if lang == Lang::Zh { p.summary_zh } else { p.summary };
            ui.add(egui::Label::new(RichText::new(format!("{}: {summary}", p.name)).color(theme::warn(dark))).wrap());
        }
        if self.cjk_missing {
            ui.horizontal(|ui| {
                ui.colored_label(theme::SPLIT, t(lang, S::CjkMissing));
                if ui.small_button("✖").clicked() {
                    self.cjk_missing = false;
                }
            });
        }
        if let Some(e) = &self.start_error {
            ui.colored_label(theme::SPLIT, tf(lang, S::StartFailed, &[e]));
        }
        let causality = |p: &&crate::analysis::Problem| matches!(p.kind, crate::analysis::ProblemKind::Causality(_));
        for p in self.model.problems.iter().filter(|p| !causality(p)).take(3) {
            ui.colored_label(theme::SPLIT, crate::describe::problem(p, lang));
        }
        // effects stamped before their causes: one line, the count and the first one (never hidden)
        if let Some(first) = self.model.problems.iter().find(causality) {
            let n = self.model.summary.causality_violations;
            ui.colored_label(theme::SPLIT, tf(lang, S::ViolationsLine, &[&n, &crate::describe::problem(first, lang)]));
        }
        if matches!(self.status, Status::Idle) && self.model.messages.is_empty() && self.model.datagrams.is_empty() {
            ui.label(t(lang, S::NoRunYet));
        }
        ui.add_space(4.0);
        if self.prefs.settings.transports.tcp() {
            self.playback.bar_ui(ui, lang);
            // the buffer first: it is the lesson, and on a projector there is room for little else
            let t_us = self.playback.t().unwrap_or(self.model.last_us);
            buffer_gauge::tcp_gauge_ui(ui, &self.model, t_us, self.playback.peak_backlog, lang);
            match self.prefs.view {
                ViewKind::Bytes => {
                    ui.label(RichText::new(t(lang, S::LaneAxis)).size(13.0));
                    timeline::timeline_ui(ui, &self.model, &mut self.timeline, &mut self.selection, lang);
                }
                ViewKind::Time => time_view::time_view_at_ui(ui, &self.model, lang, timeline::height(), self.playback.t()),
            }
            ui.separator();
            if self.model.echo.is_some() {
                // View state in egui's memory keeps the app struct (and its merge) unchanged.
                let id = ui.scope_id().with("echo_view");
                let mut view: echo_panel::EchoView = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
                echo_panel::echo_panel_ui(ui, &self.model, &mut view, lang, self.prefs.settings.sender.nagle);
                ui.data_mut(|d| d.insert_temp(id, view));
                ui.separator();
            }
            inspector::inspector_ui(ui, &self.model, self.selection, lang);
        }
    }
}

impl eframe::App for StickyApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }

    fn on_exit(&mut self) {
        self.stop();
    }
}

/// The window every mode opens: usable at 1280×800, no smaller than its panels need.
pub(crate) fn native_options(title: &str) -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]).with_min_inner_size([960.0, 600.0]).with_title(title),
        ..Default::default()
    }
}

/// Opens the window (what `stickyviz` with no arguments does). `lang` is the language of a
/// first launch (`--lang` or the locale); after that the window remembers the user's choice.
pub fn run_native(lang: Lang) -> eframe::Result<()> {
    eframe::run_native(
        "stickyviz",
        native_options("stickyviz"),
        Box::new(|cc| {
            let prefs: Prefs = cc.storage.and_then(|s| eframe::get_value(s, PREFS_KEY)).unwrap_or_else(|| Prefs { lang, ..Prefs::default() });
            if prefs.projector {
                projector::set(&cc.egui_ctx, true);
            }
            let mut app = StickyApp::new(prefs);
            app.start(&cc.egui_ctx);
            Ok(Box::new(app))
        }),
    )
}
