//! The controls panel: every transport setting, its concept in a tooltip, its error beside it,
//! and the value the kernel really set.

use egui::{RichText, Ui};

use crate::analysis::Model;
use crate::config::{Experiment, Setting, WriteSplit};
use crate::facts::{Side, SockOpt};
use crate::framing::{ByteOrder, FramingMode, LengthPrefix};
use crate::strings::{t, tf, Lang, S};
use crate::theme;

/// The settings typed as text, so a bad value can be shown and explained rather than refused
/// silently by a widget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Count,
    Size,
    Gap,
    SndBuf,
    Chunk,
    ReadSize,
    RcvBuf,
    StartDelay,
    ReadDelay,
    MaxFrame,
    UdpReadSize,
    UdpRcvBuf,
    UdpStartDelay,
    Mss,
    Link,
}

impl Field {
    pub const ALL: [Field; 15] = [
        Self::Count,
        Self::Size,
        Self::Gap,
        Self::SndBuf,
        Self::Chunk,
        Self::ReadSize,
        Self::RcvBuf,
        Self::StartDelay,
        Self::ReadDelay,
        Self::MaxFrame,
        Self::UdpReadSize,
        Self::UdpRcvBuf,
        Self::UdpStartDelay,
        Self::Mss,
        Self::Link,
    ];

    /// The setting this box types.
    pub fn setting(self) -> Setting {
        match self {
            Self::Count => Setting::Count,
            Self::Size => Setting::Size,
            Self::Gap => Setting::Gap,
            Self::SndBuf => Setting::SndBuf,
            Self::Chunk => Setting::Split,
            Self::ReadSize => Setting::ReadSize,
            Self::RcvBuf => Setting::RcvBuf,
            Self::StartDelay => Setting::StartDelay,
            Self::ReadDelay => Setting::ReadDelay,
            Self::MaxFrame => Setting::MaxFrame,
            Self::UdpReadSize => Setting::UdpReadSize,
            Self::UdpRcvBuf => Setting::UdpRcvBuf,
            Self::UdpStartDelay => Setting::UdpStartDelay,
            Self::Mss => Setting::Mss,
            Self::Link => Setting::Link,
        }
    }

    /// The box a validation error is shown beside.
    fn of_setting(s: Setting) -> Field {
        match s {
            Setting::Count => Self::Count,
            Setting::Size => Self::Size,
            Setting::Gap => Self::Gap,
            Setting::SndBuf => Self::SndBuf,
            Setting::Split => Self::Chunk,
            Setting::ReadSize => Self::ReadSize,
            Setting::RcvBuf => Self::RcvBuf,
            Setting::StartDelay => Self::StartDelay,
            Setting::ReadDelay => Self::ReadDelay,
            Setting::MaxFrame => Self::MaxFrame,
            Setting::UdpReadSize => Self::UdpReadSize,
            Setting::UdpRcvBuf => Self::UdpRcvBuf,
            Setting::UdpStartDelay => Self::UdpStartDelay,
            Setting::Mss => Self::Mss,
            Setting::Link => Self::Link,
            // the sender's other timings have no box (a preset or a recording sets them): the
            // nearest one is the gap's
            Setting::ChunkGap | Setting::Burst | Setting::BurstGap => Self::Gap,
            // no box of their own either (presets, recordings, `listen`): the first box; the
            // message names the setting by its label, so it is not read as the count's
            Setting::Nagle
            | Setting::Cork
            | Setting::Framing
            | Setting::LengthBytes
            | Setting::LengthOrder
            | Setting::ClientReads
            | Setting::ClientReadSize
            | Setting::ReplySize
            | Setting::Connections
            | Setting::IdleMs
            | Setting::ListenClients
            | Setting::SendCall
            | Setting::ReuseAddr => Self::Count,
        }
    }
}

/// Text of every field plus the error each one shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    text: [String; Field::ALL.len()],
    errors: [Option<String>; Field::ALL.len()],
}

fn opt_text(v: Option<u32>) -> String {
    v.map_or_else(String::new, |n| n.to_string())
}

