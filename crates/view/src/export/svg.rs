//! The timeline as SVG: the window's four lanes on one byte axis, with the legend, written as
//! plain markup so it stays crisp in slides and print and can be edited by hand.
//!
//! ```text
//!  title
//!  0        200        400 ...           axis (bytes of the TCP stream)
//!  send()  [m0][m1 ][m2      ]           one rect per write, coloured per message
//!  wire    [ 68 B ][  segment 198 B ]    one rect per captured segment
//!  recv()  [ read #0: 512 B  ][ ... ]    one rect per read, orange fill = merged (粘包)
//!                 | m6 split              a read ended inside a message (半包): red cut
//!  frames  [f0][f1]...                   decoded frames, green (red = not intact)
//!  legend
//! ```
//!
//! No egui here: `render --out x.svg` works in builds without the GUI.

use std::fmt::Write as _;

use crate::analysis::{Model, ReadKind};
use crate::export::options::{RenderLang, RenderOptions, RenderTheme};
use crate::recording::Recording;

/// The window's message colours (src/ui/theme.rs; a GUI test checks they agree).
pub mod causes;
mod never_sent;

pub const MESSAGE_RGB: [(u8, u8, u8); 12] = [
    (0x4e, 0x79, 0xa7),
    (0xf2, 0x8e, 0x2b),
    (0x59, 0xa1, 0x4f),
    (0xe1, 0x57, 0x59),
    (0x76, 0xb7, 0xb2),
    (0xed, 0xc9, 0x48),
    (0xb0, 0x7a, 0xa1),
    (0xff, 0x9d, 0xa7),
    (0x9c, 0x75, 0x5f),
    (0xba, 0xb0, 0xac),
    (0x8c, 0xd1, 0x7d),
    (0x49, 0x98, 0x94),
];
const READ: &str = "#f5a623";
const SPLIT: &str = "#e84a4a";
const FRAME_OK: &str = "#4caf50";
/// The receiver's ACKs (src/ui/theme.rs `ACK`).
const ACK: &str = "#17a2b8";

const MARGIN: f64 = 24.0;
const LANE_H: f64 = 34.0;
const TITLE_H: f64 = 18.0;
const MARK_H: f64 = 14.0;
/// Average advance of a 12 px sans-serif glyph, to decide whether a label fits its block.
const CHAR_W: f64 = 6.8;

struct Palette {
    bg: &'static str,
    text: &'static str,
    weak: &'static str,
    segment: &'static str,
    guide: &'static str,
}

fn palette(theme: RenderTheme) -> Palette {
    match theme {
        RenderTheme::Dark => Palette {
            bg: "#1b1b1b",
            text: "#e6e6e6",
            weak: "#9a9a9a",
            segment: "#5a5a5a",
            guide: "#777777",
        },
        RenderTheme::Light => Palette {
            bg: "#ffffff",
            text: "#1a1a1a",
            weak: "#666666",
            segment: "#b4b4b4",
            guide: "#999999",
        },
    }
}

