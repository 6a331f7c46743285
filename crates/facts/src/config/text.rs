//! Text → setting, once: the command line's flags and the window's boxes read what a user
//! typed with these functions, so the same words are accepted everywhere (`default` wherever the
//! kernel has one: `--sndbuf default`, an empty or `default` box) and refused with the same
//! [`SettingError`], which the CLI prefixes with the flag and the window with the label.

use std::str::FromStr;

use crate::framing::{ByteOrder, FramingMode};
use crate::i18n::{t, Lang, S};

use super::{ClientReads, EchoOptions, Experiment, Link, Setting, SettingError, SettingProblem, WriteSplit};

/// What a setting's text should have been, for the message that refuses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A number the setting allows ([`Setting::allowed`]); `N` or `A-B` for the size.
    Number(Setting),
    OnOff,
    /// A framing mode's name.
    Framing,
    /// `big` or `little`.
    ByteOrder,
    /// `whole` or `once`.
    WholeOrOnce,
    /// One of the values [`Setting::allowed`] lists (`sendall`, `send`).
    OneOf(Setting),
}

/// The words that mean "let the kernel choose" where it has a default (socket buffers, MSS):
/// an empty box, `default` in any case, or the word an empty box shows in any language (默认).
fn kernel_default(text: &str) -> bool {
    text.is_empty()
        || text.eq_ignore_ascii_case("default")
        || Lang::ALL.iter().any(|&lang| text == t(lang, S::BufferHint))
}

impl Setting {
    fn refuse(self, text: &str, expected: Expected) -> SettingError {
        SettingError {
            field: self,
            problem: SettingProblem::NotUnderstood {
                text: text.to_string(),
                expected,
            },
        }
    }

    /// `text` (trimmed) as a number of this setting; its range is checked with the experiment.
    pub fn number<T: FromStr>(self, text: &str) -> Result<T, SettingError> {
        text.trim()
            .parse()
            .map_err(|_| self.refuse(text, Expected::Number(self)))
    }

    /// A number, or `None` for the kernel's default ([`kernel_default`]).
    pub fn number_or_default(self, text: &str) -> Result<Option<u32>, SettingError> {
        if kernel_default(text.trim()) {
            return Ok(None);
        }
        self.number(text).map(Some)
    }

    /// `on`/`off` (also `true`/`false`, `1`/`0`, `yes`/`no`).
    pub fn on_off(self, text: &str) -> Result<bool, SettingError> {
        match text.trim() {
            "on" | "true" | "1" | "yes" => Ok(true),
            "off" | "false" | "0" | "no" => Ok(false),
            _ => Err(self.refuse(text, Expected::OnOff)),
        }
    }

    /// Reads `text` as this setting's value into `exp`: the one parser of the command line and
    /// the window. Ranges and the settings' agreement are checked after, by
    /// [`Experiment::validate`]. [`Setting::Cork`] is a switch, not a text: `on` or `off`.
    pub fn set(self, exp: &mut Experiment, text: &str) -> Result<(), SettingError> {
        match self {
            Self::Count => exp.workload.count = self.number(text)?,
            Self::Size => {
                (exp.workload.size_min, exp.workload.size_max) =
                    super::parse_sizes(text).ok_or_else(|| self.refuse(text, Expected::Number(self)))?
            }
            Self::Gap => exp.workload.gap_us = self.number(text)?,
            Self::ChunkGap => exp.workload.chunk_gap_us = self.number(text)?,
            Self::Burst => exp.workload.burst = self.number(text)?,
            Self::BurstGap => exp.workload.burst_gap_us = self.number(text)?,
            Self::Nagle => exp.sender.nagle = self.on_off(text)?,
            Self::Cork => exp.sender.cork = self.on_off(text)?,
            Self::SndBuf => exp.sender.sndbuf = self.number_or_default(text)?,
            Self::Split => {
                exp.sender.split = match text.trim() {
                    "whole" => WriteSplit::Whole,
                    "header-body" => WriteSplit::HeaderThenBody,
                    n => WriteSplit::Chunks { bytes: self.number(n)? },
                }
            }
            Self::ReadSize => exp.receiver.read_size = self.number(text)?,
            Self::RcvBuf => exp.receiver.rcvbuf = self.number_or_default(text)?,
            Self::StartDelay => exp.receiver.start_delay_ms = self.number(text)?,
            Self::ReadDelay => exp.receiver.read_delay_ms = self.number(text)?,
            Self::Framing => exp.framing = parse_framing(text)?,
            Self::MaxFrame => exp.max_frame_len = self.number(text)?,
            Self::LengthBytes => exp.length_prefix.bytes = self.number(text)?,
            Self::LengthOrder => exp.length_prefix.order = parse_byte_order(text)?,
            Self::UdpReadSize => exp.udp.read_size = self.number(text)?,
            Self::UdpRcvBuf => exp.udp.rcvbuf = self.number_or_default(text)?,
            Self::UdpStartDelay => exp.udp.start_delay_ms = self.number(text)?,
            Self::ClientReads => {
                echo(exp).client_reads = match text.trim() {
                    "whole" => ClientReads::Whole,
                    "once" => ClientReads::OncePerRequest,
                    _ => return Err(self.refuse(text, Expected::WholeOrOnce)),
                }
            }
            Self::ClientReadSize => echo(exp).client_read_size = self.number(text)?,
            Self::ReplySize => echo(exp).reply_size = Some(self.number(text)?),
            Self::Connections => echo(exp).connections = self.number(text)?,
            // `listen`'s own: not settings of an experiment
            Self::IdleMs | Self::ListenClients => {
                self.number::<u64>(text)?;
            }
            Self::Mss => {
                exp.mss = match text.trim() {
                    "none" | "off" => None,
                    _ => self.number_or_default(text)?,
                }
            }
            Self::Link => exp.link = parse_link(text)?,
            Self::SendCall => {
                exp.sender.send_call = super::SendCall::ALL
                    .into_iter()
                    .find(|c| c.name() == text.trim())
                    .ok_or_else(|| self.refuse(text, Expected::OneOf(self)))?
            }
            // the flag makes the run the address-in-use one: the server restarts on its port
            Self::ReuseAddr => {
                exp.restart = Some(super::Restart {
                    reuse_addr: self.on_off(text)?,
                })
            }
        }
        Ok(())
    }
}

/// A framing mode by its name.
pub fn parse_framing(text: &str) -> Result<FramingMode, SettingError> {
    FramingMode::from_name(text.trim()).ok_or_else(|| Setting::Framing.refuse(text, Expected::Framing))
}

/// The length prefix's byte order: `big` (`be`) or `little` (`le`).
pub fn parse_byte_order(text: &str) -> Result<ByteOrder, SettingError> {
    match text.trim() {
        "big" | "be" => Ok(ByteOrder::Big),
        "little" | "le" => Ok(ByteOrder::Little),
        _ => Err(Setting::LengthOrder.refuse(text, Expected::ByteOrder)),
    }
}

/// The link: `none` (plain loopback) or its fields (`mtu=1500,rate=20mbit,queue=20kb`).
pub fn parse_link(text: &str) -> Result<Option<Link>, SettingError> {
    match text.trim() {
        "none" | "off" => Ok(None),
        spec => Link::parse(spec).map(Some).map_err(|p| SettingError {
            field: Setting::Link,
            problem: SettingProblem::Link(p),
        }),
    }
}

/// The request/response options, made on the first of their settings.
fn echo(exp: &mut Experiment) -> &mut EchoOptions {
    exp.echo.get_or_insert_with(EchoOptions::default)
}
