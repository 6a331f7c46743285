//! The desktop app: controls on the left, the timeline in the middle, UDP on the right, the
//! numbers at the bottom. The panels are `stickyviz_panels` (they read the [`Model`] and their
//! own view state, and build for the browser too); this module is the native window around them:
//! live runs through the one `Session`, the class session, "test your server", file dialogs,
//! system fonts and the headless renderer. Only this file talks to the engine.

mod class_guard;
pub mod file_dialog;
pub mod file_menu;
pub mod fonts;
mod layout_dump;
pub mod listen;
pub mod render;
pub mod server_test;
mod window;

pub use stickyviz_panels::{
    buffer_gauge, controls, echo_panel, event_list, inspector, layout, lesson, playback, playback_veil, projector,
    restart_panel, roster, send_close_controls, shown, stats, strings, theme, time_view, timeline, udp_panel, units,
    why,
};

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::Ui;
use serde::{Deserialize, Serialize};

use crate::analysis::Model;
use crate::config::Experiment;
use crate::engine::Run;
use crate::framing::FramingMode;
use crate::presets;
use crate::session::{Poll, RecordTo, Session, StartError};

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
    /// The lesson last opened. Unlike `preset` (the settings equal a lesson's) it stays when
    /// the user changes a setting, so the explanation stays and "back to the lesson" works.
    pub lesson: Option<String>,
}

impl Default for Prefs {
    fn default() -> Self {
        let slow = presets::find("slow-reader").map(|p| p.experiment).unwrap_or_default();
        Self {
            settings: slow,
            preset: Some("slow-reader".into()),
            auto_rerun: true,
            lang: Lang::En,
            view: ViewKind::Bytes,
            projector: false,
            lesson: Some("slow-reader".into()),
        }
    }
}

const PREFS_KEY: &str = "stickyviz";
/// Frames in which a newly opened lesson's evidence is scrolled into view (see `reveal`).
const REVEAL_FRAMES: u8 = 12;
/// Most event batches folded into the model per frame, so one frame never stalls on a flood;
/// the rest wait for the next frame (which is requested at once). It is the engine's whole
/// queue (`engine::sink::QUEUE_BATCHES`): a frame can empty it, and while the window draws the
/// engine waits for room, which the run records and the stats strip says (`QueueWait`).
pub use crate::session::WINDOW_HISTORY_CAP;

const BATCHES_PER_FRAME: usize = crate::engine::sink::QUEUE_BATCHES;

/// Where a run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    Running {
        since: Instant,
    },
    Finished {
        ms: u64,
    },
    Stopped,
    /// Showing a recording.
    Replay,
}

pub struct StickyApp {
    pub prefs: Prefs,
    pub form: Form,
    /// The run shown: its model, its recording and what Save and the exports read.
    pub session: Session,
    pub timeline: TimelineView,
    pub selection: Option<Selection>,
    pub status: Status,
    pub start_error: Option<String>,
    /// Settings changed since the last run.
    dirty: bool,
    /// No CJK font was found: say so once, with the fix.
    pub cjk_missing: bool,
    /// The slow-motion play head and its event index.
    pub playback: playback::PlaybackView,
    pub files: file_menu::FileState,
    /// Side panels opened from the top bar while the window is too small to dock them.
    pub drawers: layout::Drawers,
    /// "Test your server" (File menu): its window, fields and report.
    pub server_test: server_test::ServerTest,
    /// Frames left in which to scroll the lesson's evidence into view (set when a lesson opens):
    /// the first frames after opening still size the panels, so one scroll is not enough.
    reveal: u8,
    /// A client was just picked in the roster: scroll its stream (the main timeline) into view.
    reveal_client: bool,
    /// Run was asked over an ended class session: the question is on screen (class_guard.rs).
    asking_to_replace_class: bool,
    /// `listen --tcp`: the class session's address and roster (none for a loopback run).
    pub class: Option<roster::ClassView>,
}

impl StickyApp {
    pub fn new(prefs: Prefs) -> Self {
        let form = Form::from_settings(&prefs.settings);
        Self {
            prefs,
            form,
            session: Session::window(),
            timeline: TimelineView::default(),
            selection: None,
            status: Status::Idle,
            start_error: None,
            dirty: false,
            cjk_missing: !fonts::cjk_font_installed(),
            playback: playback::PlaybackView::default(),
            files: file_menu::FileState::default(),
            drawers: layout::Drawers::default(),
            server_test: server_test::ServerTest::default(),
            reveal: REVEAL_FRAMES,
            reveal_client: false,
            asking_to_replace_class: false,
            class: None,
        }
    }

