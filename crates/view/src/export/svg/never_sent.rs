//! The send() lane's *never sent* flags in the SVG (send-vs-sendall, issue 32), as the window
//! draws them: bytes a `send()` did not take and the program never sent have no stream
//! offsets, so each is a hatched flag of fixed width under the short write's end, with its count.

use std::fmt::Write;

use crate::analysis::Model;
use crate::i18n::{grouped, tf, Lang, S};

use super::{Canvas, LANE_H, MARK_H, SPLIT, TITLE_H};

/// Widest a flag is drawn: "never sent: 39,524 B" at 10 px.
const FLAG_W: f64 = 120.0;

pub(super) fn flags(c: &mut Canvas, model: &Model, y: f64, lang: Lang, bg: &str) {
    if model.never_sent().is_empty() {
        return;
    }
    let _ = writeln!(
        c.out,
        r#"<defs><pattern id="never-sent" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="{SPLIT}" stroke-width="1.5"/></pattern></defs>"#
    );
    let right_edge = c.x0 + c.width;
    let top = y + TITLE_H + LANE_H + 1.0;
    let spans: Vec<(f64, f64)> = model
        .never_sent()
        .iter()
        .map(|n| {
            let x = c.x(n.offset);
            if x + FLAG_W > right_edge {
                (x - FLAG_W, x)
            } else {
                (x, x + FLAG_W)
            }
        })
        .collect();
    for (i, (n, &(left, right))) in model.never_sent().iter().zip(&spans).enumerate() {
        let right = right.min(spans.get(i + 1).map_or(f64::MAX, |s| s.0 - 2.0));
        let w = right - left;
        if w < 6.0 {
            continue;
        }
        let h = MARK_H - 2.0;
        let _ = writeln!(
            c.out,
            r#"<rect class="never-sent" x="{left:.2}" y="{top:.1}" width="{w:.2}" height="{h}" fill="url(#never-sent)" stroke="{SPLIT}" stroke-width="1"/>"#
        );
        let text = tf(lang, S::NeverSentMark, &[("bytes", &grouped(u64::from(n.len)))]);
        if super::text_width(&text) * 10.0 / 12.0 + 6.0 <= w {
            let _ = writeln!(
                c.out,
                r#"<rect x="{:.1}" y="{top:.1}" width="{:.1}" height="{h}" fill="{}"/>"#,
                left + 1.0,
                super::text_width(&text) * 10.0 / 12.0 + 4.0,
                bg
            );
            c.text(left + 3.0, top + h - 2.0, 10.0, SPLIT, "start", &text);
        }
    }
}
