//! `stickyviz render RECORDING.json --out FILE.png|FILE.svg`: a picture from a recording, made
//! the same every time.
//!
//! PNG is the real window drawn headlessly (src/ui/render.rs, feature `gui`); SVG is the
//! timeline's lanes written as markup (src/svg.rs) and needs no GUI, so it works in every build;
//! pcapng is the packets the run captured (src/pcapng.rs).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use crate::cli::UsageError;
use crate::recording::Recording;

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
        Self { width: 1280, height: 800, theme: RenderTheme::Dark, lang: RenderLang::En, view: RenderView::Bytes, projector: false }
    }
}

/// Smallest and largest picture: below the window's minimum size (960 × 600) panels overlap;
/// above 8192 the software renderer's texture limit is reached.
pub const MIN_WIDTH: u32 = 960;
pub const MIN_HEIGHT: u32 = 600;
pub const MAX_SIDE: u32 = 8192;

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// The recording to draw (from `run --json`, or the window's File → Save).
    pub recording: PathBuf,
    /// The file to write: FILE.png (the whole window), FILE.svg (the timeline lanes) or
    /// FILE.pcapng (the captured packets, for Wireshark).
    #[arg(long, value_name = "FILE.png|FILE.svg|FILE.pcapng")]
    pub out: PathBuf,
    /// Width in pixels.
    #[arg(long, default_value_t = 1280)]
    pub width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = 800)]
    pub height: u32,
    /// Colours: dark (for a projector) or light (for print).
    #[arg(long, value_enum, default_value_t = RenderTheme::Dark)]
    pub theme: RenderTheme,
    /// The central view: the byte axis, or time.
    #[arg(long, value_enum, default_value_t = RenderView::Bytes)]
    pub view: RenderView,
    /// Draw the window in projector mode (PNG only).
    #[arg(long)]
    pub projector: bool,
}

fn validate_side(flag: &str, v: u32, min: u32) -> Result<(), UsageError> {
    if (min..=MAX_SIDE).contains(&v) {
        Ok(())
    } else {
        let problem = crate::config::SettingProblem::OutOfRange { value: u64::from(v), min: u64::from(min), max: u64::from(MAX_SIDE) };
        Err(UsageError(format!("--{flag}: {}", crate::i18n::setting_problem(&problem, crate::cli::lang()))))
    }
}

enum Kind {
    Png,
    Svg,
    Pcapng,
}

fn kind_of(out: &Path) -> Result<Kind, UsageError> {
    match out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("png") => Ok(Kind::Png),
        Some("svg") => Ok(Kind::Svg),
        Some("pcapng") => Ok(Kind::Pcapng),
        _ => Err(UsageError(format!("--out: {}", crate::i18n::tf(crate::cli::lang(), crate::i18n::S::RenderBadOut, &[&out.display()])))),
    }
}

pub fn render(args: &RenderArgs) -> Result<()> {
    validate_side("width", args.width, MIN_WIDTH)?;
    validate_side("height", args.height, MIN_HEIGHT)?;
    let kind = kind_of(&args.out)?;
    // the language is the global --lang (or the locale), as for every subcommand's output
    let lang = match crate::cli::lang() {
        crate::i18n::Lang::En => RenderLang::En,
        crate::i18n::Lang::Zh => RenderLang::Zh,
    };
    let opts = RenderOptions { width: args.width, height: args.height, theme: args.theme, lang, view: args.view, projector: args.projector };
    let rec = Recording::load(&args.recording)?;
    let source = args.recording.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match kind {
        Kind::Svg => {
            let svg = crate::svg::render(&rec, &opts);
            std::fs::write(&args.out, svg).with_context(|| format!("cannot write {}", args.out.display()))?;
        }
        Kind::Png => png(&rec, &source, &opts, &args.out)?,
        Kind::Pcapng => {
            let n = crate::pcapng::save(&rec.events, &args.out)?;
            println!("{}", crate::i18n::tf(crate::cli::lang(), crate::i18n::S::PacketsWritten, &[&n, &args.out.display()]));
        }
    }
    Ok(())
}

#[cfg(feature = "gui")]
fn png(rec: &Recording, source: &str, opts: &RenderOptions, out: &Path) -> Result<()> {
    crate::ui::render::render_png(rec, source, opts, out)?;
    Ok(())
}

#[cfg(not(feature = "gui"))]
fn png(_: &Recording, _: &str, _: &RenderOptions, _: &Path) -> Result<()> {
    Err(UsageError(
        "--out: PNG needs the window, and this build has no GUI (built without the `gui` feature); \
         write an .svg instead, or build with the default features"
            .into(),
    )
    .into())
}
