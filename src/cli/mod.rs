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

use crate::analysis::Model;
pub use crate::cli::peer::{ListenArgs, SendArgs};
use crate::config::{Experiment, Setting, SettingError, Transports, WriteSplit};
use crate::engine::{Event, Run};
use crate::export::text_timeline;
use crate::framing::{ByteOrder, FramingMode, LengthPrefix};
use crate::i18n::{t, tf, Lang, S};
use crate::presets;
use crate::recording::stream::{Output, RecordingWriter};
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
        if let Some(v) = &self.length_bytes {
            prefix.bytes = setting(Setting::LengthBytes, v, lang)?;
        }
        if let Some(v) = &self.length_order {
            prefix.order = match v.trim() {
                "big" | "be" => ByteOrder::Big,
                "little" | "le" => ByteOrder::Little,
                _ => {
                    return Err(UsageError(format!(
                        "--{}: {}",
                        Setting::LengthOrder.flag(),
                        tf(lang, S::CliNotByteOrder, &[("text", &v)])
                    )))
                }
            };
        }
        crate::config::validate_length_prefix(*prefix).map_err(|e| UsageError::setting(e, lang))?;
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

/// Parses a flag's number; the error names the flag and the allowed range.
pub(crate) fn number<T: std::str::FromStr>(flag: &str, v: &str, range: &str, lang: Lang) -> Result<T, UsageError> {
    v.trim().parse().map_err(|_| {
        UsageError(format!(
            "--{flag}: {}",
            tf(lang, S::CliNotNumber, &[("text", &v), ("allowed", &range)])
        ))
    })
}

/// A setting's number; a value that is not one is refused naming its flag, with the values the
/// setting allows (the same ones its validation checks).
pub(crate) fn setting<T: std::str::FromStr>(s: Setting, v: &str, lang: Lang) -> Result<T, UsageError> {
    number(s.flag(), v, &s.allowed(lang), lang)
}

fn on_off(s: Setting, v: &str, lang: Lang) -> Result<bool, UsageError> {
    let flag = s.flag();
    match v {
        "on" | "true" | "1" | "yes" => Ok(true),
        "off" | "false" | "0" | "no" => Ok(false),
        _ => Err(UsageError(format!(
            "--{flag}: {}",
            tf(lang, S::CliNotOnOff, &[("text", &v)])
        ))),
    }
}

pub fn parse_framing(v: &str, lang: Lang) -> Result<FramingMode, UsageError> {
    FramingMode::from_name(v).ok_or_else(|| {
        let names: Vec<_> = FramingMode::ALL.iter().map(|m| m.name()).collect();
        UsageError(format!(
            "--{}: {}",
            Setting::Framing.flag(),
            tf(
                lang,
                S::CliUnknownFraming,
                &[("text", &v), ("allowed", &names.join(", "))]
            )
        ))
    })
}

/// `--link`: `none` (plain loopback) or the link's fields.
fn parse_link(v: &str) -> Result<Option<crate::config::Link>, crate::config::SettingProblem> {
    match v.trim() {
        "none" | "off" => Ok(None),
        spec => crate::config::Link::parse(spec)
            .map(Some)
            .map_err(crate::config::SettingProblem::Link),
    }
}

fn parse_size(v: &str, lang: Lang) -> Result<(u32, u32), UsageError> {
    crate::config::parse_sizes(v).ok_or_else(|| {
        UsageError(format!(
            "--{}: {}",
            Setting::Size.flag(),
            tf(
                lang,
                S::CliNotNumber,
                &[("text", &v), ("allowed", &Setting::Size.allowed(lang))]
            )
        ))
    })
}

impl SettingsArgs {
    /// Applies the flags to `exp`, then validates the whole experiment (UDP over IPv4, as the
    /// in-process runs send it).
    pub fn apply(&self, exp: &mut Experiment, lang: Lang) -> Result<(), UsageError> {
        self.apply_udp_over(exp, false, lang)
    }