    /// The one reset of what the window shows before a new run (a loopback run or a listen
    /// session); the session resets its own model and record.
    fn reset_view(&mut self) {
        self.class = None;
        self.selection = None;
        self.timeline.fit = true;
        self.playback.reset();
        self.dirty = false;
        self.start_error = None;
    }

    /// What a live run records to: a temporary recording Save copies.
    fn record_to(&self) -> RecordTo {
        RecordTo::TempFile {
            dir: self.files.temp_dir.clone(),
            max_kept: self.files.max_kept,
        }
    }

    /// Says on screen that the temporary recording could not be made (Save then keeps at most
    /// `max_kept` events in memory).
    fn say_temp_failed(&mut self) {
        if let Some((path, why)) = self.session.record().temp_failed() {
            self.files.error = Some(tf(
                self.lang(),
                S::TempRecordingFailed,
                &[
                    ("path", &path.display()),
                    ("error", &crate::describe::os_error(&why.into(), self.lang())),
                    ("max", &crate::i18n::grouped(self.files.max_kept as u64)),
                ],
            ));
        }
    }

    /// Starts a run with the current settings (stopping any run in progress).
    pub fn start(&mut self, ctx: &egui::Context) {
        self.stop();
        self.reset_view();
        let ctx = ctx.clone();
        let wake: crate::engine::sink::Wake = Arc::new(move || ctx.request_repaint());
        let to = self.record_to();
        let started = self
            .session
            .start(&self.prefs.settings, self.prefs.preset.as_deref(), to, Some(wake));
        self.say_temp_failed();
        match started {
            Ok(()) => self.status = Status::Running { since: Instant::now() },
            Err(StartError::Engine(e)) => {
                self.start_error = Some(crate::describe::engine_error(&e, self.lang()));
                self.status = Status::Idle;
            }
            Err(StartError::Recording(e)) => {
                self.start_error = Some(crate::describe::os_error(&(&e).into(), self.lang()));
                self.status = Status::Idle;
            }
        }
    }

    /// Shows a run the peers started (`listen`): the same reset and record as [`Self::start`],
    /// over `settings` (what the listener reads with).
    pub fn show_run(&mut self, run: Run, settings: Experiment) {
        self.stop();
        self.reset_view();
        self.form = Form::from_settings(&settings);
        self.prefs.settings = settings;
        self.prefs.preset = None;
        // an external client's stream is no lesson of ours: no lesson text beside it
        self.prefs.lesson = None;
        let to = self.record_to();
        let attached = self.session.attach(run, &self.prefs.settings, None, to);
        self.say_temp_failed();
        match attached {
            Ok(()) => self.status = Status::Running { since: Instant::now() },
            Err(e) => {
                self.start_error = Some(e.to_string());
                self.status = Status::Idle;
            }
        }
    }

    /// Stops the run and joins its threads (within a poll interval).
    pub fn stop(&mut self) {
        if self.session.is_running() {
            self.session.stop();
            self.status = Status::Stopped;
        }
    }

    pub fn is_running(&self) -> bool {
        self.session.is_running()
    }

    /// The shown run's model.
    pub fn model(&self) -> &Model {
        self.session.model()
    }