impl Form {
    pub fn from_settings(e: &Experiment) -> Self {
        let w = &e.workload;
        let size = if w.size_min == w.size_max {
            w.size_min.to_string()
        } else {
            format!("{}-{}", w.size_min, w.size_max)
        };
        let chunk = match e.sender.split {
            WriteSplit::Chunks { bytes } => bytes.to_string(),
            _ => "1000".into(),
        };
        let text = Field::ALL.map(|f| match f {
            Field::Count => w.count.to_string(),
            Field::Size => size.clone(),
            Field::Gap => w.gap_us.to_string(),
            Field::SndBuf => opt_text(e.sender.sndbuf),
            Field::Chunk => chunk.clone(),
            Field::ReadSize => e.receiver.read_size.to_string(),
            Field::RcvBuf => opt_text(e.receiver.rcvbuf),
            Field::StartDelay => e.receiver.start_delay_ms.to_string(),
            Field::ReadDelay => e.receiver.read_delay_ms.to_string(),
            Field::MaxFrame => e.max_frame_len.to_string(),
            Field::UdpReadSize => e.udp.read_size.to_string(),
            Field::UdpRcvBuf => opt_text(e.udp.rcvbuf),
            Field::UdpStartDelay => e.udp.start_delay_ms.to_string(),
            Field::Mss => opt_text(e.mss),
            Field::Link => e.link.unwrap_or_default().to_spec(),
        });
        Self {
            text,
            errors: Default::default(),
        }
    }

    pub fn text(&self, f: Field) -> &str {
        &self.text[f as usize]
    }

    pub fn text_mut(&mut self, f: Field) -> &mut String {
        &mut self.text[f as usize]
    }

    pub fn error(&self, f: Field) -> Option<&str> {
        self.errors[f as usize].as_deref()
    }

    pub fn has_errors(&self) -> bool {
        self.errors.iter().any(Option::is_some)
    }

    /// Reads every field over `base` (which holds the toggles and combos). Returns the new
    /// settings, or None with the errors stored beside their fields.
    pub fn apply(&mut self, base: &Experiment, lang: Lang) -> Option<Experiment> {
        self.errors = Default::default();
        let mut exp = base.clone();
        for f in Field::ALL {
            if let Err(msg) = set_field(&mut exp, f, self.text[f as usize].trim(), lang) {
                self.errors[f as usize] = Some(msg);
            }
        }
        if self.has_errors() {
            return None;
        }
        match exp.validate() {
            Ok(()) => Some(exp),
            Err(e) => {
                self.errors[Field::of_setting(e.field) as usize] = Some(crate::describe::setting_error(&e, lang));
                None
            }
        }
    }
}

/// Reads a box's text with its setting's parser (the command line's, `Setting::set`); an
/// error is named as the window labels the setting.
fn set_field(e: &mut Experiment, f: Field, v: &str, lang: Lang) -> Result<(), String> {
    match f {
        // the chunk box is read only while the split is in chunks (its combo)
        Field::Chunk if !matches!(e.sender.split, WriteSplit::Chunks { .. }) => Ok(()),
        // the link box is read only while the link is on (its checkbox)
        Field::Link if e.link.is_none() => Ok(()),
        _ => f
            .setting()
            .set(e, v)
            .map_err(|err| crate::describe::setting_error(&err, lang)),
    }
}

/// What changed this frame.
#[derive(Default)]
pub struct Changed {
    /// A toggle or combo changed `settings` directly.
    pub toggled: bool,
    /// A text field was edited.
    pub typed: bool,
}

#[allow(clippy::too_many_arguments)]
fn field_ui(
    ui: &mut Ui,
    form: &mut Form,
    f: Field,
    label: &str,
    tip: &str,
    note: Option<String>,
    changed: &mut Changed,
    lang: Lang,
) {
    let label = ui.label(label).on_hover_text(tip);
    let hint = if matches!(f, Field::SndBuf | Field::RcvBuf | Field::UdpRcvBuf | Field::Mss) {
        t(lang, S::BufferHint)
    } else {
        ""
    };
    let width = if f == Field::Link { 200.0 } else { 96.0 };
    let resp = ui
        .add(
            egui::TextEdit::singleline(form.text_mut(f))
                .desired_width(width)
                .hint_text(hint),
        )
        .on_hover_text(tip)
        .labelled_by(label.id);
    if resp.changed() {
        changed.typed = true;
    }
    ui.end_row();
    let dark = ui.visuals().dark_mode;
    if let Some(err) = form.error(f) {
        ui.label("");
        ui.add(
            egui::Label::new(
                RichText::new(err)
                    .color(theme::split_text(ui.visuals().dark_mode))
                    .size(11.0),
            )
            .wrap(),
        );
        ui.end_row();
    } else if let Some(note) = note {
        ui.label("");
        ui.label(RichText::new(note).color(theme::warn(dark)).size(11.0));
        ui.end_row();
    }
}