    /// [`SettingsArgs::apply`] for datagrams that travel over IPv6 when `ipv6` (`send --udp`
    /// to an IPv6 address): UDP's size limit is that family's.
    pub fn apply_udp_over(&self, exp: &mut Experiment, ipv6: bool, lang: Lang) -> Result<(), UsageError> {
        if let Some(v) = &self.count {
            exp.workload.count = setting(Setting::Count, v, lang)?;
        }
        if let Some(v) = &self.size {
            (exp.workload.size_min, exp.workload.size_max) = parse_size(v, lang)?;
        }
        if let Some(v) = &self.gap_us {
            exp.workload.gap_us = setting(Setting::Gap, v, lang)?;
        }
        if let Some(v) = &self.chunk_gap_us {
            exp.workload.chunk_gap_us = setting(Setting::ChunkGap, v, lang)?;
        }
        if let Some(v) = &self.burst {
            exp.workload.burst = setting(Setting::Burst, v, lang)?;
        }
        if let Some(v) = &self.burst_gap_us {
            exp.workload.burst_gap_us = setting(Setting::BurstGap, v, lang)?;
        }
        if let Some(v) = &self.nagle {
            exp.sender.nagle = on_off(Setting::Nagle, v, lang)?;
        }
        if self.cork {
            exp.sender.cork = true;
        }
        if let Some(v) = &self.sndbuf {
            exp.sender.sndbuf = Some(setting(Setting::SndBuf, v, lang)?);
        }
        if let Some(v) = &self.split {
            exp.sender.split = match v.as_str() {
                "whole" => WriteSplit::Whole,
                "header-body" => WriteSplit::HeaderThenBody,
                n => WriteSplit::Chunks {
                    bytes: setting(Setting::Split, n, lang)?,
                },
            };
        }
        if let Some(v) = &self.read_size {
            exp.receiver.read_size = setting(Setting::ReadSize, v, lang)?;
        }
        if let Some(v) = &self.rcvbuf {
            exp.receiver.rcvbuf = Some(setting(Setting::RcvBuf, v, lang)?);
        }
        if let Some(v) = &self.start_delay_ms {
            exp.receiver.start_delay_ms = setting(Setting::StartDelay, v, lang)?;
        }
        if let Some(v) = &self.read_delay_ms {
            exp.receiver.read_delay_ms = setting(Setting::ReadDelay, v, lang)?;
        }
        if let Some(v) = &self.framing {
            exp.framing = parse_framing(v, lang)?;
        }
        if let Some(v) = &self.max_frame {
            exp.max_frame_len = setting(Setting::MaxFrame, v, lang)?;
        }
        self.length.apply(&mut exp.length_prefix, exp.framing, lang)?;
        if let Some(v) = &self.udp_read_size {
            exp.udp.read_size = setting(Setting::UdpReadSize, v, lang)?;
        }
        if let Some(v) = &self.udp_rcvbuf {
            exp.udp.rcvbuf = Some(setting(Setting::UdpRcvBuf, v, lang)?);
        }
        if let Some(v) = &self.udp_start_delay_ms {
            exp.udp.start_delay_ms = setting(Setting::UdpStartDelay, v, lang)?;
        }
        if let Some(v) = &self.mss {
            exp.mss = match v.trim() {
                "none" | "off" => None,
                n => Some(setting(Setting::Mss, n, lang)?),
            };
        }
        if let Some(v) = &self.link {
            exp.link = parse_link(v).map_err(|problem| {
                UsageError::setting(
                    SettingError {
                        field: Setting::Link,
                        problem,
                    },
                    lang,
                )
            })?;
        }
        if let Some(v) = &self.send_call {
            exp.sender.send_call = crate::config::SendCall::ALL
                .into_iter()
                .find(|c| c.name() == v.trim())
                .ok_or_else(|| {
                    let allowed = Setting::SendCall.allowed(lang);
                    UsageError(format!(
                        "--{}: {}",
                        Setting::SendCall.flag(),
                        tf(lang, S::CliNotOneOf, &[("text", &v), ("allowed", &allowed)])
                    ))
                })?;
        }
        if let Some(v) = &self.reuse_addr {
            // the flag makes the run the address-in-use one: the server restarts on its port
            exp.restart = Some(crate::config::Restart {
                reuse_addr: on_off(Setting::ReuseAddr, v, lang)?,
            });
        }
        exp.validate_udp_over(ipv6).map_err(|e| UsageError::setting(e, lang))?;
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

/// Builds the experiment of a `run` from preset and flags.
pub fn experiment(args: &RunArgs, lang: Lang) -> Result<Experiment, UsageError> {
    let mut exp = match &args.preset {
        Some(name) => {
            presets::find(name)
                .ok_or_else(|| {
                    UsageError(format!(
                        "--preset: {}",
                        tf(
                            lang,
                            S::CliUnknownPreset,
                            &[("name", name), ("allowed", &presets::names().join(", "))]
                        )
                    ))
                })?
                .experiment
        }
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
        None => Ok(()),
    }
}

fn run(args: &RunArgs, lang: Lang) -> Result<()> {
    if args.width < 20 || args.width > 1000 {
        let problem = crate::config::SettingProblem::OutOfRange {
            value: args.width as u64,
            min: 20,
            max: 1000,
        };
        return Err(UsageError(format!("--width: {}", crate::describe::setting_problem(&problem, lang))).into());
    }
    let exp = experiment(args, lang)?;
    crate::cli::stop::install().context(t(lang, S::CliNoSignals))?;
    // the file is created before the run: a path that cannot be written is said at once
    let mut json = match args.json.as_deref() {
        None => None,
        Some("-") => Some((
            Output::Other(Box::new(std::io::BufWriter::new(std::io::stdout()))),
            "-".to_string(),
        )),
        Some(path) => Some((Output::create(std::path::Path::new(path))?, path.to_string())),
    }
    .map(|(out, path)| {
        RecordingWriter::begin(out, &exp, args.preset.as_deref())
            .map(|w| (w, path.clone()))
            .map_err(|e| match path.as_str() {
                "-" => {
                    crate::engine::FileFailure::std(crate::engine::FileOp::Write, crate::engine::FileTarget::Stdout, &e)
                }
                p => crate::engine::FileFailure::new(crate::engine::FileOp::Write, p.as_ref(), &e),
            })
    })
    .transpose()?;
    let run = match Run::start(&exp, None) {
        Ok(run) => run,
        // the link cannot run here: like a bad flag, nothing ran (exit 2)
        Err(crate::engine::EngineError::Link(failure)) => {
            return Err(UsageError(format!(
                "--{}: {}",
                Setting::Link.flag(),
                crate::describe::link_failure(&failure, lang)
            ))
            .into());
        }
        Err(e) => {
            let why = crate::describe::engine_error(&e, lang);
            return Err(anyhow::Error::msg(format!("{}: {why}", t(lang, S::CliCannotStart))));
        }
    };
    // Events are folded as they come (the same capped `Model` as the window's) and streamed to
    // the recording: memory stays bounded however long the run (docs/performance.md).
    let mut model = Model::default();
    let mut packets = Vec::new();
    let mut write_error = None;
    let mut progress = crate::cli::progress::Progress::new();
    let stopped_by = crate::cli::stop::fold(run, |batch| {
        for e in batch {
            model.apply(e);
        }
        if let (Some((w, _)), None) = (&mut json, &write_error) {
            write_error = w.events(batch).err();
        }
        if args.pcapng.is_some() {
            packets.extend(batch.iter().filter(|e| keep_for_pcapng(e)).cloned());
        }
        progress.run(
            model.summary.reads
                + model.summary.writes
                + model.summary.datagrams_sent
                + model.summary.datagrams_received,
            model.summary.bytes_received,
            lang,
        );
    });
    progress.clear();
    let json = match (json, write_error) {
        (Some((_, path)), Some(e)) => {
            return Err(crate::engine::FileFailure::new(crate::engine::FileOp::Write, path.as_ref(), &e).into())
        }
        (json, None) => json,
        (None, Some(_)) => None,
    };
    if let Some(path) = &args.pcapng {
        // after the run: whether packets were captured is only known now
        let n = crate::export::pcapng::save(&packets, path)?;
        eprintln!(
            "{}",
            tf(lang, S::PacketsWritten, &[("count", &n), ("path", &path.display())])
        );
    }
    let text = format!(
        "{}\n{}",
        text_timeline::render(&model, args.width, lang),
        text_timeline::summary(&model, lang)
    );
    let text = text + &crate::export::echo_report::render(&model, &exp, args.width, lang);
    match json {
        Some((w, path)) if path == "-" => {
            eprint!("{text}");
            w.finish(&model.summary).map_err(|e| {
                crate::engine::FileFailure::std(crate::engine::FileOp::Write, crate::engine::FileTarget::Stdout, &e)
            })?;
            let mut out = std::io::stdout().lock();
            out.write_all(b"\n")?;
            out.flush()?;
        }
        Some((w, path)) => {
            let printed = out(&text);
            w.finish(&model.summary).map_err(crate::engine::FileFailure::on(
                crate::engine::FileOp::Write,
                path.as_ref(),
            ))?;
            printed?;
            out(&format!("{}\n", tf(lang, S::CliRecordingWritten, &[("path", &path)])))?;
        }
        None => out(&text)?,
    }
    crate::cli::stop::outcome(&model, stopped_by)
}

/// What the pcapng export needs of a run: the captured packets (at most
/// `MAX_PACKETS_KEPT`), and why there are none.
fn keep_for_pcapng(e: &Event) -> bool {
    matches!(
        e,
        Event::Segment { packet: Some(_), .. } | Event::SegmentsUnavailable { .. }
    )
}
