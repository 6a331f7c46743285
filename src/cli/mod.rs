//! The command line: headless runs, presets, and a decoder for a student's own bytes.
//!
//! Bad flags or values print a message naming the flag and its allowed range, exit code 2.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

pub mod args;
pub mod compare;
pub mod decode;
pub mod echo;
mod failure;
pub mod help;
pub mod output;
pub mod peer;
pub mod progress;
pub mod questions;
pub mod render;
pub mod run;
#[cfg(test)]
mod setting_flags;
pub mod stop;
pub mod torture;
pub mod trace;

pub use args::{parse_framing, DecodeArgs, LengthArgs, SettingsArgs, UsageError};
pub use failure::error_text;
pub use output::out;
pub use peer::{ListenArgs, SendArgs};
pub use run::{experiment, window_experiment, RunArgs};

use crate::i18n::{t, tf, Lang, S};
use crate::presets;

#[derive(Parser, Debug)]
#[command(
    name = "stickyviz",
    version,
    about = "See the TCP sticky-packet problem (粘包/半包): where sends, segments and reads cut the stream"
)]
pub struct Cli {
    /// Language of the output: en or zh (default: from the system locale).
    #[arg(long, global = true, value_name = "en|zh")]
    pub lang: Option<String>,
    /// Open this recording (.json) in the window.
    #[arg(value_name = "RECORDING.json")]
    pub recording: Option<PathBuf>,
    /// Open the window on this lesson (see `stickyviz presets`).
    #[arg(
        long = "preset",
        id = "window_preset",
        value_name = "NAME",
        conflicts_with = "recording"
    )]
    pub preset: Option<String>,
    /// Open the window in projector mode (large text, high contrast).
    #[arg(long)]
    pub projector: bool,
    /// `run`'s settings flags: the window opens on those settings (from `--preset`, else the
    /// defaults `run` uses) and runs them, so a lesson can be scripted.
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The output language: `--lang`, else the locale; an unknown name is a usage error. Passed
    /// to every function that words something (no process-global language).
    pub fn lang(&self) -> Result<Lang, UsageError> {
        let lang = match &self.lang {
            Some(name) => Lang::from_name(name).ok_or_else(|| {
                UsageError(format!(
                    "--lang: {}",
                    tf(Lang::En, S::CliUnknownLang, &[("name", name)])
                ))
            })?,
            None => Lang::from_env(),
        };
        Ok(lang)
    }
}

// Parsed once per process: the size of the biggest variant costs nothing worth a Box.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run an experiment on 127.0.0.1 and print the timeline and summary.
    Run(RunArgs),
    /// List the lessons (presets).
    Presets,
    /// Feed a byte file through a framing decoder in reads of N bytes and print each frame.
    Decode(DecodeArgs),
    /// Wait for an external client (the seed's Python code, nc, …) and show its stream.
    Listen(crate::cli::peer::ListenArgs),
    /// Send the workload to an external server, drawing writes and wire segments.
    Send(crate::cli::peer::SendArgs),
    /// Draw a recording as a picture: the window (.png) or the timeline lanes (.svg).
    Render(crate::cli::render::RenderArgs),
    /// Run your own programs under ptrace (Linux) and draw their socket calls: trace -- CMD ARGS, or --server '...' --client '...'
    Trace(crate::cli::trace::TraceArgs),
    /// Questions about a recording for a class: predict, then reveal (Markdown, GIFT or Moodle XML).
    Questions(crate::cli::questions::QuestionsArgs),
    /// Two recordings side by side on one byte scale, and what changed between them.
    Compare(crate::cli::compare::CompareArgs),
}

/// Runs the command; `Err` of `UsageError` means exit code 2.
pub fn main(cli: Cli, lang: Lang, png: Option<render::PngRenderer>) -> Result<()> {
    match cli.command {
        Some(Command::Run(args)) => run::run(&args, lang),
        Some(Command::Presets) => {
            for p in presets::all() {
                let summary = t(lang, p.summary);
                out(&format!("{:<14} {}\n", p.name, summary))?;
            }
            Ok(())
        }
        Some(Command::Decode(args)) => crate::cli::decode::decode(&args, lang),
        Some(Command::Listen(args)) => crate::cli::peer::listen(&args, lang),
        Some(Command::Send(args)) => crate::cli::peer::send(&args, lang),
        Some(Command::Render(args)) => crate::cli::render::render(&args, png, lang),
        Some(Command::Trace(args)) => crate::cli::trace::trace(&args, lang),
        Some(Command::Questions(args)) => crate::cli::questions::questions_cmd(&args, lang),
        Some(Command::Compare(args)) => crate::cli::compare::compare(&args, lang),
        None => Ok(()),
    }
}
