//! `stickyviz render RECORDING.json --out FILE.png|FILE.svg`: a picture from a recording, made
//! the same every time.
//!
//! PNG is the real window drawn headlessly (src/ui/render.rs, feature `gui`); SVG is the
//! timeline's lanes written as markup (src/export/svg.rs) and needs no GUI, so it works in every build;
//! pcapng is the packets the run captured (src/export/pcapng.rs).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

use crate::cli::args::UsageError;
use crate::export::options::{RenderLang, RenderOptions, RenderTheme, RenderView, MAX_SIDE, MIN_HEIGHT, MIN_WIDTH};
use crate::i18n::Lang;
use crate::recording::Recording;

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
    /// Draw the run's causes on the lanes, numbered, with their sentences below (SVG only).
    #[arg(long)]
    pub causes: bool,
}

fn validate_side(flag: &str, v: u32, min: u32, lang: Lang) -> Result<(), UsageError> {
    if (min..=MAX_SIDE).contains(&v) {
        Ok(())
    } else {
        let problem = crate::config::SettingProblem::OutOfRange {
            value: u64::from(v),
            min: u64::from(min),
            max: u64::from(MAX_SIDE),
        };
        Err(UsageError(format!(
            "--{flag}: {}",
            crate::describe::setting_problem(&problem, lang)
        )))
    }
}

enum Kind {
    Png,
    Svg,
    Pcapng,
}

fn kind_of(out: &Path, lang: Lang) -> Result<Kind, UsageError> {
    match out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => Ok(Kind::Png),
        Some("svg") => Ok(Kind::Svg),
        Some("pcapng") => Ok(Kind::Pcapng),
        _ => Err(UsageError(format!(
            "--out: {}",
            crate::i18n::tf(lang, crate::i18n::S::RenderBadOut, &[("path", &out.display())])
        ))),
    }
}

pub fn render(args: &RenderArgs, png_renderer: Option<PngRenderer>, lang: Lang) -> Result<()> {
    validate_side("width", args.width, MIN_WIDTH, lang)?;
    validate_side("height", args.height, MIN_HEIGHT, lang)?;
    let kind = kind_of(&args.out, lang)?;
    // the language is the global --lang (or the locale), as for every subcommand's output
    let render_lang = match lang {
        Lang::En => RenderLang::En,
        Lang::Zh => RenderLang::Zh,
    };
    let opts = RenderOptions {
        width: args.width,
        height: args.height,
        theme: args.theme,
        lang: render_lang,
        view: args.view,
        projector: args.projector,
    };
    crate::cli::stop::install().context(crate::i18n::t(lang, crate::i18n::S::CliNoSignals))?;
    let source = args
        .recording
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut progress = crate::cli::progress::Progress::new();
    progress.steady(crate::i18n::tf(
        lang,
        crate::i18n::S::ProgressLoad,
        &[("path", &source)],
    ));
    // a file that is not a recording is named, as the window names it
    let rec = Recording::load(&args.recording).map_err(|e| {
        anyhow::Error::msg(crate::describe::open_failed(
            &args.recording.display().to_string(),
            &e,
            lang,
        ))
    })?;
    if rec.summary.events_dropped_from_history > 0 {
        // the picture shows the history kept; say what it leaves out, as the window does
        progress.eprintln(&crate::i18n::tf(
            lang,
            crate::i18n::S::HistoryCapped,
            &[("events", &rec.summary.events_dropped_from_history)],
        ));
    }
    progress.steady(crate::i18n::tf(
        lang,
        crate::i18n::S::ProgressDraw,
        &[("path", &args.out.display())],
    ));
    // what a command shows of a recording, a session replays it (the window's own does for PNG)
    let mut session = crate::session::Session::command();
    if !matches!(kind, Kind::Png) {
        session.replay(&rec, &source);
    }
    match kind {
        Kind::Svg => {
            let svg = if args.causes {
                crate::export::svg::causes::render_model(session.model(), &opts)
            } else {
                crate::export::svg::render_model(session.model(), &opts)
            };
            // a stop asked for while drawing leaves no file rather than a surprise one
            if let Some(i) = crate::cli::stop::interrupted() {
                return Err(i.into());
            }
            std::fs::write(&args.out, svg)
                .map_err(crate::facts::FileFailure::on(crate::facts::FileOp::Write, &args.out))?;
        }
        Kind::Png => png(png_renderer, &rec, &source, &opts, &args.out, lang)?,
        Kind::Pcapng => {
            // the same path as the window's export of a run it shows
            let n = session.save_pcapng(&args.out, lang)?;
            progress.clear();
            crate::cli::output::out(&format!(
                "{}\n",
                crate::i18n::tf(
                    lang,
                    crate::i18n::S::PacketsWritten,
                    &[("count", &n), ("path", &args.out.display())]
                )
            ))?;
        }
    }
    // the picture is whole (written at once at the end), but the user asked to stop
    crate::cli::stop::interrupted().map_or(Ok(()), |i| Err(i.into()))
}

/// Draws a recording as the window would show it, into a PNG file (the GUI build's
/// `ui::render::render_png_file`, handed in by `main` so the command line needs no window code).
pub type PngRenderer = fn(&Recording, &str, &RenderOptions, &Path) -> Result<()>;

fn png(
    renderer: Option<PngRenderer>,
    rec: &Recording,
    source: &str,
    opts: &RenderOptions,
    out: &Path,
    lang: Lang,
) -> Result<()> {
    match renderer {
        Some(draw) => draw(rec, source, opts, out),
        None => Err(UsageError(format!(
            "--out: {}",
            crate::i18n::t(lang, crate::i18n::S::CliPngNeedsGui)
        ))
        .into()),
    }
}