    /// Folds waiting events into the model; ends the run when its threads are done.
    pub fn poll(&mut self, ctx: &egui::Context) {
        match self.session.poll(BATCHES_PER_FRAME) {
            Poll::Idle => {}
            Poll::More => ctx.request_repaint(),
            // the sender's last events come after a quiet period; look again soon
            Poll::Waiting => ctx.request_repaint_after(Duration::from_millis(50)),
            Poll::Ended => {
                let since = match self.status {
                    Status::Running { since } => since,
                    _ => Instant::now(),
                };
                self.status = Status::Finished {
                    ms: since.elapsed().as_millis() as u64,
                };
                self.select_first_lesson();
            }
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
        let model = self.session.model();
        let merged = model
            .reads()
            .iter()
            .position(|r| matches!(model.read_kind(r), crate::analysis::ReadKind::Merged { .. }));
        self.selection = merged.or((!model.reads().is_empty()).then_some(0)).map(Selection::Read);
    }

    /// Shows a saved run exactly as recorded (a replay, not a re-run).
    pub fn show_recording(&mut self, rec: &crate::recording::Recording) {
        self.show_recording_from(rec, "");
    }

    /// [`StickyApp::show_recording`] of the file `source` (named in the replay banner).
    pub(crate) fn show_recording_from(&mut self, rec: &crate::recording::Recording, source: &str) {
        self.stop();
        self.prefs.settings = rec.settings.clone();
        self.prefs.preset = crate::recording::matching_preset(rec.preset.as_deref(), &rec.settings);
        self.prefs.lesson = rec
            .preset
            .clone()
            .filter(|name| presets::find(name).is_some())
            .or_else(|| self.prefs.preset.clone());
        self.reveal = REVEAL_FRAMES;
        self.form = Form::from_settings(&self.prefs.settings);
        self.session.replay(rec, source);
        self.timeline = TimelineView::default();
        self.playback.reset();
        self.selection = None;
        self.start_error = None;
        self.dirty = false;
        self.status = Status::Replay;
        self.select_first_lesson();
    }

    pub fn load_preset(&mut self, name: &str, ctx: &egui::Context) {
        if let Some(p) = presets::find(name) {
            self.prefs.settings = p.experiment;
            self.prefs.preset = Some(p.name.into());
            self.prefs.lesson = Some(p.name.into());
            self.form = Form::from_settings(&self.prefs.settings);
            // a new lesson starts at its beginning: no zoom carried over from the last one
            self.timeline = TimelineView::default();
            self.reveal = REVEAL_FRAMES;
            self.start(ctx);
        }
    }

    /// Opens on `settings` (the command line's) and runs them; `preset` names the lesson they
    /// started from, whose explanation stays while they differ from it.
    pub fn run_settings(&mut self, settings: Experiment, preset: Option<&str>, ctx: &egui::Context) {
        self.prefs.preset = crate::recording::matching_preset(preset, &settings);
        self.prefs.lesson = preset.filter(|name| presets::find(name).is_some()).map(str::to_string);
        self.prefs.settings = settings;
        self.form = Form::from_settings(&self.prefs.settings);
        self.timeline = TimelineView::default();
        self.reveal = REVEAL_FRAMES;
        self.start(ctx);
    }

    fn lang(&self) -> Lang {
        self.prefs.lang
    }

    /// The whole window; eframe calls it through [`eframe::App::ui`], tests call it directly.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        shown::begin_frame(&ctx);
        self.poll(&ctx);
        self.handle_dropped_files(&ctx);
        self.playback.sync(self.session.model(), self.is_running());
        self.playback.keys(&ctx);
        self.playback.tick(&ctx, self.is_running());
        self.timeline.play_head = self.playback.t();
        if let Some(sel) = self.playback.selection_to_show() {
            self.selection = Some(sel);
        }
        let typing = ctx.egui_wants_keyboard_input() || self.files.prompt.is_some();
        if !typing && !self.asking_to_replace_class && ui.input(|i| i.key_pressed(egui::Key::Space)) {
            if self.is_running() {
                self.stop()
            } else {
                self.run_asked(&ctx)
            }
        }
        let lang = self.lang();
        let evidence = self.prefs.lesson.as_deref().and_then(layout::evidence_of);
        let plan = layout::plan(
            ctx.content_rect().size(),
            self.prefs.settings.transports,
            evidence,
            self.drawers,
        );
        self.timeline.lane_h = plan.lane_h;
        self.timeline.framing = self.prefs.settings.framing;
        // each panel's rectangle is recorded: the layout tests compare labels panel by panel
        let top = egui::Panel::top("top").show(ui, |ui| self.top_bar_ui(ui, &plan));
        shown::area(ui, "panel.top", top.response.rect);
        let bottom = egui::Panel::bottom("stats").show(ui, |ui| {
            stats::stats_ui(
                ui,
                roster::shown(self.session.model(), self.class.as_ref()),
                lang,
                self.prefs.settings.framing != FramingMode::None,
                plan.compact,
                self.class.is_some(),
            );
        });
        shown::area(ui, "panel.bottom", bottom.response.rect);
        if plan.controls {
            egui::Panel::left("controls")
                .default_size(if plan.compact { 250.0 } else { 270.0 })
                .resizable(true)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        shown::area(ui, "panel.controls", ui.clip_rect());
                        self.controls_ui(ui);
                    });
                });
        }
        // a UDP-only lesson has no lanes: its panel takes the middle instead
        let udp_central = !self.prefs.settings.transports.tcp();
        if plan.udp && !udp_central {
            let t_us = self.playback.t().unwrap_or(self.session.model().last_us());
            let panel = egui::Panel::right("udp")
                .default_size(if plan.compact { 260.0 } else { 310.0 })
                .show(ui, |ui| {
                    shown::area(ui, "panel.udp", ui.clip_rect());
                    buffer_gauge::udp_queue_ui(ui, self.session.model(), t_us, lang);
                    udp_panel::udp_at_ui(
                        ui,
                        self.session.model(),
                        self.prefs.settings.udp.read_size,
                        lang,
                        self.playback.t(),
                    );
                });
            shown::area(ui, "udp", panel.response.rect);
        }
        if plan.events {
            egui::Panel::right("events")
                .default_size(215.0)
                .resizable(true)
                .show(ui, |ui| {
                    shown::area(ui, "panel.events", ui.clip_rect());
                    event_list::event_list_ui(ui, self.session.model(), &mut self.playback, lang);
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if udp_central {
                shown::area(ui, "panel.central", ui.clip_rect());
                self.lesson_title_ui(ui, &plan);
                self.lesson_header_ui(ui);
                let t_us = self.playback.t().unwrap_or(self.session.model().last_us());
                let top = ui.cursor().min;
                buffer_gauge::udp_queue_ui(ui, self.session.model(), t_us, lang);
                udp_panel::udp_at_ui(
                    ui,
                    self.session.model(),
                    self.prefs.settings.udp.read_size,
                    lang,
                    self.playback.t(),
                );
                shown::area(ui, "udp", egui::Rect::from_min_max(top, ui.min_rect().max));
            } else {
                // the title stays; the column below it scrolls, and the lesson's evidence is
                // scrolled into view for the user
                self.lesson_title_ui(ui, &plan);
                egui::ScrollArea::vertical()
                    .id_salt("central")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        shown::area(ui, "panel.central", ui.clip_rect());
                        self.lesson_header_ui(ui);
                        self.central_ui(ui, &plan);
                        self.reveal_evidence_ui(ui, evidence);
                    });
            }
        });
        // re-run once the user has finished typing (no text field has focus)
        if self.dirty && self.prefs.auto_rerun && !ctx.egui_wants_keyboard_input() && !self.form.has_errors() {
            self.start(&ctx);
        }
        self.class_guard_ui(&ctx);
        if self.server_test.open {
            server_test::server_test_window_ui(&ctx, &mut self.server_test, lang);
        }
        layout_dump::dump_if_asked(&ctx);
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
        // removes the run's temporary recording
        self.session = Session::window();
    }
}

