//! The window's frame around the lanes: the top bar, the lesson header (kept through tweaks,
//! with the way back), the central view and the scrolling that brings a lesson's evidence into
//! view. `mod.rs` keeps the app's state and its run; this file draws around it.

use egui::{RichText, Ui};

use super::*;

impl StickyApp {
    /// After a lesson opens and its run has drawn the evidence: scroll it into view, for a few
    /// frames while the layout settles, then leave the scrolling to the user.
    pub(super) fn reveal_evidence_ui(&mut self, ui: &mut Ui, evidence: Option<layout::Evidence>) {
        if self.reveal == 0 || self.is_running() {
            return;
        }
        let Some(evidence) = evidence else {
            self.reveal = 0;
            return;
        };
        let areas = shown::areas(ui.ctx());
        let found: Vec<&shown::Shown> = evidence
            .areas()
            .iter()
            .filter_map(|name| areas.iter().find(|a| a.name == *name))
            .collect();
        if found.is_empty() {
            // not drawn yet (the run has not produced it): try again next frame
            ui.ctx().request_repaint();
            return;
        }
        let rect = found.iter().fold(found[0].rect, |r, a| r.union(a.rect));
        // Scroll once, when the layout has stopped moving (the rect is where it was last frame):
        // a scroll takes effect a frame later, so asking again meanwhile would scroll twice.
        let id = egui::Id::unique("stickyviz_reveal_rect");
        let before = ui.data(|d| d.get_temp::<egui::Rect>(id));
        ui.data_mut(|d| d.insert_temp(id, rect));
        if before != Some(rect) {
            self.reveal -= 1;
            ui.ctx().request_repaint();
            return;
        }
        if !found.iter().all(|a| a.fully_visible()) {
            // at once, and with a little margin where it fits: the plot's axis labels sit just
            // outside it (two lanes far apart, the handshake's, may leave room for none)
            // more below than above: a reads lane's ✂ split labels hang under it
            let room = (ui.clip_rect().height() - rect.height()).max(0.0);
            let above = (room / 2.0).min(8.0);
            let below = (room - above).min(24.0);
            let rect = egui::Rect::from_min_max(rect.min - egui::vec2(0.0, above), rect.max + egui::vec2(0.0, below));
            ui.scroll_to_rect_animation(rect, None, egui::style::ScrollAnimation::none());
            ui.ctx().request_repaint();
        }
        self.reveal = 0;
    }

    pub(super) fn controls_ui(&mut self, ui: &mut Ui) {
        let lang = self.lang();
        let mut edited = self.prefs.settings.clone();
        let changed = controls::controls_ui(ui, &mut edited, &mut self.form, self.session.model(), lang);
        if changed.toggled || changed.typed {
            if let Some(valid) = self.form.apply(&edited, lang) {
                if valid != self.prefs.settings {
                    self.prefs.settings = valid;
                    // back on the lesson's own settings (a toggle undone) is the lesson again
                    self.prefs.preset = self
                        .prefs
                        .lesson
                        .clone()
                        .filter(|l| presets::find(l).is_some_and(|p| p.experiment == self.prefs.settings));
                    self.dirty = true;
                }
            } else if changed.toggled {
                // keep the toggle even while a text field is wrong
                self.prefs.settings = edited;
            }
        }
    }

