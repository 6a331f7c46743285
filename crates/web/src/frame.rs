//! The page, drawn with the desktop's panels in the desktop's places (src/ui/window.rs): the
//! top bar, the stats strip at the bottom, the event list and UDP panel on the right, the
//! lesson, playback bar, buffer gauge, lanes (Bytes or Time) and inspector in the middle. What
//! the desktop has and a page cannot is absent, not disabled: the Run controls and the settings
//! form (one line says where the desktop app is), the class session, "test your server".

use egui::{RichText, Ui};
use stickyviz_framing::FramingMode;
use stickyviz_i18n::{t, tf, Lang, S};
use stickyviz_panels::{
    buffer_gauge, echo_panel, event_list, inspector, layout, projector, restart_panel, shown, stats, theme, time_view,
    timeline, udp_panel,
};
use stickyviz_view::presets;

use crate::app::{ViewKind, WebApp};
use crate::host;

impl WebApp {
    /// The whole page; eframe calls it every frame, tests call it directly.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if self.frames == 0 {
            self.start(&ctx);
        }
        self.frames += 1;
        shown::begin_frame(&ctx);
        self.take_inbox(&ctx);
        self.take_screenshot();
        self.dropped_files(&ctx);
        if let Some(s) = &self.shown {
            self.playback.sync(&s.model, false);
            self.playback.keys(&ctx);
            self.playback.tick(&ctx, false);
        }
        self.timeline.play_head = self.playback.t();
        if let Some(sel) = self.playback.selection_to_show() {
            self.selection = Some(sel);
        }
        let settings = self.settings();
        let evidence = self.lesson.as_deref().and_then(layout::evidence_of);
        let plan = layout::plan(ctx.content_rect().size(), settings.transports, evidence, self.drawers);
        self.timeline.lane_h = plan.lane_h;
        let lang = self.lang;
        self.publish();
        egui::Panel::top("top").show(ui, |ui| self.top_bar_ui(ui, &plan));
        let Some(s) = &self.shown else {
            egui::CentralPanel::default().show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    self.messages_ui(ui);
                    self.lesson_index_ui(ui);
                })
            });
            return;
        };
        egui::Panel::bottom("stats").show(ui, |ui| {
            stats::stats_ui(
                ui,
                &s.model,
                lang,
                settings.framing != FramingMode::None,
                plan.compact,
                false,
            );
        });
        let udp_central = !settings.transports.tcp();
        let t_us = self.playback.t().unwrap_or(s.model.last_us());
        if plan.udp && !udp_central {
            egui::Panel::right("udp")
                .default_size(if plan.compact { 260.0 } else { 310.0 })
                .show(ui, |ui| {
                    buffer_gauge::udp_queue_ui(ui, &s.model, t_us, lang);
                    udp_panel::udp_at_ui(ui, &s.model, settings.udp.read_size, lang, self.playback.t());
                });
        }
        if plan.events {
            egui::Panel::right("events")
                .default_size(215.0)
                .resizable(true)
                .show(ui, |ui| {
                    event_list::event_list_ui(ui, &s.model, &mut self.playback, lang)
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("central")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    self.messages_ui(ui);
                    self.lesson_header_ui(ui, &plan);
                    if udp_central {
                        let Some(s) = &self.shown else { return };
                        buffer_gauge::udp_queue_ui(ui, &s.model, t_us, lang);
                        udp_panel::udp_at_ui(ui, &s.model, settings.udp.read_size, lang, self.playback.t());
                    } else {
                        self.central_ui(ui, &plan);
                    }
                });
        });
    }

    fn dropped_files(&mut self, ctx: &egui::Context) {
        let (hovering, dropped) = ctx.input(|i| (!i.raw.hovered_files.is_empty(), i.raw.dropped_files.clone()));
        if hovering {
            let screen = ctx.content_rect();
            let painter = ctx.layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("stickyviz_drop"),
            ));
            painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(160));
            painter.text(
                screen.center(),
                egui::Align2::CENTER_CENTER,
                t(self.lang, S::DropToOpen),
                egui::FontId::proportional(24.0),
                egui::Color32::WHITE,
            );
        }
        if let Some(file) = dropped.first() {
            host::read_dropped(file, &self.inbox, ctx);
        }
    }

    fn top_bar_ui(&mut self, ui: &mut Ui, plan: &layout::Plan) {
        let lang = self.lang;
        let ctx = ui.ctx().clone();
        ui.horizontal_wrapped(|ui| {
            if !plan.compact {
                ui.label(RichText::new("stickyviz").strong().size(18.0));
                ui.add_space(8.0);
            }
            if ui
                .button(t(lang, S::WebOpenFile))
                .on_hover_text(t(lang, S::WebOpenFileTip))
                .clicked()
            {
                host::pick_file(&self.inbox, &ctx);
            }
            let lessons = ui.label(t(lang, S::WebLessons));
            let mut pick = None;
            egui::ComboBox::from_id_salt("lesson")
                .selected_text(self.lesson.clone().unwrap_or_else(|| t(lang, S::PresetCustom).into()))
                .width(130.0)
                .show_ui(ui, |ui| {
                    for p in presets::all() {
                        let chosen = self.lesson.as_deref() == Some(p.name);
                        if ui
                            .selectable_label(chosen, p.name)
                            .on_hover_text(t(lang, p.summary))
                            .clicked()
                        {
                            pick = Some(p.name);
                        }
                    }
                })
                .response
                .labelled_by(lessons.id);
            if let Some(name) = pick {
                self.open_lesson(name, &ctx);
            }
            if self.shown.is_some() {
                if ui.button(t(lang, S::WebSaveRecording)).clicked() {
                    self.save_recording();
                }
                if ui
                    .button(t(lang, S::ExportSvg))
                    .on_hover_text(t(lang, S::ExportSvgTip))
                    .clicked()
                {
                    self.save_svg(ui.visuals().dark_mode);
                }
                if ui.button(t(lang, S::WebSavePng)).clicked() {
                    self.save_png(&ctx);
                }
            }
            ui.separator();
            if plan.compact {
                ui.toggle_value(&mut self.drawers.events, t(lang, S::DrawerEvents));
                let transports = self.settings().transports;
                if transports.udp() && transports.tcp() {
                    ui.toggle_value(&mut self.drawers.udp, t(lang, S::DrawerUdp));
                }
                ui.menu_button(t(lang, S::ViewMenu), |ui| self.view_choices_ui(ui));
            } else {
                if !plan.events {
                    ui.toggle_value(&mut self.drawers.events, t(lang, S::DrawerEvents));
                }
                self.view_choices_ui(ui);
            }
            if ui
                .selectable_label(self.projector, t(lang, S::Projector))
                .on_hover_text(t(lang, S::ProjectorTip))
                .clicked()
            {
                self.projector = !self.projector;
                projector::set(&ctx, self.projector);
            }
            ui.separator();
            ui.add(egui::Label::new(RichText::new(self.status()).weak()).extend());
        });
        // where the live runs are: said once, in place of the Run button
        ui.label(RichText::new(t(lang, S::WebDesktopOnly)).weak().small());
    }

    fn view_choices_ui(&mut self, ui: &mut Ui) {
        let lang = self.lang;
        let ctx = ui.ctx().clone();
        ui.selectable_value(&mut self.view, ViewKind::Bytes, t(lang, S::ViewBytes));
        ui.selectable_value(&mut self.view, ViewKind::Time, t(lang, S::ViewTime));
        ui.separator();
        ui.selectable_value(&mut self.lang, Lang::En, t(lang, S::LangEn));
        ui.selectable_value(&mut self.lang, Lang::Zh, t(lang, S::LangZh));
        ui.separator();
        let dark = ui.visuals().dark_mode;
        if ui.selectable_label(dark, t(lang, S::Dark)).clicked() {
            ctx.set_theme(egui::Theme::Dark);
        }
        if ui.selectable_label(!dark, t(lang, S::Light)).clicked() {
            ctx.set_theme(egui::Theme::Light);
        }
    }

    /// The replay banner and the last error (a bad file leaves the page as it was).
    fn messages_ui(&mut self, ui: &mut Ui) {
        let lang = self.lang;
        let dark = ui.visuals().dark_mode;
        if let Some(p) = &self.problem {
            ui.colored_label(theme::split_text(dark), RichText::new(p.words(lang)).strong());
        }
        if let Some(s) = &self.shown {
            let r = &s.recording;
            let text = tf(
                lang,
                S::ReplayBanner,
                &[
                    ("source", &s.source),
                    ("app_version", &r.app_version),
                    ("os", &r.os),
                    ("kernel", &r.kernel),
                ],
            );
            egui::Frame::group(ui.style())
                .fill(theme::warn(dark).gamma_multiply(0.15))
                .show(ui, |ui| ui.label(RichText::new(text).strong()));
        }
    }

    /// With nothing open: every lesson, its name and what it teaches; a click opens it.
    fn lesson_index_ui(&mut self, ui: &mut Ui) {
        let lang = self.lang;
        let ctx = ui.ctx().clone();
        ui.heading(t(lang, S::WebLessons));
        ui.label(t(lang, S::WebLessonIndex));
        ui.label(t(lang, S::DropHint));
        ui.add_space(8.0);
        let mut pick = None;
        for p in presets::all() {
            ui.horizontal_wrapped(|ui| {
                if ui.link(RichText::new(p.name).strong()).clicked() {
                    pick = Some(p.name);
                }
                ui.label(first_sentence(t(lang, p.summary)));
            });
        }
        if let Some(name) = pick {
            self.open_lesson(name, &ctx);
        }
    }

    /// The lesson's name and explanation, and the problems the model found (as the desktop).
    fn lesson_header_ui(&mut self, ui: &mut Ui, plan: &layout::Plan) {
        let lang = self.lang;
        let dark = ui.visuals().dark_mode;
        if let Some(p) = self.lesson.as_deref().and_then(presets::find) {
            ui.label(RichText::new(p.name).strong().color(theme::warn(dark)));
            let text = egui::Label::new(RichText::new(t(lang, p.summary)).color(theme::warn(dark))).wrap();
            if plan.compact {
                let row = ui.text_style_height(&egui::TextStyle::Body);
                egui::ScrollArea::vertical()
                    .id_salt("lesson_text")
                    .max_height(row * 3.2)
                    .show(ui, |ui| ui.add(text));
            } else {
                ui.add(text);
            }
        }
        let Some(s) = &self.shown else { return };
        for p in s.model.problems().iter().take(3) {
            ui.colored_label(theme::split_text(dark), stickyviz_view::describe::problem(p, lang));
        }
        ui.add_space(4.0);
    }

    fn central_ui(&mut self, ui: &mut Ui, plan: &layout::Plan) {
        let lang = self.lang;
        let Some(s) = &self.shown else { return };
        let model = &s.model;
        self.playback.bar_ui(ui, lang);
        if model.restart().is_some() {
            restart_panel::restart_panel_ui(ui, model, lang);
            ui.separator();
        }
        let t_us = self.playback.t().unwrap_or(model.last_us());
        let gauge_first = !plan.compact && model.restart().is_none();
        if gauge_first {
            buffer_gauge::tcp_gauge_ui(ui, model, t_us, self.playback.peak_backlog, lang);
        }
        match self.view {
            ViewKind::Bytes => {
                ui.label(RichText::new(t(lang, S::LaneAxis)).size(13.0));
                timeline::timeline_ui(ui, model, &mut self.timeline, &mut self.selection, lang).note(ui, "");
            }
            ViewKind::Time => {
                time_view::time_view_at_ui(ui, model, lang, timeline::height_for(plan.lane_h), self.playback.t())
            }
        }
        ui.separator();
        if model.echo().is_some() {
            let id = ui.scope_id().with("echo_view");
            let mut view: echo_panel::EchoView = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
            view.replies.lane_h = plan.lane_h;
            echo_panel::echo_panel_ui(ui, model, &mut view, lang, s.recording.settings.sender.nagle);
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

/// A lesson's first sentence, for the index (the whole text is on the lesson's page).
fn first_sentence(text: &str) -> &str {
    let end = text
        .char_indices()
        .find(|&(i, c)| (c == '.' && text[i + 1..].starts_with(' ')) || c == '。')
        .map_or(text.len(), |(i, c)| i + c.len_utf8());
    &text[..end]
}