/// The window every mode opens: usable at 1280×800, no smaller than its panels need.
pub(crate) fn native_options(title: &str) -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([960.0, 600.0])
            .with_title(title),
        ..Default::default()
    }
}

/// What the window opens on, from the command line.
#[derive(Default)]
pub struct Start {
    /// A recording to show (and its file name), instead of a live run.
    pub recording: Option<(crate::recording::Recording, String)>,
    /// A lesson to open (a name `presets::find` knows).
    pub preset: Option<String>,
    /// Projector mode, whatever the last session used.
    pub projector: bool,
    /// Settings from the command line (`stickyviz --count 1000000 --read-size 1`): the window
    /// opens on them and runs them.
    pub settings: Option<Experiment>,
    /// A recording that could not be opened, in words: shown in the window, no run started.
    pub file_error: Option<String>,
}

impl StickyApp {
    /// The app as the window opens it on `start` (the command line's recording, lesson,
    /// settings, or a recording's error), `prefs` being the saved ones.
    pub fn open_on(mut prefs: Prefs, start: Start, ctx: &egui::Context) -> StickyApp {
        prefs.projector |= start.projector;
        projector::set(ctx, prefs.projector);
        let mut app = StickyApp::new(prefs);
        if let Some(e) = start.file_error {
            // a bad file double-clicked: the window says so, and runs nothing meanwhile
            app.file_error(e);
            return app;
        }
        match (&start.recording, &start.preset, start.settings) {
            (Some((rec, name)), _, _) => app.show_named_recording(rec, name),
            (None, preset, Some(settings)) => app.run_settings(settings, preset.as_deref(), ctx),
            (None, Some(name), None) => app.load_preset(name, ctx),
            (None, None, None) => app.start(ctx),
        }
        app
    }
}

/// Opens the window (what `stickyviz` with no arguments does). `lang` is the language of a
/// first launch (`--lang` or the locale); after that the window remembers the user's choice.
pub fn run_native(lang: Lang, start: Start) -> eframe::Result<()> {
    eframe::run_native(
        "stickyviz",
        native_options("stickyviz"),
        Box::new(move |cc| {
            let prefs: Prefs = cc
                .storage
                .and_then(|s| eframe::get_value(s, PREFS_KEY))
                .unwrap_or_else(|| Prefs {
                    lang,
                    ..Prefs::default()
                });
            Ok(Box::new(StickyApp::open_on(prefs, start, &cc.egui_ctx)))
        }),
    )
}
