//! "Test your server": the window's face of `send --torture`. An address, a framing and Run;
//! then one row per scenario (pass / FAIL, what was sent, what came back, what happened), each
//! scenario's name hovering with what its cut simulates.
//!
//! The scenarios run on the engine's own thread ([`start_torture`]); each frame drains the
//! reports that arrived, so the window stays live while a slow server is tested.

use std::net::{SocketAddr, ToSocketAddrs};

use egui::{Color32, RichText, Ui};

use crate::describe::torture::{received, scenario_name, scenario_tip, sent, verdict, verdict_mark};
use crate::engine::torture::{start_torture, TortureOptions, TortureRun};
use crate::facts::torture::{Scenario, ScenarioReport};
use crate::framing::{FramingMode, LengthPrefix, DEFAULT_MAX_FRAME_LEN};
use crate::ui::strings::{t, tf, Lang, S};

/// The framings a server can be tested in (`none` has no frames to answer).
const FRAMINGS: [FramingMode; 4] = [
    FramingMode::U32,
    FramingMode::SeedJson,
    FramingMode::Newline,
    FramingMode::NaiveU32,
];

/// The section's state: its fields, the scenarios running and the reports so far.
pub struct ServerTest {
    pub open: bool,
    /// `PORT` or `HOST:PORT`, as typed.
    pub address: String,
    pub framing: FramingMode,
    pub reports: Vec<ScenarioReport>,
    /// Why the last Run did not start (a bad address), shown under the field.
    pub error: Option<String>,
    run: Option<TortureRun>,
}

impl Default for ServerTest {
    fn default() -> Self {
        Self {
            open: false,
            address: "127.0.0.1:8080".into(),
            framing: FramingMode::SeedJson,
            reports: Vec::new(),
            error: None,
            run: None,
        }
    }
}

impl ServerTest {
    pub fn is_running(&self) -> bool {
        self.run.is_some()
    }

    /// Takes the reports that arrived; ends the run after the last.
    pub fn poll(&mut self) {
        let Some(run) = &self.run else { return };
        // looked at first: a run that has ended has sent every report, drained just below
        let finished = run.is_finished();
        self.reports.extend(run.reports().try_iter());
        if finished {
            self.run = None;
        }
    }

    /// Starts the scenarios against the address in the field; a bad address is said, not run.
    pub fn start(&mut self, ctx: &egui::Context, lang: Lang) {
        self.run = None;
        self.reports.clear();
        self.error = None;
        let target = match parse_target(&self.address) {
            Some(a) => a,
            None => {
                self.error = Some(tf(lang, S::ServerTestBadAddress, &[("address", &self.address)]));
                return;
            }
        };
        let opts = TortureOptions {
            target,
            framing: self.framing,
            length_prefix: LengthPrefix::default(),
            max_frame_len: DEFAULT_MAX_FRAME_LEN,
        };
        let ctx = ctx.clone();
        match start_torture(opts, Some(std::sync::Arc::new(move || ctx.request_repaint()))) {
            Ok(run) => self.run = Some(run),
            Err(e) => {
                let os = crate::describe::os_error(&(&e).into(), lang);
                self.error = Some(tf(lang, S::FaultThread, &[("error", &os)]));
            }
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut run) = self.run.take() {
            run.stop();
            self.reports.extend(run.reports().try_iter());
        }
    }
}

/// `PORT` means 127.0.0.1:PORT, as on the command line.
fn parse_target(text: &str) -> Option<SocketAddr> {
    let text = text.trim();
    if let Ok(port) = text.parse::<u16>() {
        return Some(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    text.to_socket_addrs().ok()?.next()
}

/// The section as a window of its own, shown while `st.open`.
pub fn server_test_window_ui(ctx: &egui::Context, st: &mut ServerTest, lang: Lang) {
    st.poll();
    let mut open = st.open;
    egui::Window::new(t(lang, S::ServerTestTitle))
        .id(egui::Id::unique("server_test"))
        .open(&mut open)
        // room for the whole report on a 1280×800 laptop; the rows scroll inside on smaller screens
        .default_size([780.0, (ctx.content_rect().height() - 100.0).max(300.0)])
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 40.0))
        .show(ctx, |ui| server_test_ui(ui, st, lang));
    if !open {
        st.stop();
    }
    st.open = open;
}

fn server_test_ui(ui: &mut Ui, st: &mut ServerTest, lang: Lang) {
    ui.label(t(lang, S::ServerTestIntro));
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t(lang, S::ServerTestAddress));
        ui.add(egui::TextEdit::singleline(&mut st.address).desired_width(180.0))
            .labelled_by(label.id)
            .on_hover_text(t(lang, S::ServerTestAddressTip));
        let label = ui.label(t(lang, S::Framing));
        egui::ComboBox::from_id_salt("server_test_framing")
            .selected_text(crate::describe::framing_name(st.framing, lang))
            .show_ui(ui, |ui| {
                for f in FRAMINGS {
                    ui.selectable_value(&mut st.framing, f, crate::describe::framing_name(f, lang));
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(t(lang, S::ServerTestFramingTip));
        if st.is_running() {
            if ui.button(t(lang, S::ServerTestStop)).clicked() {
                st.stop();
            }
            ui.spinner();
        } else if ui
            .button(RichText::new(t(lang, S::ServerTestRun)).strong())
            .on_hover_text(t(lang, S::ServerTestRunTip))
            .clicked()
        {
            st.start(ui.ctx(), lang);
        }
    });
    if let Some(e) = &st.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    if st.reports.is_empty() && !st.is_running() {
        return;
    }
    let passed = st.reports.iter().filter(|r| r.verdict.passed()).count();
    ui.label(
        RichText::new(tf(
            lang,
            S::TortureSummary,
            &[("passed", &passed), ("total", &Scenario::ALL.len())],
        ))
        .strong(),
    );
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        egui::Grid::new("server_test_report")
            .striped(true)
            .num_columns(3)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for scenario in Scenario::ALL {
                    report_row_ui(ui, scenario, st.reports.iter().find(|r| r.scenario == scenario), lang);
                    ui.end_row();
                }
            });
    });
}

/// One scenario's row: its result, its name (hover: what it simulates), and what happened.
fn report_row_ui(ui: &mut Ui, scenario: Scenario, report: Option<&ScenarioReport>, lang: Lang) {
    let Some(r) = report else {
        ui.weak("…");
        ui.label(scenario_name(scenario, lang))
            .on_hover_text(scenario_tip(scenario, lang));
        ui.weak(t(lang, S::ServerTestWaiting));
        return;
    };
    let color = if r.verdict.passed() {
        Color32::from_rgb(60, 160, 80)
    } else {
        ui.visuals().error_fg_color
    };
    ui.label(RichText::new(verdict_mark(&r.verdict, lang)).color(color).strong());
    ui.label(scenario_name(scenario, lang))
        .on_hover_text(scenario_tip(scenario, lang));
    ui.vertical(|ui| {
        ui.label(verdict(&r.verdict, &r.received, lang));
        if r.sent.bytes > 0 {
            ui.weak(format!("{}: {}", t(lang, S::TortureSentLabel), sent(&r.sent, lang)));
            ui.weak(format!(
                "{}: {}",
                t(lang, S::TortureBackLabel),
                received(&r.received, lang)
            ));
        }
    });
}