struct Words {
    title: &'static str,
    title_veiled: &'static str,
    writes: &'static str,
    wire: &'static str,
    wire_both: &'static str,
    wire_none: &'static str,
    reads: &'static str,
    frames: &'static str,
    frames_none: &'static str,
    split: &'static str,
    legend: [&'static str; 5],
}

/// The picture's words, from the one bilingual table (src/i18n/mod.rs).
fn words(lang: RenderLang) -> Words {
    use crate::i18n::{t, S};
    let lang = i18n_lang(lang);
    Words {
        title: t(lang, S::SvgTitle),
        title_veiled: t(lang, S::SvgTitleVeiled),
        writes: t(lang, S::LaneWrites),
        wire: t(lang, S::LaneWire),
        wire_both: t(lang, S::LaneWireBoth),
        wire_none: t(lang, S::SvgWireNone),
        reads: t(lang, S::LaneReads),
        frames: t(lang, S::LaneFrames),
        frames_none: t(lang, S::SvgFramesNone),
        split: t(lang, S::SvgSplit),
        legend: [
            t(lang, S::SvgLegendSend),
            t(lang, S::SvgLegendSegment),
            t(lang, S::SvgLegendRecv),
            t(lang, S::SvgLegendMerged),
            t(lang, S::SvgLegendFrame),
        ],
    }
}

/// Escapes text for SVG content and attributes.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rgb((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

struct Canvas {
    out: String,
    x0: f64,
    width: f64,
    total: f64,
}

impl Canvas {
    fn x(&self, offset: u64) -> f64 {
        self.x0 + offset as f64 / self.total * self.width
    }
    fn text(&mut self, x: f64, y: f64, size: f64, color: &str, anchor: &str, s: &str) {
        let _ = writeln!(
            self.out,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" fill="{color}" stroke="none" text-anchor="{anchor}">{}</text>"#,
            esc(s)
        );
    }
    /// One block; `class` names the lane, so a reader (or a test) can pick one lane's rects.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        class: &str,
        offset: u64,
        len: u64,
        y: f64,
        fill: &str,
        stroke: &str,
        label: &str,
        label_color: &str,
    ) {
        let (a, b) = (self.x(offset), self.x(offset + len));
        let w = (b - a).max(1.0);
        let _ = writeln!(
            self.out,
            r#"<rect class="{class}" x="{a:.2}" y="{y:.1}" width="{w:.2}" height="{LANE_H}" rx="3" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>"#
        );
        if text_width(label) + 6.0 <= w {
            self.text(a + w / 2.0, y + LANE_H / 2.0 + 4.0, 12.0, label_color, "middle", label);
        }
    }
}

/// The SVG text of `rec`'s TCP lanes, `opts.width` wide (the height follows the content).
pub fn render(rec: &Recording, opts: &RenderOptions) -> String {
    let model = Model::from_events(&rec.events).with_place(crate::analysis::causes::Place::of(&rec.settings));
    render_model(&model, opts)
}

/// Where the parts of the picture go: the lanes stack below the title and axis, the legend
/// below the lanes.
struct Layout {
    width: f64,
    lanes_top: f64,
    lane_block: f64,
}

impl Layout {
    fn lane_y(&self, i: usize) -> f64 {
        self.lanes_top + i as f64 * self.lane_block
    }

    fn legend_y(&self) -> f64 {
        self.lanes_top + 4.0 * self.lane_block + 12.0
    }
}

/// The SVG text of `model`'s TCP lanes: header, axis, message guides, the four lanes, legend.
pub fn render_model(model: &Model, opts: &RenderOptions) -> String {
    render_lanes(model, opts, model.stream_len(), false)
}

/// [`render_model`] on a byte axis `total` bytes long (`compare` draws two runs on one scale;
/// a `total` shorter than the stream is taken as the stream's length). `veiled`: the sender's
/// writes only, every other lane a "?" (predict → reveal: nothing that gives the answer away).
pub fn render_lanes(model: &Model, opts: &RenderOptions, total: u64, veiled: bool) -> String {
    let pal = palette(opts.theme);
    let w = words(opts.lang);
    let width = f64::from(opts.width.max(200));
    let total = total.max(model.stream_len()).max(1);
    let mut c = Canvas {
        out: String::new(),
        x0: MARGIN,
        width: width - 2.0 * MARGIN,
        total: total as f64,
    };
    let layout = Layout {
        width,
        lanes_top: MARGIN + 28.0 + 18.0,
        lane_block: TITLE_H + LANE_H + MARK_H,
    };
    header(&mut c, model, &layout, &pal, &w, opts.lang, veiled);
    axis(&mut c, total, &pal);
    message_guides(&mut c, model, &layout, &pal);
    write_lane(&mut c, model, layout.lane_y(0), &pal, &w);
    never_sent::flags(&mut c, model, layout.lane_y(0), i18n_lang(opts.lang), pal.bg);
    if veiled {
        for (i, title) in [w.wire, w.reads, w.frames].into_iter().enumerate() {
            let y = layout.lane_y(i + 1);
            c.text(MARGIN, y + 12.0, 11.0, pal.weak, "start", title);
            c.text(
                width / 2.0,
                y + TITLE_H + LANE_H / 2.0 + 8.0,
                24.0,
                pal.text,
                "middle",
                "?",
            );
        }
    } else {
        wire_lane(&mut c, model, layout.lane_y(1), &pal, &w);
        read_lane(&mut c, model, layout.lane_y(2), &pal, &w);
        frame_lane(&mut c, model, layout.lane_y(3), &pal, &w);
    }
    legend(&mut c, layout.legend_y(), &pal, &w, opts.lang);
    c.out.push_str("</svg>\n");
    c.out
}

