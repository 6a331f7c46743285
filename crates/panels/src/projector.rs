//! Projector mode: one toggle for a classroom projector, where thin grey text on a grey panel
//! vanishes from the back row. It zooms the whole window (Ctrl + / Ctrl − / Ctrl 0, egui's
//! built-in zoom, still work on top of it) and switches to a high-contrast palette: pure black
//! or white panels, full-strength text, thicker outlines.

use egui::{Color32, Context, Stroke, Theme, Visuals};

/// The zoom projector mode starts at, on egui's 0.1 grid so Ctrl + / Ctrl − step evenly from it. At 1280×800 physical pixels this leaves 985×615 points:
/// room for the lanes, the gauge and the event list once the settings panel is hidden.
pub const PROJECTOR_ZOOM: f32 = 1.3;

/// High-contrast visuals for `theme`.
pub fn high_contrast(theme: Theme) -> Visuals {
    let (mut v, bg, fg) = match theme {
        Theme::Dark => (Visuals::dark(), Color32::BLACK, Color32::WHITE),
        Theme::Light => (Visuals::light(), Color32::WHITE, Color32::BLACK),
    };
    v.panel_fill = bg;
    v.window_fill = bg;
    v.extreme_bg_color = bg;
    v.override_text_color = Some(fg);
    // "weak" text stays readable: a strong grey, not a faded one
    v.weak_text_color = Some(if theme == Theme::Dark {
        Color32::from_gray(0xd0)
    } else {
        Color32::from_gray(0x30)
    });
    v.widgets.noninteractive.bg_stroke = Stroke::new(1.5, fg.gamma_multiply(0.6));
    v.widgets.noninteractive.fg_stroke = Stroke::new(1.5, fg);
    v.widgets.inactive.fg_stroke = Stroke::new(1.5, fg);
    v.widgets.inactive.bg_stroke = Stroke::new(1.5, fg.gamma_multiply(0.7));
    v.selection.stroke = Stroke::new(2.0, fg);
    v
}

/// egui's visuals with "weak" text strong enough to read: egui's own dark-theme weak grey is
/// 2.3:1 on its panel, below the 4.5:1 every label must have (theme.rs tests it).
pub fn normal(theme: Theme) -> Visuals {
    let mut v = match theme {
        Theme::Dark => Visuals::dark(),
        Theme::Light => Visuals::light(),
    };
    v.weak_text_color = Some(if theme == Theme::Dark {
        Color32::from_gray(0x8c)
    } else {
        Color32::from_gray(0x6a)
    });
    v
}

/// The window's visuals for `theme`, in projector mode or not.
pub fn visuals(theme: Theme, projector: bool) -> Visuals {
    if projector {
        high_contrast(theme)
    } else {
        normal(theme)
    }
}

/// Turns projector mode on or off: zoom and palette for both themes.
pub fn set(ctx: &Context, on: bool) {
    ctx.set_zoom_factor(if on { PROJECTOR_ZOOM } else { 1.0 });
    ctx.set_visuals_of(Theme::Dark, visuals(Theme::Dark, on));
    ctx.set_visuals_of(Theme::Light, visuals(Theme::Light, on));
}
