//! The command line: headless runs, presets, and a decoder for a student's own bytes.
//!
//! Bad flags or values print a message naming the flag and its allowed range, exit code 2.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

pub mod decode;
pub mod echo;
mod failure;
pub mod help;
pub mod peer;
pub mod progress;
pub mod render;
#[cfg(test)]
mod setting_flags;
pub mod stop;
pub mod torture;
pub mod trace;

pub use crate::cli::peer::{ListenArgs, SendArgs};
use crate::config::{Experiment, Setting, SettingError, Transports};
use crate::export::text_timeline;
use crate::framing::{FramingMode, LengthPrefix};
use crate::i18n::{t, tf, Lang, S};
use crate::presets;
use crate::recording::stream::Output;
use crate::session::{Keep, RecordTo, Session, StartError};
pub use failure::error_text;

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
}

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

/// Experiment settings as flags; each one overrides the preset (or default). Each flag's help
/// (both languages) is its `config::Setting`'s, put on by `help::localize`.
#[derive(Args, Debug, Default, PartialEq)]
pub struct SettingsArgs {
    #[arg(long)]
    pub count: Option<String>,
    #[arg(long)]
    pub size: Option<String>,
    #[arg(long = "gap-us")]
    pub gap_us: Option<String>,
    #[arg(long, value_name = "on|off")]
    pub nagle: Option<String>,
    #[arg(long)]
    pub cork: bool,
    #[arg(long)]
    pub sndbuf: Option<String>,
    #[arg(long)]
    pub split: Option<String>,
    #[arg(long = "chunk-gap-us")]
    pub chunk_gap_us: Option<String>,
    #[arg(long)]
    pub burst: Option<String>,
    #[arg(long = "burst-gap-us")]
    pub burst_gap_us: Option<String>,
    #[arg(long = "read-size")]
    pub read_size: Option<String>,
    #[arg(long)]
    pub rcvbuf: Option<String>,
    #[arg(long = "start-delay-ms")]
    pub start_delay_ms: Option<String>,
    #[arg(long = "read-delay-ms")]
    pub read_delay_ms: Option<String>,
    #[arg(long)]
    pub framing: Option<String>,
    #[arg(long = "max-frame")]
    pub max_frame: Option<String>,
    #[command(flatten)]
    pub length: LengthArgs,
    #[arg(long = "udp-read-size")]
    pub udp_read_size: Option<String>,
    #[arg(long = "udp-rcvbuf")]
    pub udp_rcvbuf: Option<String>,
    #[arg(long = "udp-start-delay-ms")]
    pub udp_start_delay_ms: Option<String>,
    #[arg(long)]
    pub mss: Option<String>,
    #[arg(long, value_name = "mtu=1500,rate=20mbit,queue=20kb")]
    pub link: Option<String>,
    #[arg(long = "send-call", value_name = "sendall|send")]
    pub send_call: Option<String>,
    #[arg(long = "reuse-addr", value_name = "on|off")]
    pub reuse_addr: Option<String>,
}

#[derive(Args, Debug)]
pub struct DecodeArgs {
    // the help of the settings flags here is their `config::Setting`'s, put on by `help::localize`
    #[arg(long)]
    pub framing: String,
    #[arg(long = "read-size", default_value = "1024")]
    pub read_size: String,
    #[arg(long = "max-frame")]
    pub max_frame: Option<String>,
    #[command(flatten)]
    pub length: LengthArgs,
    /// The bytes to decode; - or nothing for stdin.
    pub file: Option<PathBuf>,
}

/// The length prefix of `u32` and `naive-u32`, as netty's `LengthFieldBasedFrameDecoder`
/// users set it.
#[derive(Args, Debug, Default, PartialEq)]
pub struct LengthArgs {
    #[arg(long = "length-bytes", value_name = "1|2|4|8")]
    pub length_bytes: Option<String>,
    #[arg(long = "length-order", value_name = "big|little")]
    pub length_order: Option<String>,
}