#[allow(clippy::too_many_arguments)]
fn header(c: &mut Canvas, model: &Model, layout: &Layout, pal: &Palette, w: &Words, lang: RenderLang, veiled: bool) {
    let width = layout.width;
    let height = layout.legend_y() + 28.0;
    // One family only: ImageMagick's SVG renderer ignores a list and falls back to a Latin-only
    // font; browsers fall back glyph by glyph when Noto Sans CJK is missing.
    let _ = writeln!(c.out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        c.out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Noto Sans CJK SC">"#
    );
    let _ = writeln!(
        c.out,
        r#"<rect class="background" width="100%" height="100%" fill="{}"/>"#,
        pal.bg
    );
    let s = model.summary();
    let (bytes, messages, writes, reads) = (model.stream_len(), s.messages, s.writes, s.reads);
    let title = if veiled {
        // the read count would give the answer away
        crate::i18n::fill(
            w.title_veiled,
            &[("bytes", &bytes), ("messages", &messages), ("writes", &writes)],
        )
    } else {
        crate::i18n::fill(
            w.title,
            &[
                ("bytes", &bytes),
                ("messages", &messages),
                ("writes", &writes),
                ("reads", &reads),
            ],
        )
    };
    c.text(MARGIN, MARGIN + 8.0, 16.0, pal.text, "start", &title);
    if model.messages().is_empty() && model.reads().is_empty() && !model.datagrams().is_empty() {
        // a blank timeline would look like a failed run
        c.text(
            width / 2.0,
            layout.lane_y(2),
            14.0,
            pal.text,
            "middle",
            udp_only_note(lang),
        );
    }
}

/// The byte axis with about eight round ticks.
fn axis(c: &mut Canvas, total: u64, pal: &Palette) {
    let axis_y = MARGIN + 36.0;
    let step = super::units::tick_step(total as f64 / 8.0);
    let mut tick = 0.0;
    while tick <= total as f64 {
        let x = c.x(tick as u64);
        let _ = writeln!(
            c.out,
            r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{axis_y:.1}" stroke="{}"/>"#,
            axis_y - 5.0,
            pal.weak
        );
        c.text(
            x,
            axis_y - 8.0,
            11.0,
            pal.weak,
            "middle",
            &super::units::tick_label(tick as u64, step),
        );
        tick += step;
    }
}

/// Message boundaries, dashed through every lane.
fn message_guides(c: &mut Canvas, model: &Model, layout: &Layout, pal: &Palette) {
    let lanes_top = layout.lanes_top;
    let guides_bottom = layout.lane_y(4) - MARK_H;
    for m in model.messages() {
        let x = c.x(m.end());
        let _ = writeln!(
            c.out,
            r#"<line class="boundary" x1="{x:.1}" y1="{lanes_top:.1}" x2="{x:.1}" y2="{guides_bottom:.1}" stroke="{}" stroke-dasharray="3,3"/>"#,
            pal.guide
        );
    }
}

/// send(): one block per write, in its message's colour.
fn write_lane(c: &mut Canvas, model: &Model, y: f64, pal: &Palette, w: &Words) {
    c.text(MARGIN, y + 12.0, 11.0, pal.weak, "start", w.writes);
    for wr in model.writes() {
        let color = rgb(MESSAGE_RGB[wr.msg.0 as usize % MESSAGE_RGB.len()]);
        c.block(
            "write",
            wr.offset,
            wr.len.into(),
            y + TITLE_H,
            &color,
            &color,
            &format!("m{}", wr.msg.0),
            "#101010",
        );
    }
}

