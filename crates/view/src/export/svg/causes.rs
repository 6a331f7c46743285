//! The SVG with the run's causes drawn on it (`render --causes`, issue 30): each cause gets a
//! number, put on the lanes at every record of its evidence (the chain: the held write, the
//! segment before, the delayed ACK, the segment that left after it; a read and the segment its
//! bytes waited in; …), and its sentence below the legend. The plain picture is unchanged.

use std::fmt::Write as _;

use crate::analysis::causes::{EventIx, Located};
use crate::analysis::Model;
use crate::export::options::RenderOptions;

use super::{i18n_lang, palette, Canvas, Layout, CHAR_W, LANE_H, MARGIN, MARK_H, SPLIT, TITLE_H};

/// Causes of one kind drawn at most (the text report's rule).
const PER_KIND: usize = 2;
/// Height of one line of the causes' text.
const LINE_H: f64 = 16.0;

/// Where on the lanes event `ix` is drawn: (lane, from, to), lanes 0–3 top to bottom.
fn place(model: &Model, ix: EventIx) -> Option<(usize, u64, u64)> {
    let span = |o: u64, l: u32| (o, o + u64::from(l));
    Some(match model.locate(ix)? {
        Located::Write(i) => {
            let w = model.writes().get(i)?;
            let (a, b) = span(w.offset, w.len);
            (0, a, b)
        }
        Located::Segment { offset, at_us } => {
            let s = model
                .segments()
                .iter()
                .chain(model.retransmissions())
                .find(|s| s.offset == offset && s.at_us == at_us)?;
            (1, s.offset, s.end())
        }
        Located::Ack { at_us } => {
            let a = model.ack_at(at_us)?;
            (1, a.ack, a.ack)
        }
        Located::Read(i) => {
            let r = model.reads().get(i)?;
            (2, r.offset, r.end())
        }
        Located::Frame(i) => {
            let f = model.frames().get(i)?;
            let (a, b) = span(f.offset, f.len);
            (3, a, b)
        }
        Located::Round(_) | Located::Datagram(_) | Located::DecodeError(_) => return None,
    })
}

/// Cuts `text` into lines of at most `max` characters, at spaces where it has them.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for ch in text.chars() {
        let line = lines.last_mut().expect("one line");
        if line.chars().count() >= max {
            let cut = line.rfind(' ').filter(|&i| i > max / 2);
            let rest = match cut {
                Some(i) => line.split_off(i + 1),
                None => String::new(),
            };
            lines.push(rest);
        }
        lines.last_mut().expect("one line").push(ch);
    }
    lines
}

/// [`super::render_model`] with the causes drawn on it.
pub fn render_model(model: &Model, opts: &RenderOptions) -> String {
    let plain = super::render_model(model, opts);
    let lang = i18n_lang(opts.lang);
    let pal = palette(opts.theme);
    let width = f64::from(opts.width.max(200));
    let layout = Layout {
        width,
        lanes_top: MARGIN + 28.0 + 18.0,
        lane_block: TITLE_H + LANE_H + MARK_H,
    };
    let mut c = Canvas {
        out: String::new(),
        x0: MARGIN,
        width: width - 2.0 * MARGIN,
        total: model.stream_len().max(1) as f64,
    };
    let causes = model.causes();
    let mut y = layout.legend_y() + 28.0 + 8.0;
    c.text(
        MARGIN,
        y,
        13.0,
        pal.text,
        "start",
        crate::i18n::t(lang, crate::i18n::S::CausesTitle),
    );
    // a full-width line of 11 px text holds about this many characters (CJK about half)
    let per_line = ((width - 2.0 * MARGIN - 24.0) / (CHAR_W * 0.95)) as usize;
    let mut n = 0;
    for (shown, more) in crate::describe::causes::shown(&causes, PER_KIND) {
        for cause in shown {
            n += 1;
            for ix in cause.evidence() {
                let Some((lane, from, to)) = place(model, ix) else {
                    continue;
                };
                let x = (c.x(from) + c.x(to)) / 2.0;
                let cy = layout.lane_y(lane) + TITLE_H - 8.0;
                let _ = writeln!(
                    c.out,
                    r#"<g class="cause"><circle cx="{x:.1}" cy="{cy:.1}" r="7" fill="{SPLIT}"/><text x="{x:.1}" y="{:.1}" font-size="10" fill="white" text-anchor="middle">{n}</text></g>"#,
                    cy + 3.5
                );
            }
            let sentence = crate::describe::causes::cause(cause, model, lang);
            let wide = sentence.chars().any(|ch| ch as u32 > 0x2e80);
            let max = if wide { per_line / 2 } else { per_line };
            for (i, line) in wrap(&sentence, max.max(20)).iter().enumerate() {
                y += LINE_H;
                if i == 0 {
                    c.text(MARGIN, y, 11.0, SPLIT, "start", &n.to_string());
                }
                c.text(MARGIN + 24.0, y, 11.0, pal.text, "start", line);
            }
        }
        if more > 0 {
            y += LINE_H;
            let text = crate::i18n::tf(
                lang,
                crate::i18n::S::CausesMore,
                &[("count", &crate::i18n::grouped(more))],
            );
            c.text(MARGIN + 24.0, y, 11.0, pal.weak, "start", &text);
        }
    }
    let (old_h, new_h) = (layout.legend_y() + 28.0, y + 16.0);
    plain
        .replacen(
            &format!(r#"height="{old_h}" viewBox="0 0 {width} {old_h}""#),
            &format!(r#"height="{new_h}" viewBox="0 0 {width} {new_h}""#),
            1,
        )
        .replacen("</svg>\n", &(c.out + "</svg>\n"), 1)
}
