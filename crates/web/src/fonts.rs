//! Chinese in the browser. The desktop asks the system for a CJK font; a page cannot, so
//! `scripts/web.sh` bundles a subset of Noto Sans CJK SC (the app's and lessons' strings plus
//! the 3,755 characters of GB 2312 level 1) as `fonts/cjk.otf`, fetched after the first frame
//! (English needs none of it) and added behind egui's own fonts.

/// Adds the CJK subset as the last fallback of both families.
pub fn install_cjk(ctx: &egui::Context, bytes: Vec<u8>) {
    use egui::{FontInsert, FontPriority, InsertFontFamily};
    let family = |family| InsertFontFamily {
        family,
        priority: FontPriority::Lowest,
    };
    ctx.add_font(FontInsert::new(
        "stickyviz-cjk",
        egui::FontData::from_owned(bytes),
        vec![
            family(egui::FontFamily::Proportional),
            family(egui::FontFamily::Monospace),
        ],
    ));
}