impl LengthArgs {
    /// `prefix` with the flags given applied; validated. A flag given with a `framing` that
    /// has no length prefix (`seed-json`, `newline`, `none`) is refused: it would change nothing.
    pub fn apply(&self, prefix: &mut LengthPrefix, framing: FramingMode, lang: Lang) -> Result<(), UsageError> {
        let given = [
            (Setting::LengthBytes, &self.length_bytes),
            (Setting::LengthOrder, &self.length_order),
        ];
        if let Some((s, _)) = given
            .iter()
            .find(|(_, v)| v.is_some())
            .filter(|_| !framing.has_length_prefix())
        {
            return Err(UsageError(format!(
                "--{}: {}",
                s.flag(),
                tf(lang, S::CliLengthNeedsPrefix, &[("framing", &framing.name())])
            )));
        }
        let err = |e| UsageError::setting(e, lang);
        if let Some(v) = &self.length_bytes {
            prefix.bytes = Setting::LengthBytes.number(v).map_err(err)?;
        }
        if let Some(v) = &self.length_order {
            prefix.order = crate::config::parse_byte_order(v).map_err(err)?;
        }
        crate::config::validate_length_prefix(*prefix).map_err(err)?;
        Ok(())
    }
}

/// A usage error: printed as `error: ...` with exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

impl UsageError {
    /// A setting's error, naming its flag, in `lang`.
    pub fn setting(e: SettingError, lang: Lang) -> Self {
        UsageError(format!(
            "--{}: {}",
            e.field.flag(),
            crate::describe::setting_problem(&e.problem, lang)
        ))
    }
}

/// A setting's number (`config::Setting::number`, as the window reads its boxes); a value that
/// is not one is refused naming its flag, with the values the setting allows.
pub(crate) fn setting<T: std::str::FromStr>(s: Setting, v: &str, lang: Lang) -> Result<T, UsageError> {
    s.number(v).map_err(|e| UsageError::setting(e, lang))
}

/// A framing mode by name (`config::parse_framing`); refused naming `--framing`.
pub fn parse_framing(v: &str, lang: Lang) -> Result<FramingMode, UsageError> {
    crate::config::parse_framing(v).map_err(|e| UsageError::setting(e, lang))
}

impl SettingsArgs {
    /// Applies the flags to `exp`, each read by its `config::Setting` (the window's boxes
    /// read theirs the same way), then validates the whole experiment (UDP over IPv4, as the
    /// in-process runs send it).
    pub fn apply(&self, exp: &mut Experiment, lang: Lang) -> Result<(), UsageError> {
        self.apply_udp_over(exp, false, lang)
    }

    /// [`SettingsArgs::apply`] for datagrams that travel over IPv6 when `ipv6` (`send --udp`
    /// to an IPv6 address): UDP's size limit is that family's.
    pub fn apply_udp_over(&self, exp: &mut Experiment, ipv6: bool, lang: Lang) -> Result<(), UsageError> {
        let flags = [
            (Setting::Count, &self.count),
            (Setting::Size, &self.size),
            (Setting::Gap, &self.gap_us),
            (Setting::ChunkGap, &self.chunk_gap_us),
            (Setting::Burst, &self.burst),
            (Setting::BurstGap, &self.burst_gap_us),
            (Setting::Nagle, &self.nagle),
            (Setting::SndBuf, &self.sndbuf),
            (Setting::Split, &self.split),
            (Setting::ReadSize, &self.read_size),
            (Setting::RcvBuf, &self.rcvbuf),
            (Setting::StartDelay, &self.start_delay_ms),
            (Setting::ReadDelay, &self.read_delay_ms),
            (Setting::Framing, &self.framing),
            (Setting::MaxFrame, &self.max_frame),
        ];
        let later = [
            (Setting::UdpReadSize, &self.udp_read_size),
            (Setting::UdpRcvBuf, &self.udp_rcvbuf),
            (Setting::UdpStartDelay, &self.udp_start_delay_ms),
            (Setting::Mss, &self.mss),
            (Setting::Link, &self.link),
            (Setting::SendCall, &self.send_call),
            // the flag makes the run the address-in-use one: the server restarts on its port
            (Setting::ReuseAddr, &self.reuse_addr),
        ];
        let err = |e| UsageError::setting(e, lang);
        if self.cork {
            exp.sender.cork = true;
        }
        for (setting, value) in flags {
            if let Some(v) = value {
                setting.set(exp, v).map_err(err)?;
            }
        }
        self.length.apply(&mut exp.length_prefix, exp.framing, lang)?;
        for (setting, value) in later {
            if let Some(v) = value {
                setting.set(exp, v).map_err(err)?;
            }
        }
        exp.validate_udp_over(ipv6).map_err(err)?;
        Ok(())
    }
}