    pub(super) fn top_bar_ui(&mut self, ui: &mut Ui, plan: &layout::Plan) {
        let lang = self.lang();
        let ctx = ui.ctx().clone();
        ui.horizontal_wrapped(|ui| {
            if !plan.compact {
                ui.label(RichText::new("stickyviz").strong().size(18.0));
                ui.add_space(8.0);
            }
            self.file_menu_ui(ui);
            let preset_label = ui.label(t(lang, S::Preset));
            let current = self
                .prefs
                .preset
                .clone()
                .unwrap_or_else(|| t(lang, S::PresetCustom).into());
            let mut pick = None;
            egui::ComboBox::from_id_salt("preset")
                .selected_text(current)
                .width(130.0)
                .show_ui(ui, |ui| {
                    for p in presets::all() {
                        // what to look at first, then the whole explanation
                        let summary = format!("{}\n\n{}", t(lang, p.look), t(lang, p.summary));
                        if ui
                            .selectable_label(self.prefs.preset.as_deref() == Some(p.name), p.name)
                            .on_hover_text(summary)
                            .clicked()
                        {
                            pick = Some(p.name);
                        }
                    }
                })
                .response
                .labelled_by(preset_label.id);
            if let Some(name) = pick {
                self.load_preset(name, &ctx);
            }
            let run_label = if self.is_running() {
                t(lang, S::Stop)
            } else {
                t(lang, S::Run)
            };
            if ui
                .add(egui::Button::new(RichText::new(run_label).strong()).fill(theme::WRITTEN_LINE.gamma_multiply(0.6)))
                .clicked()
            {
                if self.is_running() {
                    self.stop()
                } else {
                    self.run_asked(&ctx)
                }
            }
            if ui.button(t(lang, S::Rerun)).clicked() {
                self.run_asked(&ctx);
            }
            ui.checkbox(&mut self.prefs.auto_rerun, t(lang, S::AutoRerun))
                .on_hover_text(t(lang, S::AutoRerunTip));
            ui.separator();
            if plan.compact {
                // folded panels open from here; the lanes keep the width
                ui.toggle_value(&mut self.drawers.settings, t(lang, S::DrawerSettings));
                ui.toggle_value(&mut self.drawers.events, t(lang, S::DrawerEvents));
                if self.prefs.settings.transports.udp() && self.prefs.settings.transports.tcp() {
                    ui.toggle_value(&mut self.drawers.udp, t(lang, S::DrawerUdp));
                }
                ui.menu_button(t(lang, S::ViewMenu), |ui| self.view_choices_ui(ui));
            } else {
                if !plan.events {
                    ui.toggle_value(&mut self.drawers.events, t(lang, S::DrawerEvents));
                }
                self.view_choices_ui(ui);
            }
            // always in the bar: the teacher's one switch
            if ui
                .selectable_label(self.prefs.projector, t(lang, S::Projector))
                .on_hover_text(t(lang, S::ProjectorTip))
                .clicked()
            {
                self.prefs.projector = !self.prefs.projector;
                projector::set(&ctx, self.prefs.projector);
            }
            ui.separator();
            let status = match &self.status {
                Status::Idle => String::new(),
                // a class session: every client's bytes, not the main timeline's (its first client)
                Status::Running { .. } if self.class.is_some() => {
                    let all = self.session.model().class_totals();
                    let progress = tf(
                        lang,
                        S::ProgressClass,
                        &[
                            ("clients", &all.clients),
                            ("bytes", &units::bytes(all.bytes)),
                            ("frames", &units::grouped(all.frames)),
                        ],
                    );
                    format!("{} • {progress}", t(lang, S::Running))
                }
                Status::Running { since } => {
                    // the same line `stickyviz run` shows on a terminal: events, bytes, rate
                    let m = &self.session.model().summary();
                    let events = m.reads + m.writes + m.datagrams_sent + m.datagrams_received;
                    let rate = (m.bytes_received as f64 / since.elapsed().as_secs_f64().max(1e-3)) as u64;
                    let progress = tf(
                        lang,
                        S::ProgressRun,
                        &[
                            ("events", &units::grouped(events)),
                            ("bytes", &units::bytes(m.bytes_received)),
                            ("rate", &units::bytes(rate)),
                        ],
                    );
                    format!("{} • {progress}", t(lang, S::Running))
                }
                Status::Finished { ms } => tf(lang, S::FinishedIn, &[("ms", ms)]),
                Status::Stopped => t(lang, S::Stopped).into(),
                Status::Replay => t(lang, S::Replay).into(),
            };
            // whole, never broken over two rows of the bar
            ui.add(egui::Label::new(RichText::new(status).weak()).extend());
        });
    }

