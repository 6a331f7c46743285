//! How a picture is drawn (size, colours, language, view): shared by `render`, the window's
//! File menu and the SVG writer, so it lives below both `cli` and `ui`.

use clap::ValueEnum;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum RenderTheme {
    #[default]
    Dark,
    Light,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum RenderLang {
    #[default]
    En,
    Zh,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum RenderView {
    #[default]
    Bytes,
    Time,
}

/// How a picture is drawn; the defaults are the window's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    pub width: u32,
    pub height: u32,
    pub theme: RenderTheme,
    pub lang: RenderLang,
    pub view: RenderView,
    /// The window's projector mode: zoomed, high contrast, side panels folded.
    pub projector: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            width: 1280,
            height: 800,
            theme: RenderTheme::Dark,
            lang: RenderLang::En,
            view: RenderView::Bytes,
            projector: false,
        }
    }
}

/// Smallest and largest picture: below the window's minimum size (960 × 600) panels overlap;
/// above 8192 the software renderer's texture limit is reached.
pub const MIN_WIDTH: u32 = 960;
pub const MIN_HEIGHT: u32 = 600;
pub const MAX_SIDE: u32 = 8192;