impl SettingsArgs {
    /// Whether no settings flag was given.
    pub fn is_empty(&self) -> bool {
        *self == SettingsArgs::default()
    }
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

/// The experiment of the preset `name`; an unknown name is refused with the names there are.
pub(crate) fn preset_experiment(name: &str, lang: Lang) -> Result<Experiment, UsageError> {
    presets::find(name).map(|p| p.experiment).ok_or_else(|| {
        UsageError(format!(
            "--preset: {}",
            tf(
                lang,
                S::CliUnknownPreset,
                &[("name", &name), ("allowed", &presets::names().join(", "))]
            )
        ))
    })
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

/// Writes `text` to standard output. A reader that went away (`stickyviz presets | head`) is
/// not an error: what is left to print is dropped, and the session still finishes (its
/// recording written, its exit status what it would have been). Any other write error (a full
/// disk behind a redirect) is returned.
pub fn out(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Runs the command; `Err` of `UsageError` means exit code 2.
pub fn main(cli: Cli, lang: Lang, png: Option<render::PngRenderer>) -> Result<()> {
    match cli.command {
        Some(Command::Run(args)) => run(&args, lang),
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
        None => Ok(()),
    }
}

/// The columns a text timeline may have (`--width` of `run`, `listen`, `send`).
const TEXT_WIDTH: (u64, u64) = (20, 1000);

/// `--width`: refused naming the flag and [`TEXT_WIDTH`].
pub(crate) fn check_width(width: usize, lang: Lang) -> Result<(), UsageError> {
    let (min, max) = TEXT_WIDTH;
    if (min..=max).contains(&(width as u64)) {
        return Ok(());
    }
    let problem = crate::config::SettingProblem::OutOfRange {
        value: width as u64,
        min,
        max,
    };
    Err(UsageError(format!(
        "--width: {}",
        crate::describe::setting_problem(&problem, lang)
    )))
}

/// Where `--json FILE|-` streams the recording: the file is created before the run, so a path
/// that cannot be written is said at once. Returns the output and its name for messages.
pub(crate) fn json_output(json: Option<&str>) -> Result<Option<(Output, String)>> {
    Ok(match json {
        None => None,
        Some("-") => Some((
            Output::Other(Box::new(std::io::BufWriter::new(std::io::stdout()))),
            "-".to_string(),
        )),
        Some(path) => Some((Output::create(std::path::Path::new(path))?, path.to_string())),
    })
}

/// Prints a session's report and says where its recording went: with `--json -` the report
/// goes to stderr and the recording (finished when the run stopped) holds stdout.
pub(crate) fn report_and_recording(text: &str, session: &Session, json: Option<&str>, lang: Lang) -> Result<()> {
    let error = session.record().streamed().and_then(|s| s.error());
    match json {
        Some("-") => {
            eprint!("{text}");
            if let Some(e) = error {
                return Err(crate::engine::FileFailure::std(
                    crate::engine::FileOp::Write,
                    crate::engine::FileTarget::Stdout,
                    e,
                )
                .into());
            }
            let mut out = std::io::stdout().lock();
            out.write_all(b"\n")?;
            out.flush()?;
        }
        Some(path) => {
            let printed = out(text);
            if let Some(e) = error {
                return Err(crate::engine::FileFailure::new(crate::engine::FileOp::Write, path.as_ref(), e).into());
            }
            printed?;
            out(&format!("{}\n", tf(lang, S::CliRecordingWritten, &[("path", &path)])))?;
        }
        None => out(text)?,
    }
    Ok(())
}

fn run(args: &RunArgs, lang: Lang) -> Result<()> {
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
        Err(StartError::Engine(crate::engine::EngineError::Link(failure))) => {
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
                    crate::engine::FileFailure::std(crate::engine::FileOp::Write, crate::engine::FileTarget::Stdout, &e)
                }
                Some(p) => crate::engine::FileFailure::new(crate::engine::FileOp::Write, p.as_ref(), &e),
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
        return Err(crate::engine::FileFailure::new(crate::engine::FileOp::Write, path.as_ref(), e).into());
    }
    if let Some(path) = &args.pcapng {
        // after the run: whether packets were captured is only known now
        let n = session.save_pcapng(path)?;
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
    report_and_recording(&text, &session, json_path.as_deref(), lang)?;
    crate::cli::stop::outcome(session.model(), stopped_by)
}