/// "kernel: 16384" or "asked 4096, kernel set 8192".
fn kernel_note(model: &Model, side: Side, opt: SockOpt, lang: Lang) -> Option<String> {
    let o = model.option(side, opt)?;
    Some(match o.requested {
        Some(asked) => tf(lang, S::KernelAsked, &[("asked", &asked), ("bytes", &o.actual)]),
        None => tf(lang, S::Kernel, &[("bytes", &o.actual)]),
    })
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(6.0);
    ui.label(RichText::new(title).strong().size(15.0));
}

pub fn controls_ui(ui: &mut Ui, settings: &mut Experiment, form: &mut Form, model: &Model, lang: Lang) -> Changed {
    let mut changed = Changed::default();
    let grid = |id: &str| egui::Grid::new(id.to_string()).num_columns(2).spacing([8.0, 4.0]);
    section(ui, t(lang, S::Sender));
    grid("sender").show(ui, |ui| {
        ui.label(t(lang, S::Nagle)).on_hover_text(t(lang, S::NagleTip));
        ui.horizontal(|ui| {
            changed.toggled |= ui
                .radio_value(&mut settings.sender.nagle, true, t(lang, S::On))
                .on_hover_text(t(lang, S::NagleTip))
                .changed();
            changed.toggled |= ui
                .radio_value(&mut settings.sender.nagle, false, t(lang, S::Off))
                .on_hover_text(t(lang, S::NagleTip))
                .changed();
        });
        ui.end_row();
        ui.label(t(lang, S::Cork)).on_hover_text(t(lang, S::CorkTip));
        changed.toggled |= ui
            .checkbox(&mut settings.sender.cork, "")
            .on_hover_text(t(lang, S::CorkTip))
            .changed();
        ui.end_row();
        changed.toggled |= super::send_close_controls::send_call_row_ui(ui, settings, lang);
        field_ui(
            ui,
            form,
            Field::Count,
            t(lang, S::Messages),
            t(lang, S::MessagesTip),
            None,
            &mut changed,
            lang,
        );
        field_ui(
            ui,
            form,
            Field::Size,
            t(lang, S::Size),
            t(lang, S::SizeTip),
            None,
            &mut changed,
            lang,
        );
        field_ui(
            ui,
            form,
            Field::Gap,
            t(lang, S::Gap),
            t(lang, S::GapTip),
            None,
            &mut changed,
            lang,
        );
        let note = kernel_note(model, Side::TcpSender, SockOpt::SndBuf, lang);
        field_ui(
            ui,
            form,
            Field::SndBuf,
            t(lang, S::SndBuf),
            t(lang, S::SndBufTip),
            note,
            &mut changed,
            lang,
        );
        let split_label = ui.label(t(lang, S::Split)).on_hover_text(t(lang, S::SplitTip));
        let chunks = WriteSplit::Chunks {
            bytes: form.text_mut(Field::Chunk).trim().parse().unwrap_or(1000),
        };
        let name = |s: WriteSplit| match s {
            WriteSplit::Whole => t(lang, S::SplitWhole),
            WriteSplit::HeaderThenBody => t(lang, S::SplitHeaderBody),
            WriteSplit::Chunks { .. } => t(lang, S::SplitChunks),
        };
        egui::ComboBox::from_id_salt("split")
            .selected_text(name(settings.sender.split))
            .width(96.0)
            .show_ui(ui, |ui| {
                for s in [WriteSplit::Whole, WriteSplit::HeaderThenBody, chunks] {
                    let selected = std::mem::discriminant(&settings.sender.split) == std::mem::discriminant(&s);
                    if ui.selectable_label(selected, name(s)).clicked() && !selected {
                        settings.sender.split = s;
                        changed.toggled = true;
                    }
                }
            })
            .response
            .labelled_by(split_label.id);
        ui.end_row();
        if let WriteSplit::Chunks { .. } = settings.sender.split {
            field_ui(
                ui,
                form,
                Field::Chunk,
                t(lang, S::ChunkBytes),
                t(lang, S::SplitTip),
                None,
                &mut changed,
                lang,
            );
        }
        let note = kernel_note(model, Side::TcpSender, SockOpt::Mss, lang);
        field_ui(
            ui,
            form,
            Field::Mss,
            t(lang, S::LabelMss),
            t(lang, S::HelpMss),
            note,
            &mut changed,
            lang,
        );
    });
    link_ui(ui, settings, form, &mut changed, lang);
    section(ui, t(lang, S::Receiver));
    grid("receiver").show(ui, |ui| {
        changed.toggled |= super::send_close_controls::reuse_addr_row_ui(ui, settings, lang);
        field_ui(
            ui,
            form,
            Field::ReadSize,
            t(lang, S::ReadSize),
            t(lang, S::ReadSizeTip),
            None,
            &mut changed,
            lang,
        );
        let note = kernel_note(model, Side::TcpReceiver, SockOpt::RcvBuf, lang);
        field_ui(
            ui,
            form,
            Field::RcvBuf,
            t(lang, S::RcvBuf),
            t(lang, S::RcvBufTip),
            note,
            &mut changed,
            lang,
        );
        field_ui(
            ui,
            form,
            Field::StartDelay,
            t(lang, S::StartDelay),
            t(lang, S::StartDelayTip),
            None,
            &mut changed,
            lang,
        );
        field_ui(
            ui,
            form,
            Field::ReadDelay,
            t(lang, S::ReadDelay),
            t(lang, S::ReadDelayTip),
            None,
            &mut changed,
            lang,
        );
    });
    section(ui, t(lang, S::Framing));
    grid("framing").show(ui, |ui| {
        let mode_label = ui.label(t(lang, S::Mode)).on_hover_text(t(lang, S::ModeTip));
        egui::ComboBox::from_id_salt("framing")
            .selected_text(crate::describe::framing_name(settings.framing, lang))
            .width(96.0)
            .show_ui(ui, |ui| {
                for m in FramingMode::ALL {
                    changed.toggled |= ui
                        .selectable_value(&mut settings.framing, m, crate::describe::framing_name(m, lang))
                        .on_hover_text(t(lang, S::ModeTip))
                        .changed();
                }
            })
            .response
            .on_hover_text(t(lang, S::ModeTip))
            .labelled_by(mode_label.id);
        ui.end_row();
        if settings.framing.has_length_prefix() {
            length_prefix_ui(ui, &mut settings.length_prefix, &mut changed, lang);
        }
        if settings.framing.has_length_header() || settings.framing == FramingMode::Newline {
            field_ui(
                ui,
                form,
                Field::MaxFrame,
                t(lang, S::MaxFrame),
                t(lang, S::MaxFrameTip),
                None,
                &mut changed,
                lang,
            );
        }
    });
    section(ui, t(lang, S::UdpPanel));
    let mut udp = settings.transports.udp();
    if ui
        .checkbox(&mut udp, t(lang, S::UdpOn))
        .on_hover_text(t(lang, S::UdpOnTip))
        .changed()
    {
        settings.transports = if udp {
            crate::config::Transports::Both
        } else {
            crate::config::Transports::Tcp
        };
        changed.toggled = true;
    }
    if udp {
        grid("udp").show(ui, |ui| {
            field_ui(
                ui,
                form,
                Field::UdpReadSize,
                t(lang, S::UdpReadSize),
                t(lang, S::UdpReadSizeTip),
                None,
                &mut changed,
                lang,
            );
            let note = kernel_note(model, Side::UdpReceiver, SockOpt::RcvBuf, lang);
            field_ui(
                ui,
                form,
                Field::UdpRcvBuf,
                t(lang, S::UdpRcvBuf),
                t(lang, S::UdpRcvBufTip),
                note,
                &mut changed,
                lang,
            );
            field_ui(
                ui,
                form,
                Field::UdpStartDelay,
                t(lang, S::UdpStartDelay),
                t(lang, S::StartDelayTip),
                None,
                &mut changed,
                lang,
            );
        });
    }
    changed
}

