//! Colours: one per message, one per lane, readable on dark and light backgrounds.

use egui::Color32;

/// Twelve distinct, mid-saturation colours (after the mockup); message `i` gets `i % 12`.
const MESSAGE: [Color32; 12] = [
    Color32::from_rgb(0x4e, 0x79, 0xa7),
    Color32::from_rgb(0xf2, 0x8e, 0x2b),
    Color32::from_rgb(0x59, 0xa1, 0x4f),
    Color32::from_rgb(0xe1, 0x57, 0x59),
    Color32::from_rgb(0x76, 0xb7, 0xb2),
    Color32::from_rgb(0xed, 0xc9, 0x48),
    Color32::from_rgb(0xb0, 0x7a, 0xa1),
    Color32::from_rgb(0xff, 0x9d, 0xa7),
    Color32::from_rgb(0x9c, 0x75, 0x5f),
    Color32::from_rgb(0xba, 0xb0, 0xac),
    Color32::from_rgb(0x8c, 0xd1, 0x7d),
    Color32::from_rgb(0x49, 0x98, 0x94),
];

pub fn message(id: u32) -> Color32 {
    MESSAGE[id as usize % MESSAGE.len()]
}

/// Text drawn on a message colour: all twelve are light enough for black at 4.5:1 or more
/// (the darkest, 0x4e79a7, gives 4.6:1; a near-black 0x101010 gave only 4.2:1).
pub const ON_BLOCK: Color32 = Color32::BLACK;
pub const READ: Color32 = Color32::from_rgb(0xf5, 0xa6, 0x23);
pub const MERGED_FILL: Color32 = Color32::from_rgba_premultiplied(0x3d, 0x29, 0x09, 0x40);
pub const SPLIT: Color32 = Color32::from_rgb(0xe8, 0x4a, 0x4a);
pub const FRAME_OK: Color32 = Color32::from_rgb(0x4c, 0xaf, 0x50);
pub const FRAME_BAD: Color32 = SPLIT;
/// The receiver's ACKs: the ACK point and the window (src/export/svg.rs `ACK` agrees).
pub const ACK: Color32 = Color32::from_rgb(0x17, 0xa2, 0xb8);
pub const WRITTEN_LINE: Color32 = Color32::from_rgb(0x4e, 0x79, 0xa7);

/// The grey of a TCP segment, a little darker on light backgrounds.
pub fn segment(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(0x5a)
    } else {
        Color32::from_gray(0xb4)
    }
}

/// A read's title ("read #0: 512 B"), drawn on the lane or over a merged read's fill: the
/// theme's strong text (egui's normal text is grey, 3.9:1 on the dark fill).
pub fn read_title(v: &egui::Visuals) -> Color32 {
    v.strong_text_color()
}

/// The orange used for warnings in text, readable on both backgrounds (4.5:1 or more, see
/// the contrast test below).
pub fn warn(dark: bool) -> Color32 {
    if dark {
        READ
    } else {
        Color32::from_rgb(0x9a, 0x50, 0x00)
    }
}

/// Red text (errors, ✂ marks): the lane red on dark, a deeper red on light backgrounds.
pub fn split_text(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xf0, 0x6a, 0x6a)
    } else {
        Color32::from_rgb(0xb3, 0x1b, 0x1b)
    }
}

/// Green text (a notice that something worked).
pub fn ok_text(dark: bool) -> Color32 {
    if dark {
        FRAME_OK
    } else {
        Color32::from_rgb(0x1e, 0x6b, 0x22)
    }
}

/// The orange of a merged read's label, drawn on the merged fill.
pub fn read_text(dark: bool) -> Color32 {
    warn(dark)
}

/// Text on a TCP segment block.
pub fn on_segment(dark: bool) -> Color32 {
    if dark {
        Color32::WHITE
    } else {
        Color32::BLACK
    }
}

/// WCAG 2 contrast ratio of two opaque colours (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f32 {
    fn lum(c: Color32) -> f32 {
        let ch = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(c.r()) + 0.7152 * ch(c.g()) + 0.0722 * ch(c.b())
    }
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// `fill` (premultiplied, maybe translucent) drawn over the opaque `bg`.
pub fn over(fill: Color32, bg: Color32) -> Color32 {
    let a = f32::from(fill.a()) / 255.0;
    let mix = |f: u8, b: u8| (f32::from(f) + f32::from(b) * (1.0 - a)).round().clamp(0.0, 255.0) as u8;
    Color32::from_rgb(mix(fill.r(), bg.r()), mix(fill.g(), bg.g()), mix(fill.b(), bg.b()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::Theme;

    /// Every text colour the window uses, on the background it is drawn on, in both themes,
    /// with and without projector mode: at least 4.5:1 (WCAG AA for normal text).
    #[test]
    fn every_label_has_at_least_4_5_to_1_contrast() {
        let mut failures = Vec::new();
        for theme in [Theme::Dark, Theme::Light] {
            for projector in [false, true] {
                let v = crate::projector::visuals(theme, projector);
                let dark = v.dark_mode;
                let bg = v.panel_fill;
                let mut pairs = vec![
                    ("text", v.text_color(), bg),
                    ("weak text", v.weak_text_color(), bg),
                    ("warning", warn(dark), bg),
                    ("error", split_text(dark), bg),
                    ("notice", ok_text(dark), bg),
                    ("merged read label", read_text(dark), over(MERGED_FILL, bg)),
                    // a read's "read #0: 512 B" over the merged fill (issue 26: grey on brown)
                    ("read title on a merged read", read_title(&v), over(MERGED_FILL, bg)),
                    ("read title", read_title(&v), bg),
                    ("segment label", on_segment(dark), segment(dark)),
                    ("frame label", ON_BLOCK, FRAME_OK),
                    ("bad frame label", ON_BLOCK, FRAME_BAD),
                ];
                for (i, c) in MESSAGE.iter().enumerate() {
                    pairs.push((
                        [
                            "message 0",
                            "message 1",
                            "message 2",
                            "message 3",
                            "message 4",
                            "message 5",
                            "message 6",
                            "message 7",
                            "message 8",
                            "message 9",
                            "message 10",
                            "message 11",
                        ][i],
                        ON_BLOCK,
                        *c,
                    ));
                }
                for (what, fg, back) in pairs {
                    // translucent text (egui's weak grey) is seen blended with what is behind it
                    let ratio = contrast(over(fg, back), back);
                    if ratio < 4.5 {
                        failures.push(format!(
                            "{theme:?} projector={projector}: {what} {fg:?} on {back:?} = {ratio:.2}:1"
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "below 4.5:1:\n{}", failures.join("\n"));
    }

    #[test]
    fn contrast_is_the_wcag_ratio() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.001);
    }
}
