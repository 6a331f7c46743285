//! The address-in-use lesson's evidence (issue 32): the closing handshake as captured, the
//! kernel's socket table after `close()`, and each second server's `bind()` with the OS's
//! answer, in the order they happened.

use egui::{RichText, Ui};

use crate::analysis::Model;
use crate::describe::send_close as words;
use crate::facts::BindWhen;
use crate::strings::{t, Lang, S};
use crate::theme;

pub fn restart_panel_ui(ui: &mut Ui, model: &Model, lang: Lang) {
    let Some(r) = model.restart() else { return };
    let dark = ui.visuals().dark_mode;
    let top = ui.cursor().min;
    ui.label(RichText::new(t(lang, S::RestartTitle)).strong().size(15.0));
    for line in words::closing_lines(model, lang) {
        ui.label(RichText::new(line).monospace());
    }
    let bind = |ui: &mut Ui, when: BindWhen| {
        for b in r.binds.iter().filter(|b| b.when == when) {
            let colour = if b.error.is_some() {
                theme::split_text(dark)
            } else {
                theme::ok_text(dark)
            };
            let mark = if b.error.is_some() { "✘" } else { "✔" };
            ui.label(RichText::new(format!("{mark} {}", words::bind_line(b, lang))).color(colour));
        }
    };
    bind(ui, BindWhen::WhileListening);
    for line in words::table_lines(model, lang) {
        ui.label(line);
    }
    bind(ui, BindWhen::AfterClose);
    ui.label(RichText::new(t(lang, S::WindowsReuseNote)).weak());
    crate::shown::area(ui, "restart", egui::Rect::from_min_max(top, ui.min_rect().max));
}