/// The wire: one block per captured segment (the title says when none could be captured);
/// when the capture saw both directions, retransmissions outlined in red over it and, in the
/// row under it, the receiver's ACK points (▲), zero windows (●) and window probes (?).
fn wire_lane(c: &mut Canvas, model: &Model, y: f64, pal: &Palette, w: &Words) {
    let wire_title = match () {
        _ if model.segments().is_empty() && model.segments_unavailable().is_some() => w.wire_none,
        _ if model.summary().acks.is_some() => w.wire_both,
        _ => w.wire,
    };
    c.text(MARGIN, y + 12.0, 11.0, pal.weak, "start", wire_title);
    for seg in model.segments() {
        c.block(
            "segment",
            seg.offset,
            seg.len.into(),
            y + TITLE_H,
            pal.segment,
            pal.bg,
            &format!("{} B", seg.len),
            pal.text,
        );
    }
    // a GSO batch (one packet on lo, several segments on a network): a bracket over its segments
    for b in model.gso_batches() {
        let (a, z) = (c.x(b.offset) + 1.0, c.x(b.end()) - 1.0);
        if z - a >= 4.0 {
            let top = y + TITLE_H + 2.0;
            let _ = writeln!(
                c.out,
                r#"<path class="gso-batch" d="M{a:.2},{:.1} V{top:.1} H{z:.2} V{:.1}" fill="none" stroke="{}" stroke-width="2"/>"#,
                top + 6.0,
                top + 6.0,
                pal.text
            );
        }
    }
    for r in model.retransmissions() {
        c.block(
            "retransmission",
            r.offset,
            r.len.into(),
            y + TITLE_H,
            "none",
            SPLIT,
            "↻",
            SPLIT,
        );
    }
    let marks_y = y + TITLE_H + LANE_H + 2.0;
    // one mark per pixel column at most: a zero window wins its column (a firehose has
    // thousands of ACKs, the picture needs only where the ACK point was)
    let mut columns: std::collections::BTreeMap<i64, bool> = std::collections::BTreeMap::new();
    for a in model.acks() {
        *columns.entry(c.x(a.ack).round() as i64).or_default() |= a.zero_window();
    }
    for (x, zero) in columns {
        let x = x as f64;
        if zero {
            let _ = writeln!(
                c.out,
                r#"<circle class="zero-window" cx="{x:.1}" cy="{:.1}" r="4" fill="{SPLIT}"/>"#,
                marks_y + 5.0
            );
        } else {
            let _ = writeln!(
                c.out,
                r#"<path class="ack" d="M{x:.1},{:.1} l-4,8 h8 z" fill="{ACK}"/>"#,
                marks_y
            );
        }
    }
    for &at in model.window_probes() {
        let x = c.x(model.ack_at(at).map_or(0, |a| a.ack));
        let _ = writeln!(
            c.out,
            r#"<text class="probe" x="{:.1}" y="{:.1}" font-size="11" fill="{SPLIT}" stroke="none">?</text>"#,
            x + 5.0,
            marks_y + 9.0
        );
    }
}

