//! `stickyviz run`: one experiment on 127.0.0.1 through a `Session`, its timeline and summary
//! printed, the recording and the packets written where the flags say.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use crate::config::{Experiment, Setting, Transports};
use crate::export::text_timeline;
use crate::i18n::{t, tf, Lang, S};
use crate::session::{Keep, RecordTo, Session, StartError};

use super::args::{check_width, preset_experiment, SettingsArgs, UsageError};
use super::output::{json_output, report_and_recording};

#[derive(Args, Debug, Default)]
pub struct RunArgs {
    /// Start from a preset (see `stickyviz presets`); other flags override it.
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// Send the workload as UDP datagrams only.
    #[arg(long, conflicts_with = "both")]
    pub udp: bool,
    /// Run TCP and UDP side by side.
    #[arg(long)]
    pub both: bool,
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[command(flatten)]
    pub echo: crate::cli::echo::EchoArgs,
    /// Width of the text timeline in columns.
    #[arg(long, default_value_t = 100)]
    pub width: usize,
    /// Write the whole run (settings, events, summary) as a JSON recording to FILE as it goes (gzip if FILE ends in .gz), or - for stdout.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// Write the TCP segments the run captured (needs root or CAP_NET_RAW) as pcapng to FILE.
    #[arg(long, value_name = "FILE")]
    pub pcapng: Option<PathBuf>,
}

/// Builds the experiment of a `run` from preset and flags.
pub fn experiment(args: &RunArgs, lang: Lang) -> Result<Experiment, UsageError> {
    let mut exp = match &args.preset {
        Some(name) => preset_experiment(name, lang)?,
        None => Experiment {
            transports: Transports::Tcp,
            ..Experiment::default()
        },
    };
    if args.udp {
        exp.transports = Transports::Udp;
    } else if args.both {
        exp.transports = Transports::Both;
    }
    args.echo.apply(&mut exp, lang)?;
    args.settings.apply(&mut exp, lang)?;
    Ok(exp)
}

/// The experiment the window opens on when `stickyviz` gets `run`'s settings flags without a
/// subcommand: `preset`'s (else `run`'s default) with the flags applied and validated. None
/// when no settings flag was given (the window opens as it would).
pub fn window_experiment(
    preset: Option<&str>,
    settings: &SettingsArgs,
    lang: Lang,
) -> Result<Option<Experiment>, UsageError> {
    if settings.is_empty() {
        return Ok(None);
    }
    let args = RunArgs {
        preset: preset.map(str::to_string),
        ..RunArgs::default()
    };
    let mut exp = experiment(&args, lang)?;
    settings.apply(&mut exp, lang)?;
    Ok(Some(exp))
}

pub(super) fn run(args: &RunArgs, lang: Lang) -> Result<()> {
    check_width(args.width, lang)?;
    let exp = experiment(args, lang)?;
    crate::cli::stop::install().context(t(lang, S::CliNoSignals))?;
    let json = json_output(args.json.as_deref())?;
    let keep = if args.pcapng.is_some() {
        Keep::Packets
    } else {
        Keep::Nothing
    };
    let (output, json_path) = json.map_or((None, None), |(o, p)| (Some(o), Some(p)));
    // Events are folded as they come into the same capped `Model` as the window's, and
    // streamed to the recording: memory stays bounded however long the run (docs/performance.md).
    let mut session = Session::command();
    let to = RecordTo::Output { output, keep };
    match session.start(&exp, args.preset.as_deref(), to, None) {
        Ok(()) => {}
        // the link cannot run here: like a bad flag, nothing ran (exit 2)
        Err(StartError::Engine(crate::facts::EngineError::Link(failure))) => {
            return Err(UsageError(format!(
                "--{}: {}",
                Setting::Link.flag(),
                crate::describe::link_failure(&failure, lang)
            ))
            .into());
        }
        Err(StartError::Engine(e)) => return Err(e).context(t(lang, S::CliCannotStart)),
        Err(StartError::Recording(e)) => {
            let failure = match json_path.as_deref() {
                Some("-") | None => {
                    crate::facts::FileFailure::std(crate::facts::FileOp::Write, crate::facts::FileTarget::Stdout, &e)
                }
                Some(p) => crate::facts::FileFailure::new(crate::facts::FileOp::Write, p.as_ref(), &e),
            };
            return Err(failure.into());
        }
    }
    let mut progress = crate::cli::progress::Progress::new();
    let stopped_by = crate::cli::stop::fold(&mut session, |model, _| {
        let s = &model.summary();
        progress.run(
            s.reads + s.writes + s.datagrams_sent + s.datagrams_received,
            s.bytes_received,
            lang,
        );
    });
    progress.clear();
    if let (Some(path), Some(e)) = (&json_path, session.record().streamed().and_then(|s| s.error())) {
        return Err(crate::facts::FileFailure::new(crate::facts::FileOp::Write, path.as_ref(), e).into());
    }
    if let Some(path) = &args.pcapng {
        // after the run: whether packets were captured is only known now
        let n = session.save_pcapng(path, lang)?;
        eprintln!(
            "{}",
            tf(lang, S::PacketsWritten, &[("count", &n), ("path", &path.display())])
        );
    }
    let model = session.model();
    let text = format!(
        "{}\n{}",
        text_timeline::render(model, args.width, lang),
        text_timeline::summary(model, lang)
    );
    let text = text + &crate::export::echo_report::render(model, &exp, args.width, lang);
    let text = text + &crate::export::causes_text::render(model, lang);
    report_and_recording(&text, &session, json_path.as_deref(), lang)?;
    crate::cli::stop::outcome(session.model(), stopped_by)
}