/// The Link section: a checkbox that moves the run into a network namespace of its own, and
/// the link's fields as one text (`mtu=1500,rate=20mbit,queue=20kb`). Linux only: elsewhere
/// the checkbox is disabled and its tooltip says why.
fn link_ui(ui: &mut Ui, settings: &mut Experiment, form: &mut Form, changed: &mut Changed, lang: Lang) {
    section(ui, t(lang, S::LinkSection));
    let available = cfg!(target_os = "linux");
    let tip = if available {
        t(lang, S::LinkOnTip)
    } else {
        t(lang, S::LinkNeedsLinux)
    };
    let mut on = settings.link.is_some();
    let toggle = ui.add_enabled(available, egui::Checkbox::new(&mut on, t(lang, S::LinkOn)));
    let toggle = if available {
        toggle.on_hover_text(tip)
    } else {
        toggle.on_disabled_hover_text(tip)
    };
    if toggle.changed() {
        settings.link = on.then(|| crate::config::Link::parse(form.text(Field::Link)).unwrap_or_default());
        changed.toggled = true;
    }
    if settings.link.is_some() {
        egui::Grid::new("link")
            .num_columns(2)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                field_ui(
                    ui,
                    form,
                    Field::Link,
                    t(lang, S::LabelLink),
                    t(lang, S::HelpLink),
                    None,
                    changed,
                    lang,
                );
            });
    }
}

