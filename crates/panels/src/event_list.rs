//! The event list beside the timeline: one row per recorded event, in time order, the row at
//! the play head highlighted; a click moves the play head there. Only visible rows are laid
//! out (`show_rows`), so a run of millions of events scrolls as fast as one of twelve.

use egui::{RichText, Ui};

use crate::analysis::playback::{Entry, EventKind, EventRef};
use crate::analysis::{Model, ReadKind};
use crate::playback::{fmt_us, PlaybackView};
use crate::strings::{t, tf, Lang, S};

const KINDS: [(EventKind, S); 5] = [
    (EventKind::Write, S::EvWrite),
    (EventKind::Segment, S::EvSegment),
    (EventKind::Read, S::EvRead),
    (EventKind::Frame, S::EvFrame),
    (EventKind::Datagram, S::EvDatagrams),
];

/// `+12 µs write m3 10 B`: the row's words.
pub fn row_text(model: &Model, e: &Entry, lang: Lang) -> String {
    let (kind, what) = match e.what {
        EventRef::Write(i) => (
            S::EvWrite,
            model.writes().get(i).map(|w| format!("{} {} B", w.msg, w.len)),
        ),
        EventRef::Segment(i) => (S::EvSegment, model.segments().get(i).map(|s| format!("{} B", s.len))),
        EventRef::Read(i) => (
            S::EvRead,
            model.reads().get(i).map(|r| match model.read_kind(r) {
                ReadKind::Merged { messages } => format!(
                    "#{i} {} B {}",
                    r.len,
                    tf(lang, S::MergedShort, &[("messages", &messages)])
                ),
                _ => format!("#{i} {} B", r.len),
            }),
        ),
        EventRef::Frame(i) => (
            S::EvFrame,
            model
                .frames()
                .get(i)
                .map(|f| format!("f{} {} B {}", f.index, f.payload_len, if f.intact { "✔" } else { "✘" })),
        ),
        EventRef::DatagramSent(i) => (
            S::EvDgramSent,
            model.datagrams().get(i).map(|d| format!("{} {} B", d.msg, d.len)),
        ),
        EventRef::DatagramReceived(i) => (
            S::EvDgramRecv,
            model.datagrams().get(i).and_then(|d| {
                d.received.map(|(len, _)| {
                    if len < d.len {
                        format!("{} {len}/{} B ✂", d.msg, d.len)
                    } else {
                        format!("{} {len} B", d.msg)
                    }
                })
            }),
        ),
    };
    format!("+{} {} {}", fmt_us(e.at_us), t(lang, kind), what.unwrap_or_default())
}

pub fn event_list_ui(ui: &mut Ui, model: &Model, pb: &mut PlaybackView, lang: Lang) {
    ui.label(RichText::new(t(lang, S::EventsTitle)).strong().size(15.0))
        .on_hover_text(t(lang, S::EventsTip));
    ui.horizontal_wrapped(|ui| {
        for (kind, label) in KINDS {
            let shown = !pb.hidden.contains(&kind);
            if ui.selectable_label(shown, t(lang, label)).clicked() {
                if shown {
                    pb.hidden.push(kind)
                } else {
                    pb.hidden.retain(|k| *k != kind)
                }
            }
        }
    });
    // unfiltered rows are the entries themselves: no per-frame list of millions of indices
    let filtered: Option<Vec<usize>> = (!pb.hidden.is_empty()).then(|| {
        (0..pb.entries.len())
            .filter(|&i| !pb.hidden.contains(&pb.entries[i].what.kind()))
            .collect()
    });
    let n_rows = filtered.as_ref().map_or(pb.entries.len(), Vec::len);
    let entry_of = |k: usize| {
        filtered
            .as_ref()
            .map_or(Some(k), |f| f.get(k).copied())
            .and_then(|i| pb.entries.get(i))
    };
    // the current row: the last shown event that had happened by the play head
    let current = pb.t().and_then(|t_us| {
        let happened = match &filtered {
            Some(f) => f.partition_point(|&i| pb.entries[i].at_us <= t_us),
            None => pb.entries.partition_point(|e| e.at_us <= t_us),
        };
        happened.checked_sub(1)
    });
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().button_padding.y * 2.0;
    let mut area = egui::ScrollArea::vertical().auto_shrink([false, false]);
    if std::mem::take(&mut pb.follow) {
        if let Some(c) = current {
            let step = row_h + ui.spacing().item_spacing.y;
            area = area.vertical_scroll_offset((c as f32 * step - ui.available_height() / 2.0).max(0.0));
        }
    }
    let mut seek = None;
    area.show_rows(ui, row_h, n_rows, |ui, visible| {
        for k in visible {
            let Some(e) = entry_of(k) else { continue };
            let mut text = RichText::new(row_text(model, e, lang)).monospace().size(12.0);
            if current.is_some_and(|c| k > c) {
                text = text.weak(); // not happened yet at the play head
            }
            let r = ui.add(
                egui::Button::selectable(current == Some(k), text)
                    .truncate()
                    .min_size(egui::vec2(ui.available_width(), row_h)),
            );
            if r.clicked() {
                seek = Some(e.at_us);
            }
        }
    });
    if let Some(t_us) = seek {
        pb.seek(t_us);
    }
}
