//! Details of the selected block; for a read, its bytes with the message boundaries marked.

use std::fmt::Write as _;

use egui::{RichText, Ui};

use crate::analysis::{Model, ReadKind, Span};
use crate::strings::{t, tf, Lang, S};
use crate::theme;

/// What the user clicked; the inspector shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Write(usize),
    Segment(usize),
    Read(usize),
    Frame(usize),
}

/// Bytes of a read shown in the inspector; more would not fit a projected line anyway.
const SHOWN_BYTES: usize = 160;

/// One line naming the selected block (also the hover text).
pub fn title(model: &Model, sel: Selection, lang: Lang) -> String {
    match sel {
        Selection::Write(i) => model.writes().get(i).map_or_else(String::new, |w| {
            tf(
                lang,
                S::InspectWrite,
                &[("write", &i), ("msg", &w.msg), ("offset", &w.offset), ("bytes", &w.len)],
            )
        }),
        Selection::Segment(i) => model.segments().get(i).map_or_else(String::new, |s| {
            tf(
                lang,
                S::InspectSegment,
                &[("segment", &i), ("offset", &s.offset), ("bytes", &s.len)],
            )
        }),
        Selection::Read(i) => model.reads().get(i).map_or_else(String::new, |r| {
            tf(
                lang,
                S::InspectRead,
                &[("read", &i), ("offset", &r.offset), ("bytes", &r.len)],
            )
        }),
        Selection::Frame(i) => model.frames().get(i).map_or_else(String::new, |f| {
            tf(
                lang,
                S::InspectFrame,
                &[
                    ("frame", &f.index),
                    ("offset", &f.offset),
                    ("bytes", &f.len),
                    ("payload_bytes", &f.payload_len),
                ],
            )
        }),
    }
}

/// The parts of messages a byte range covers: `m5 tail (34 of 90 B) | m6 (150 B) | m7 head (64 of 100 B)`.
pub fn message_parts(model: &Model, offset: u64, end: u64, lang: Lang) -> String {
    let range = model.messages_in(offset, end);
    let mut parts = Vec::new();
    for m in &model.messages()[range] {
        let (a, b) = (m.offset.max(offset), m.end().min(end));
        let got = b - a;
        let key = if got == u64::from(m.len) {
            S::Whole
        } else if a > m.offset {
            S::Tail
        } else {
            S::Head
        };
        parts.push(match key {
            S::Whole => tf(lang, key, &[("msg", &m.id), ("bytes", &m.len)]),
            _ => tf(lang, key, &[("msg", &m.id), ("bytes", &got), ("total", &m.len)]),
        });
    }
    parts.join(" | ")
}

/// A read's bytes as text and hex, with `|` where a message boundary falls inside it.
pub fn marked_bytes(model: &Model, read: &Span) -> Option<(String, String)> {
    let bytes = model.read_bytes(read)?;
    let bounds: Vec<u64> = model.messages()[model.messages_in(read.offset, read.end())]
        .iter()
        .map(|m| m.offset)
        .filter(|&o| o > read.offset && o < read.end())
        .collect();
    let (mut text, mut hex) = (String::new(), String::new());
    for (k, &b) in bytes.iter().take(SHOWN_BYTES).enumerate() {
        if bounds.contains(&(read.offset + k as u64)) {
            text.push('|');
            hex.push_str("| ");
        }
        text.push(if b.is_ascii_graphic() || b == b' ' {
            b as char
        } else {
            '·'
        });
        let _ = write!(hex, "{b:02x} ");
    }
    if bytes.len() > SHOWN_BYTES {
        text.push('…');
        hex.push('…');
    }
    Some((text, hex))
}

pub fn inspector_ui(ui: &mut Ui, model: &Model, selection: Option<Selection>, lang: Lang) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        ui.label(RichText::new(t(lang, S::Inspector)).strong());
        if let Some(sel) = selection {
            ui.label(RichText::new(format!("— {}", title(model, sel, lang))).strong());
        }
    });
    let Some(sel) = selection else {
        ui.weak(t(lang, S::InspectorEmpty));
        return;
    };
    match sel {
        Selection::Read(i) => {
            let Some(read) = model.reads().get(i) else { return };
            ui.label(message_parts(model, read.offset, read.end(), lang));
            if let Some((text, hex)) = marked_bytes(model, read) {
                ui.label(
                    RichText::new(format!("{}: {text}", t(lang, S::Text)))
                        .monospace()
                        .weak(),
                );
                ui.label(RichText::new(format!("{}: {hex}", t(lang, S::Hex))).monospace().weak());
            }
            let lesson = match model.read_kind(read) {
                ReadKind::Merged { messages } => tf(lang, S::LessonMerged, &[("messages", &messages)]),
                ReadKind::Partial => t(lang, S::LessonPartial).into(),
                ReadKind::Exact => t(lang, S::LessonExact).into(),
                ReadKind::Unknown => String::new(),
            };
            ui.label(RichText::new(lesson).color(theme::warn(dark)));
        }
        Selection::Write(i) => {
            let Some(w) = model.writes().get(i) else { return };
            ui.label(message_parts(model, w.offset, w.offset + u64::from(w.len), lang));
            ui.label(tf(
                lang,
                S::InspectTcpInfo,
                &[("at_us", &w.at_us), ("segs_out", &w.segs_out), ("notsent", &w.notsent)],
            ));
            ui.label(RichText::new(t(lang, S::LessonWrite)).color(theme::warn(dark)));
        }
        Selection::Segment(i) => {
            let Some(s) = model.segments().get(i) else { return };
            ui.label(message_parts(model, s.offset, s.end(), lang));
            ui.label(format!("+{} µs", s.at_us));
            ui.label(RichText::new(t(lang, S::LessonSegment)).color(theme::warn(dark)));
        }
        Selection::Frame(i) => {
            let Some(f) = model.frames().get(i) else { return };
            ui.label(message_parts(model, f.offset, f.offset + u64::from(f.len), lang));
            let key = if f.intact { S::LessonFrameOk } else { S::LessonFrameBad };
            ui.label(RichText::new(t(lang, key)).color(theme::warn(dark)));
        }
    }
    // last: what is above stays where it was, and a picture of the window shows it unchanged
    crate::why::why_ui(ui, model, sel.pick(), lang);
}
