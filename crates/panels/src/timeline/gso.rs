//! The wire lane's GSO batch marks (issue 27): `lo` carries TCP's large packets whole, and the
//! lane draws each as the segments a network would carry (`crates/engine/src/capture_split.rs`);
//! a bracket along the top of those segments says they left as one batch, and its tip says how.

use egui::{Pos2, Stroke};

use crate::analysis::Model;
use crate::i18n::{tf, Lang, S};
use crate::theme;

use super::Axis;

/// Height of a bracket's end ticks, px.
const TICK_H: f32 = 6.0;

/// A bracket over each visible batch: a line along the lane's top, ticks at both ends. Batches
/// narrower than 4 px are left out (at that zoom they are the segments' own width).
pub(super) fn marks(clip: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, dark: bool) {
    let stroke = Stroke::new(2.0, theme::on_segment(dark));
    let top = y.min + 1.5;
    // capture order is stream order but for a retransmitted batch (rare): each is looked at
    for b in model.gso_batches() {
        if (b.end() as f64) < axis.x0 || (b.offset as f64) > axis.x1 {
            continue;
        }
        let (a, z) = (axis.x(b.offset as f64) + 1.0, axis.x(b.end() as f64) - 1.0);
        if z - a < 4.0 {
            continue;
        }
        clip.line_segment([Pos2::new(a, top), Pos2::new(z, top)], stroke);
        for x in [a, z] {
            clip.line_segment([Pos2::new(x, top), Pos2::new(x, top + TICK_H)], stroke);
        }
    }
}

/// The batch under the pointer, in words, when the pointer is on the bracket row.
pub(super) fn tip(model: &Model, axis: &Axis, y: egui::Rangef, pointer: Pos2, lang: Lang) -> Option<String> {
    if !(y.min..=y.min + TICK_H + 2.0).contains(&pointer.y) || !axis.rect.x_range().contains(pointer.x) {
        return None;
    }
    let at = axis.offset(pointer.x);
    let b = model
        .gso_batches()
        .iter()
        .find(|b| (b.offset as f64) <= at && at < b.end() as f64)?;
    let (segments, gso) = model.gso_batch_shape(b)?;
    Some(tf(
        lang,
        S::GsoBatchTip,
        &[("len", &b.len), ("segments", &segments), ("gso", &gso)],
    ))
}