    /// Axis, language and theme: in the top bar, or its View menu on a small window.
    pub(super) fn view_choices_ui(&mut self, ui: &mut Ui) {
        let lang = self.lang();
        let ctx = ui.ctx().clone();
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
    }

    /// The lesson's title, its look-at sentence and, one click away, its whole explanation (kept
    /// through tweaks, with what changed and the way back). Drawn above the central scroll area,
    /// so that scrolling to the evidence never hides them (issue 26).
    pub(super) fn lesson_title_ui(&mut self, ui: &mut Ui, plan: &layout::Plan) {
        let lang = self.lang();
        let dark = ui.visuals().dark_mode;
        let Some(p) = self.prefs.lesson.as_deref().and_then(presets::find) else {
            return;
        };
        let changes = lesson::changes(&p.experiment, &self.prefs.settings, lang);
        let mut back = false;
        let size = if plan.compact { 14.0 } else { 15.0 };
        // the rest of the explanation: open on a tall window, one click away on a classroom one
        // (the window's height is known only once it is laid out, so the default is taken
        // every frame until the user clicks)
        let tall = ui.ctx().content_rect().height() >= layout::EXPLANATION_OPEN_MIN_H;
        let chosen = ui.scope_id().with(("lesson_explanation_open", p.name));
        let open = ui.data(|d| d.get_temp::<bool>(chosen)).unwrap_or(tall);
        let title = ui.horizontal_wrapped(|ui| {
            // wrapped lines close together: every point here is taken from the lanes
            ui.spacing_mut().item_spacing.y = 0.0;
            ui.label(RichText::new(p.name).strong().size(size).color(theme::warn(dark)));
            ui.label(RichText::new(t(lang, p.look)).strong().size(size));
            // the toggle ends the title's line: no row of its own on a small window
            let arrow = if open { "▾" } else { "▸" };
            let toggle = egui::Button::new(
                RichText::new(format!("{arrow} {}", t(lang, S::LessonExplanation))).color(theme::warn(dark)),
            )
            .frame(false);
            if ui.add(toggle).clicked() {
                ui.data_mut(|d| d.insert_temp(chosen, !open));
            }
        });
        // the layout tests check that the title and the look-at sentence are on screen
        shown::area(ui, "lesson.title", title.response.rect);
        if !changes.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(tf(lang, S::LessonModified, &[("changes", &changes.join(", "))])).strong());
                back = ui
                    .button(t(lang, S::BackToLesson))
                    .on_hover_text(t(lang, S::BackToLessonTip))
                    .clicked();
            });
        }
        if open {
            let text = egui::Label::new(RichText::new(t(lang, p.summary)).color(theme::warn(dark))).wrap();
            // opened on a small window, it scrolls rather than push the lanes off the screen
            let max_h = ui.ctx().content_rect().height() * 0.3;
            egui::ScrollArea::vertical()
                .id_salt("lesson_text")
                .max_height(max_h)
                .show(ui, |ui| ui.add(text));
        }
        if back {
            self.load_preset(p.name, &ui.ctx().clone());
        }
    }

    /// The file messages, problems, and a note when the picture is older than the settings.
    pub(super) fn lesson_header_ui(&mut self, ui: &mut Ui) {
        let lang = self.lang();
        let dark = ui.visuals().dark_mode;
        self.file_messages_ui(ui);
        if self.dirty {
            egui::Frame::group(ui.style())
                .fill(theme::warn(dark).gamma_multiply(0.15))
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(t(lang, S::PictureStale)).strong());
                        if ui.button(t(lang, S::Rerun)).clicked() {
                            self.start(&ui.ctx().clone());
                        }
                    });
                });
        }
        if self.cjk_missing {
            ui.horizontal(|ui| {
                ui.colored_label(theme::split_text(dark), t(lang, S::CjkMissing));
                if ui.small_button("✖").clicked() {
                    self.cjk_missing = false;
                }
            });
        }
        if let Some(e) = &self.start_error {
            ui.colored_label(theme::split_text(dark), tf(lang, S::StartFailed, &[("error", e)]));
        }
        let causality = |p: &&crate::analysis::Problem| matches!(p.kind, crate::analysis::ProblemKind::Causality(_));
        for p in self.session.model().problems().iter().filter(|p| !causality(p)).take(3) {
            ui.colored_label(theme::split_text(dark), crate::describe::problem(p, lang));
        }
        // effects stamped before their causes: one line, the count and the first one (never hidden)
        if let Some(first) = self.session.model().problems().iter().find(causality) {
            let n = self.session.model().summary().causality_violations;
            ui.colored_label(
                theme::SPLIT,
                tf(
                    lang,
                    S::ViolationsLine,
                    &[("count", &n), ("first", &crate::describe::problem(first, lang))],
                ),
            );
        }
        if matches!(self.status, Status::Idle)
            && self.session.model().messages().is_empty()
            && self.session.model().datagrams().is_empty()
        {
            ui.label(t(lang, S::NoRunYet));
        }
        ui.add_space(4.0);
    }

    pub(super) fn central_ui(&mut self, ui: &mut Ui, plan: &layout::Plan) {
        let lang = self.lang();
        if !self.prefs.settings.transports.tcp() {
            return;
        }
        self.playback.bar_ui(ui, lang);
        // a class session: the teacher's address and the roster first (the class is the lesson),
        // then the main timeline, showing the client picked in the roster
        if let Some(class) = &mut self.class {
            roster::address_ui(ui, class, lang, plan.compact);
            // a projector keeps three rows (the rest scroll) so the chosen stream fits below
            let rows_h = if plan.compact { 72.0 } else { 220.0 };
            if roster::roster_ui(ui, self.session.model(), class, lang, rows_h).is_some() {
                self.selection = None;
                self.timeline.fit = true;
                self.reveal_client = true;
            }
            ui.separator();
        }
        // address-in-use: what the close and the restart did is the lesson; the lanes follow
        if self.session.model().restart().is_some() {
            super::restart_panel::restart_panel_ui(ui, self.session.model(), lang);
            ui.separator();
        }
        let model = roster::shown(self.session.model(), self.class.as_ref());
        let t_us = self.playback.t().unwrap_or(model.last_us());
        // on a large window the buffer comes first (it is the 粘包 picture); on a small one, or
        // under the roster, the lanes do, so they are on screen without scrolling
        let gauge_first = !plan.compact && self.class.is_none() && self.session.model().restart().is_none();
        if gauge_first {
            buffer_gauge::tcp_gauge_ui(ui, model, t_us, self.playback.peak_backlog, lang);
        }
        match self.prefs.view {
            ViewKind::Bytes => {
                ui.label(RichText::new(t(lang, S::LaneAxis)).size(13.0));
                let lanes = timeline::timeline_ui(ui, model, &mut self.timeline, &mut self.selection, lang);
                lanes.note(ui, "");
                if std::mem::take(&mut self.reveal_client) {
                    let all = lanes.0.iter().fold(lanes.0[0], |r, l| r.union(*l));
                    ui.scroll_to_rect_animation(all, None, egui::style::ScrollAnimation::none());
                }
            }
            ViewKind::Time => {
                time_view::time_view_at_ui(ui, model, lang, timeline::height_for(plan.lane_h), self.playback.t())
            }
        }
        ui.separator();
        // a class session's connections are in the roster: 64 lane groups would not fit
        if self.class.is_none() && self.session.model().echo().is_some() {
            // View state in egui's memory keeps the app struct (and its merge) unchanged.
            let id = ui.scope_id().with("echo_view");
            let mut view: echo_panel::EchoView = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
            view.replies.lane_h = plan.lane_h;
            echo_panel::echo_panel_ui(
                ui,
                self.session.model(),
                &mut view,
                lang,
                self.prefs.settings.sender.nagle,
            );
            ui.data_mut(|d| d.insert_temp(id, view));
            ui.separator();
        }
        if !gauge_first {
            buffer_gauge::tcp_gauge_ui(ui, model, t_us, self.playback.peak_backlog, lang);
            ui.separator();
        }
        inspector::inspector_ui(ui, model, self.selection, lang);
    }
}
