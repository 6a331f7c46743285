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

/// Text drawn on a message colour: all twelve are light enough for black.
pub const ON_BLOCK: Color32 = Color32::from_rgb(0x10, 0x10, 0x10);
pub const READ: Color32 = Color32::from_rgb(0xf5, 0xa6, 0x23);
pub const MERGED_FILL: Color32 = Color32::from_rgba_premultiplied(0x3d, 0x29, 0x09, 0x40);
pub const SPLIT: Color32 = Color32::from_rgb(0xe8, 0x4a, 0x4a);
pub const FRAME_OK: Color32 = Color32::from_rgb(0x4c, 0xaf, 0x50);
pub const FRAME_BAD: Color32 = SPLIT;
pub const WRITTEN_LINE: Color32 = Color32::from_rgb(0x4e, 0x79, 0xa7);

/// The grey of a TCP segment, a little darker on light backgrounds.
pub fn segment(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(0x5a)
    } else {
        Color32::from_gray(0xb4)
    }
}

/// The orange used for warnings in text, readable on both backgrounds.
pub fn warn(dark: bool) -> Color32 {
    if dark {
        READ
    } else {
        Color32::from_rgb(0xb0, 0x60, 0x00)
    }
}
