//! The settings boxes of the course's last two lessons (issue 32): how the sender treats
//! `send()`'s count, and the restarting server's `SO_REUSEADDR`. Each tooltip teaches what the
//! setting changes, in the lesson's terms.

use egui::Ui;

use crate::config::{Experiment, SendCall};
use crate::strings::{t, Lang, S};

fn send_call_name(c: SendCall, lang: Lang) -> &'static str {
    match c {
        SendCall::Sendall => t(lang, S::SendCallSendall),
        SendCall::Send => t(lang, S::SendCallSend),
    }
}

/// A row of the sender's grid: sendall, or send() with its count ignored. Returns whether it
/// changed.
///
/// Shown from the moment the settings ask for `send` (the send-vs-sendall lesson) and for the
/// rest of the session, so switching to `sendall` does not take the box away; the other
/// lessons' windows (and their pictures in the docs) keep their rows where they were.
pub fn send_call_row_ui(ui: &mut Ui, settings: &mut Experiment, lang: Lang) -> bool {
    let id = egui::Id::unique("send_call_row_shown");
    let met = settings.sender.send_call != SendCall::Sendall;
    let shown = ui.data_mut(|d| {
        let seen = d.get_temp_mut_or_default::<bool>(id);
        *seen |= met;
        *seen
    });
    if !shown {
        return false;
    }
    let tip = t(lang, S::SendCallTip);
    let label = ui.label(t(lang, S::LabelSendCall)).on_hover_text(tip);
    let mut changed = false;
    egui::ComboBox::from_id_salt("send_call")
        .selected_text(send_call_name(settings.sender.send_call, lang))
        .width(96.0)
        .show_ui(ui, |ui| {
            for c in SendCall::ALL {
                changed |= ui
                    .selectable_value(&mut settings.sender.send_call, c, send_call_name(c, lang))
                    .on_hover_text(tip)
                    .changed();
            }
        })
        .response
        .on_hover_text(tip)
        .labelled_by(label.id);
    ui.end_row();
    changed
}

/// A row of the receiver's grid, for the address-in-use run only: the servers' `SO_REUSEADDR`.
pub fn reuse_addr_row_ui(ui: &mut Ui, settings: &mut Experiment, lang: Lang) -> bool {
    let Some(restart) = &mut settings.restart else {
        return false;
    };
    let tip = t(lang, S::ReuseAddrTip);
    ui.label(t(lang, S::LabelReuseAddr)).on_hover_text(tip);
    let mut changed = false;
    ui.horizontal(|ui| {
        for (on, key) in [(true, S::On), (false, S::Off)] {
            changed |= ui
                .radio_value(&mut restart.reuse_addr, on, t(lang, key))
                .on_hover_text(tip)
                .changed();
        }
    });
    ui.end_row();
    changed
}
