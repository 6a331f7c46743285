//! `compare`: two runs drawn on one byte scale, one above the other, with what changed between
//! them under both. The same lane is at the same height in each half, and a byte offset is at
//! the same x in both, so a boundary that moved is seen moving.

use std::fmt::Write as _;

use crate::analysis::compare::Changes;
use crate::analysis::Model;
use crate::describe::questions::changes as change_lines;
use crate::export::options::{RenderLang, RenderOptions, RenderTheme};
use crate::export::svg::render_lanes;
use crate::i18n::Lang;

/// The height attribute of an SVG this module's renderer wrote.
fn height_of(svg: &str) -> f64 {
    svg.split_once("height=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .and_then(|(h, _)| h.parse().ok())
        .unwrap_or(0.0)
}

/// Both runs (`(name, model)`), A above B, on the longer stream's byte scale, and the lines of
/// what changed; `opts.width` wide.
pub fn render(a: (&str, &Model), b: (&str, &Model), changes: &Changes, opts: &RenderOptions) -> String {
    let lang = match opts.lang {
        RenderLang::En => Lang::En,
        RenderLang::Zh => Lang::Zh,
    };
    let (bg, fg) = match opts.theme {
        RenderTheme::Dark => ("#1b1b1b", "#e6e6e6"),
        RenderTheme::Light => ("#ffffff", "#1a1a1a"),
    };
    let total = a.1.stream_len().max(b.1.stream_len()).max(1);
    let halves = [a, b].map(|(name, m)| (name, render_lanes(m, opts, total, false)));
    let label_h = 22.0;
    let lines = change_lines(changes, lang);
    let width = f64::from(opts.width.max(200));
    let mut y = 0.0;
    let mut body = String::new();
    for (i, (name, svg)) in halves.iter().enumerate() {
        let key = if i == 0 {
            crate::i18n::S::CmpRunA
        } else {
            crate::i18n::S::CmpRunB
        };
        let label = crate::i18n::tf(lang, key, &[("name", name)]);
        let _ = writeln!(
            body,
            r#"<text class="run-label" x="24" y="{:.1}" font-size="15" fill="{fg}">{}</text>"#,
            y + 16.0,
            esc(&label)
        );
        y += label_h;
        let inner = svg.split_once("?>\n").map_or(svg.as_str(), |(_, rest)| rest);
        let inner = inner.replacen("<svg ", &format!(r#"<svg class="run" y="{y:.1}" "#), 1);
        body.push_str(&inner);
        y += height_of(svg);
    }
    y += 8.0;
    for line in &lines {
        y += 18.0;
        let _ = writeln!(
            body,
            r#"<text class="change" x="24" y="{y:.1}" font-size="13" fill="{fg}" xml:space="preserve">{}</text>"#,
            esc(line)
        );
    }
    let height = y + 16.0;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Noto Sans CJK SC\">\n<rect width=\"100%\" height=\"100%\" fill=\"{bg}\"/>\n{body}</svg>\n"
    )
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