/// Width and byte order of the `u32` length prefix: the two settings netty's
/// `LengthFieldBasedFrameDecoder` users know. One grid row.
fn length_prefix_ui(ui: &mut Ui, prefix: &mut LengthPrefix, changed: &mut Changed, lang: Lang) {
    let label = ui
        .label(t(lang, S::LengthPrefix))
        .on_hover_text(t(lang, S::LengthPrefixTip));
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("length-bytes")
            .selected_text(tf(lang, S::LengthBytes, &[("bytes", &prefix.bytes)]))
            .width(48.0)
            .show_ui(ui, |ui| {
                for b in LengthPrefix::WIDTHS {
                    changed.toggled |= ui
                        .selectable_value(&mut prefix.bytes, b, tf(lang, S::LengthBytes, &[("bytes", &b)]))
                        .changed();
                }
            })
            .response
            .on_hover_text(t(lang, S::LengthPrefixTip))
            .labelled_by(label.id);
        let name = |o: ByteOrder| {
            t(
                lang,
                if o == ByteOrder::Big {
                    S::LengthBig
                } else {
                    S::LengthLittle
                },
            )
        };
        egui::ComboBox::from_id_salt("length-order")
            .selected_text(name(prefix.order))
            .width(72.0)
            .show_ui(ui, |ui| {
                for o in [ByteOrder::Big, ByteOrder::Little] {
                    changed.toggled |= ui.selectable_value(&mut prefix.order, o, name(o)).changed();
                }
            })
            .response
            .on_hover_text(t(lang, S::LengthPrefixTip));
    });
    ui.end_row();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_value_names_field_and_range() {
        let base = Experiment::default();
        let mut form = Form::from_settings(&base);
        *form.text_mut(Field::ReadSize) = "0".into();
        assert_eq!(form.apply(&base, Lang::En), None);
        let err = form.error(Field::ReadSize).expect("error beside read size");
        assert!(
            err.starts_with("read size: ") && err.contains("1 to 1,048,576"),
            "{err}"
        );

        *form.text_mut(Field::ReadSize) = "abc".into();
        assert_eq!(form.apply(&base, Lang::En), None);
        assert!(form
            .error(Field::ReadSize)
            .is_some_and(|e| e.contains("is not a number")));
    }

    /// Every box's setting comes back to the box: an error is shown where it was typed.
    #[test]
    fn every_box_gets_its_own_settings_errors() {
        for f in Field::ALL {
            assert_eq!(Field::of_setting(f.setting()), f, "{f:?}");
        }
    }

    #[test]
    fn a_size_below_its_minimum_is_named_by_label_beside_the_size_box() {
        let base = Experiment::default();
        let mut form = Form::from_settings(&base);
        *form.text_mut(Field::Size) = "50-10".into();
        assert_eq!(form.apply(&base, Lang::Zh), None);
        let err = form.error(Field::Size).expect("error beside size");
        assert!(err.starts_with(&format!("{}: ", t(Lang::Zh, S::Size))), "{err}");
    }

    #[test]
    fn round_trip_of_settings() {
        let base = Experiment::default();
        let mut form = Form::from_settings(&base);
        assert_eq!(form.apply(&base, Lang::En), Some(base));
    }
}