/// recv(): one block per read, merged reads filled; a red cut where a read ends inside a
/// message (半包).
fn read_lane(c: &mut Canvas, model: &Model, y: f64, pal: &Palette, w: &Words) {
    c.text(MARGIN, y + 12.0, 11.0, pal.weak, "start", w.reads);
    for (i, r) in model.reads().iter().enumerate() {
        let (fill, label) = match model.read_kind(r) {
            ReadKind::Merged { messages } => ("rgba(245,166,35,0.30)", format!("#{i}: {} B · 粘包 ×{messages}", r.len)),
            _ => ("none", format!("#{i}: {} B", r.len)),
        };
        c.block(
            "read",
            r.offset,
            r.len.into(),
            y + TITLE_H,
            fill,
            READ,
            &label,
            pal.text,
        );
    }
    for m in model.messages().iter().filter(|m| model.is_split(m)) {
        // the read boundary that falls inside this message
        for r in model.reads() {
            if r.end() > m.offset && r.end() < m.end() {
                let x = c.x(r.end());
                let (top, bottom) = (y + TITLE_H - 3.0, y + TITLE_H + LANE_H + MARK_H - 2.0);
                let _ = writeln!(
                    c.out,
                    r#"<line class="split" x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="{SPLIT}" stroke-width="2.5"/>"#
                );
                c.text(
                    x + 4.0,
                    y + TITLE_H + LANE_H + 11.0,
                    11.0,
                    SPLIT,
                    "start",
                    &crate::i18n::fill(w.split, &[("msg", &m.id.0)]),
                );
            }
        }
    }
}

/// Decoded frames: green when intact, red when not.
fn frame_lane(c: &mut Canvas, model: &Model, y: f64, pal: &Palette, w: &Words) {
    let frames_title = if model.frames().is_empty() {
        w.frames_none
    } else {
        w.frames
    };
    c.text(MARGIN, y + 12.0, 11.0, pal.weak, "start", frames_title);
    for f in model.frames() {
        let color = if f.intact { FRAME_OK } else { SPLIT };
        c.block(
            "frame",
            f.offset,
            f.len.into(),
            y + TITLE_H,
            color,
            color,
            &format!("f{}", f.index),
            "#101010",
        );
    }
}

fn legend(c: &mut Canvas, legend_y: f64, pal: &Palette, w: &Words, lang: RenderLang) {
    let mut x = MARGIN;
    let items: [(&str, &str, &str); 5] = [
        (&rgb(MESSAGE_RGB[0]), "none", w.legend[0]),
        (pal.segment, "none", w.legend[1]),
        ("none", READ, w.legend[2]),
        ("rgba(245,166,35,0.30)", READ, w.legend[3]),
        (FRAME_OK, "none", w.legend[4]),
    ];
    let mut legend = String::new();
    for (fill, stroke, label) in items {
        let _ = writeln!(
            legend,
            r#"<rect class="legend" x="{x:.1}" y="{legend_y:.1}" width="18" height="12" rx="2" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>"#
        );
        let _ = writeln!(
            legend,
            r#"<text x="{:.1}" y="{:.1}" font-size="12" fill="{}" stroke="none">{}</text>"#,
            x + 24.0,
            legend_y + 10.5,
            pal.text,
            esc(label)
        );
        x += 24.0 + text_width(label) + 22.0;
    }
    let _ = writeln!(
        legend,
        r#"<line x1="{x:.1}" y1="{legend_y:.1}" x2="{x:.1}" y2="{:.1}" stroke="{}" stroke-dasharray="3,3"/>"#,
        legend_y + 12.0,
        pal.guide
    );
    let _ = writeln!(
        legend,
        r#"<text x="{:.1}" y="{:.1}" font-size="12" fill="{}" stroke="none">{}</text>"#,
        x + 6.0,
        legend_y + 10.5,
        pal.text,
        esc(boundary_word(lang))
    );
    c.out.push_str(&legend);
}

/// Estimated width of `s` at 12 px: CJK and other wide glyphs take about two Latin advances.
fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c as u32 >= 0x2E80 { 2.0 * CHAR_W } else { CHAR_W })
        .sum()
}

fn udp_only_note(lang: RenderLang) -> &'static str {
    crate::i18n::t(i18n_lang(lang), crate::i18n::S::SvgUdpOnly)
}

fn boundary_word(lang: RenderLang) -> &'static str {
    crate::i18n::t(i18n_lang(lang), crate::i18n::S::SvgBoundary)
}

fn i18n_lang(lang: RenderLang) -> crate::i18n::Lang {
    match lang {
        RenderLang::En => crate::i18n::Lang::En,
        RenderLang::Zh => crate::i18n::Lang::Zh,
    }
}
