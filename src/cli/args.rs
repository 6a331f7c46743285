//! The flags every command shares and what they become: the settings flags (read with
//! `config::Setting::set`, so a bad value names the flag and its range), `--framing` and the
//! length prefix, `--width`, a preset's experiment; `UsageError` is exit code 2.

use std::path::PathBuf;

use clap::Args;

use crate::config::{Experiment, Setting, SettingError};
use crate::framing::{FramingMode, LengthPrefix};
use crate::i18n::{tf, Lang, S};
use crate::presets;

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
