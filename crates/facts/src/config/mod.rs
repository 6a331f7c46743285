//! Experiment settings: what the sender writes, how the receiver reads, which framing is used.
//!
//! Every field has a default that shows an effect on loopback, and every field is checked by a
//! small `validate_*` function whose error names the field and the allowed range, so the GUI can
//! put the message next to the control and the CLI can print it and exit with code 2.

use serde::{Deserialize, Serialize};

use crate::framing::{FramingMode, LengthPrefix};

mod echo;
mod link;
mod send_close;
mod setting;
mod text;
pub use echo::{ClientReads, EchoOptions, HandshakeOptions, MAX_CONNECTIONS};
pub use link::{Link, LinkField, LinkProblem};
pub use send_close::{Restart, SendCall};
pub use setting::Setting;
pub use text::{parse_byte_order, parse_framing, parse_link, Expected};

/// Largest payload of one UDP datagram over IPv4 (65535 − 20 IP − 8 UDP): the in-process
/// runs on 127.0.0.1.
pub const MAX_UDP_PAYLOAD: u32 = 65_507;
/// Largest payload of one UDP datagram over IPv6 without jumbograms (65535 payload length,
/// which leaves out the 40-byte IPv6 header, − 8 UDP; RFC 8200, RFC 2675).
pub const MAX_UDP_PAYLOAD_V6: u32 = 65_527;

/// The largest UDP payload for the address family a datagram travels over.
pub fn max_udp_payload(ipv6: bool) -> u32 {
    if ipv6 {
        MAX_UDP_PAYLOAD_V6
    } else {
        MAX_UDP_PAYLOAD
    }
}
/// Largest message the workload may ask for (16 MiB); bigger is not a lesson, just a wait.
pub const MAX_MESSAGE_SIZE: u32 = 16 * 1024 * 1024;
/// Largest application read buffer (`recv(N)`); 1 MiB is far beyond any socket buffer default.
pub const MAX_READ_SIZE: u32 = 1024 * 1024;
/// Largest buffer size one may ask the kernel for; it caps at twice `rmem_max`/`wmem_max` anyway.
pub const MAX_SOCKET_BUFFER: u32 = 64 * 1024 * 1024;
/// Largest message count of one run.
pub const MAX_MESSAGES: u32 = 10_000_000;
/// Longest gap or delay (10 s): longer only looks like a hang.
pub const MAX_DELAY_US: u64 = 10_000_000;
/// Smallest MSS Linux accepts for `TCP_MAXSEG` (`TCP_MIN_MSS`, include/net/tcp.h).
pub const MIN_MSS: u32 = 88;
/// Largest MSS Linux accepts for `TCP_MAXSEG` (`MAX_TCP_WINDOW`, 32,767).
pub const MAX_MSS: u32 = 32_767;

/// Which transports one run exercises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Transports {
    /// TCP only: one byte stream, boundaries not kept.
    #[default]
    Tcp,
    /// UDP only: datagrams, boundaries kept but truncated or dropped.
    Udp,
    /// The same workload over TCP and over UDP side by side (what the GUI shows).
    Both,
}

impl Transports {
    pub fn tcp(self) -> bool {
        matches!(self, Self::Tcp | Self::Both)
    }
    pub fn udp(self) -> bool {
        matches!(self, Self::Udp | Self::Both)
    }
}

/// How one message is handed to the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum WriteSplit {
    /// One `send()` per message (header and body together): the seed's default.
    #[default]
    Whole,
    /// The header in one `send()`, the body in a second: the write-write pattern that meets
    /// Nagle and delayed ACK.
    HeaderThenBody,
    /// The message cut into `send()`s of at most `bytes` bytes, `chunk_gap_us` apart.
    Chunks { bytes: u32 },
}

/// What the sender writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Workload {
    /// Number of messages.
    pub count: u32,
    /// Smallest payload size in bytes.
    pub size_min: u32,
    /// Largest payload size in bytes; equal to `size_min` for a fixed size.
    pub size_max: u32,
    /// Pause between two messages, in microseconds (0 = back to back).
    pub gap_us: u64,
    /// Pause between the writes of one split message, in microseconds.
    pub chunk_gap_us: u64,
    /// Messages per burst (0 = no bursts): after each burst the sender waits `burst_gap_us`.
    pub burst: u32,
    /// Pause after each burst, in microseconds.
    pub burst_gap_us: u64,
    /// Seed of the size generator, so a range of sizes repeats run after run.
    pub seed: u64,
}

impl Default for Workload {
    fn default() -> Self {
        Self {
            count: 12,
            size_min: 24,
            size_max: 200,
            gap_us: 0,
            chunk_gap_us: 0,
            burst: 0,
            burst_gap_us: 0,
            seed: 1,
        }
    }
}

/// The sending socket's options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SenderOptions {
    /// Nagle's algorithm on (the kernel default). Off = `TCP_NODELAY`.
    pub nagle: bool,
    /// `TCP_CORK` (Linux): hold every write until the run's last write uncorks.
    pub cork: bool,
    /// `SO_SNDBUF` to ask for; `None` keeps the kernel default (and its autotuning).
    pub sndbuf: Option<u32>,
    /// How each message is cut into `send()` calls.
    pub split: WriteSplit,
    /// `sendall()`, or `send()` with its count ignored (the send-vs-sendall lesson).
    #[serde(skip_serializing_if = "SendCall::is_default")]
    pub send_call: SendCall,
}

impl Default for SenderOptions {
    fn default() -> Self {
        Self {
            nagle: true,
            cork: false,
            sndbuf: None,
            split: WriteSplit::Whole,
            send_call: SendCall::Sendall,
        }
    }
}

/// The receiving socket and the application's read loop.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReceiverOptions {
    /// Application read size: the `N` of `recv(N)`.
    pub read_size: u32,
    /// `SO_RCVBUF` to ask for; `None` keeps the kernel default.
    pub rcvbuf: Option<u32>,
    /// The reader sleeps this long before its first `recv()`: everything sent meanwhile waits in
    /// the receive buffer and comes out merged.
    pub start_delay_ms: u64,
    /// The reader sleeps this long after every `recv()` (a slow consumer).
    pub read_delay_ms: u64,
}

impl Default for ReceiverOptions {
    fn default() -> Self {
        Self {
            read_size: 1024,
            rcvbuf: None,
            start_delay_ms: 50,
            read_delay_ms: 0,
        }
    }
}

/// The UDP side of an experiment: the same workload, sent as one datagram per message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UdpOptions {
    /// Buffer size of each `recvfrom(N)`: a bigger datagram is truncated to `N` bytes.
    pub read_size: u32,
    /// `SO_RCVBUF` to ask for; when full, the kernel drops whole datagrams.
    pub rcvbuf: Option<u32>,
    /// The reader sleeps this long before its first `recvfrom()`.
    pub start_delay_ms: u64,
}

impl Default for UdpOptions {
    fn default() -> Self {
        Self {
            read_size: 100,
            rcvbuf: None,
            start_delay_ms: 50,
        }
    }
}

/// One experiment: everything that decides what a run does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Experiment {
    pub transports: Transports,
    pub workload: Workload,
    pub sender: SenderOptions,
    pub receiver: ReceiverOptions,
    pub framing: FramingMode,
    /// Largest frame a decoder accepts, in bytes; a header claiming more is an error.
    pub max_frame_len: u32,
    /// Width and byte order of the length prefix of `u32` and `naive-u32`.
    #[serde(skip_serializing_if = "LengthPrefix::is_default")]
    pub length_prefix: LengthPrefix,
    pub udp: UdpOptions,
    /// Request/response mode (`echo`, `big-reply`): the sender waits for a reply to each
    /// message. Absent = the one-way stream of the other lessons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub echo: Option<EchoOptions>,
    /// `TCP_MAXSEG` on both ends, bytes: no segment carries more payload (absent = the
    /// route's own, ≈ 65,483 on loopback).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mss: Option<u32>,
    /// Run in a network namespace of its own on a shaped link (absent = plain loopback).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<Link>,
    /// The address-in-use run: the server closes first and a second one binds its port
    /// (absent = the one-way stream).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart: Option<Restart>,
}

impl Default for Experiment {
    fn default() -> Self {
        Self {
            transports: Transports::Both,
            workload: Workload::default(),
            sender: SenderOptions::default(),
            receiver: ReceiverOptions::default(),
            framing: FramingMode::None,
            max_frame_len: crate::framing::DEFAULT_MAX_FRAME_LEN,
            length_prefix: LengthPrefix::default(),
            udp: UdpOptions::default(),
            echo: None,
            mss: None,
            link: None,
            restart: None,
        }
    }
}

/// A setting outside its allowed range: the CLI names it by its flag, the window by its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingError {
    pub field: Setting,
    pub problem: SettingProblem,
}

/// What is wrong with a setting; `describe::setting_error` words it in either language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingProblem {
    OutOfRange {
        value: u64,
        min: u64,
        max: u64,
    },
    /// `size-max` below `size-min`.
    MaxBelowMin {
        max: u32,
        min: u32,
    },
    /// A message bigger than one UDP datagram can carry over its address family.
    TooBigForUdp {
        value: u32,
        ipv6: bool,
    },
    /// A message bigger than the decoder's max frame length.
    LargerThanMaxFrame {
        value: u32,
        max: u32,
        framing: &'static str,
    },
    /// `seed-json`'s JSON header for the largest message is longer than the max frame length,
    /// which the decoder also applies to the header: no frame could ever decode.
    JsonHeaderLargerThanMaxFrame {
        header: u32,
        size: u32,
        max: u32,
    },
    /// A length prefix width other than 1, 2, 4 or 8.
    NotAPrefixWidth {
        value: u8,
    },
    /// A message longer than the length prefix can say (255 bytes for a 1-byte prefix).
    TooBigForLengthPrefix {
        value: u32,
        bytes: u8,
        max: u64,
    },
    /// A `--link` text that does not parse, or a link field out of its range.
    Link(LinkProblem),
    /// A text that is no value of the setting (`abc` for a count): what was typed and what
    /// was expected.
    NotUnderstood {
        text: String,
        expected: Expected,
    },
}

/// Checks a number against the setting's range ([`Setting::range`], the one place it is written).
pub(crate) fn check_range(field: Setting, value: u64) -> Result<(), SettingError> {
    // a setting chosen among names has no range: its parser already refused what it cannot be
    let Some((min, max)) = field.range() else { return Ok(()) };
    if value < min || value > max {
        return Err(SettingError {
            field,
            problem: SettingProblem::OutOfRange { value, min, max },
        });
    }
    Ok(())
}

/// `listen --udp`: the longest quiet time before it ends (10 minutes).
pub const MAX_IDLE_MS: u64 = 600_000;
/// `listen --clients`: the most clients a listen may be asked to serve (0 = until stopped).
pub const MAX_LISTEN_CLIENTS: u32 = 1_000_000;
/// `listen --tcp`: clients whose stream is recorded (lane 0 = the main timeline, then
/// connections 1..=this), in the order they started talking: two full classes of
/// [`MAX_CLIENTS_AT_ONCE`]. A later client is still served and reported, with its bytes and
/// frames, but its reads are not recorded. Each recorded stream keeps at most
/// `analysis::CONNECTION_HISTORY_CAP` records, which bounds a class session's memory.
pub const MAX_LISTEN_LANES: u32 = 128;
/// `listen --tcp`: most clients connected at once (a thread and a socket each), which bounds
/// what a connection flood can take: a class of 64. Past it a silent client makes room, or
/// the newcomer is refused with a line saying why.
pub const MAX_CLIENTS_AT_ONCE: u32 = 64;

pub fn validate_idle_ms(ms: u64) -> Result<(), SettingError> {
    check_range(Setting::IdleMs, ms)
}

pub fn validate_listen_clients(n: u32) -> Result<(), SettingError> {
    check_range(Setting::ListenClients, n.into())
}

pub fn validate_count(count: u32) -> Result<(), SettingError> {
    check_range(Setting::Count, count.into())
}

/// A payload size as typed: `N`, or a range `A-B`. `None` if it is neither (then the whole
/// text is what the error quotes).
pub fn parse_sizes(v: &str) -> Option<(u32, u32)> {
    let number = |s: &str| s.trim().parse::<u32>().ok();
    match v.split_once('-') {
        Some((a, b)) => Some((number(a)?, number(b)?)),
        None => number(v).map(|n| (n, n)),
    }
}

pub fn validate_sizes(min: u32, max: u32) -> Result<(), SettingError> {
    check_range(Setting::Size, min.into())?;
    check_range(Setting::Size, max.into())?;
    if max < min {
        return Err(SettingError {
            field: Setting::Size,
            problem: SettingProblem::MaxBelowMin { max, min },
        });
    }
    Ok(())
}

pub fn validate_delay_us(field: Setting, us: u64) -> Result<(), SettingError> {
    check_range(field, us)
}

pub fn validate_delay_ms(field: Setting, ms: u64) -> Result<(), SettingError> {
    check_range(field, ms)
}

pub fn validate_read_size(field: Setting, n: u32) -> Result<(), SettingError> {
    check_range(field, n.into())
}

pub fn validate_buffer(field: Setting, n: Option<u32>) -> Result<(), SettingError> {
    match n {
        Some(n) => check_range(field, n.into()),
        None => Ok(()),
    }
}

pub fn validate_split(split: WriteSplit) -> Result<(), SettingError> {
    match split {
        WriteSplit::Chunks { bytes } => check_range(Setting::Split, bytes.into()),
        WriteSplit::Whole | WriteSplit::HeaderThenBody => Ok(()),
    }
}

pub fn validate_max_frame_len(n: u32) -> Result<(), SettingError> {
    check_range(Setting::MaxFrame, n.into())
}

/// The prefix's width is one of 1, 2, 4, 8 (its byte order is a closed enum).
pub fn validate_length_prefix(prefix: LengthPrefix) -> Result<(), SettingError> {
    if !LengthPrefix::WIDTHS.contains(&prefix.bytes) {
        return Err(SettingError {
            field: Setting::LengthBytes,
            problem: SettingProblem::NotAPrefixWidth { value: prefix.bytes },
        });
    }
    Ok(())
}

impl Experiment {
    /// Checks every field; the first error names the field and its allowed range. UDP over
    /// IPv4, as the in-process runs send it.
    pub fn validate(&self) -> Result<(), SettingError> {
        self.validate_udp_over(false)
    }

    /// [`Experiment::validate`], with UDP's size limit that of the family the datagrams travel
    /// over (`send --udp [::1]:PORT`: IPv6).
    pub fn validate_udp_over(&self, ipv6: bool) -> Result<(), SettingError> {
        let w = &self.workload;
        validate_count(w.count)?;
        validate_sizes(w.size_min, w.size_max)?;
        validate_delay_us(Setting::Gap, w.gap_us)?;
        validate_delay_us(Setting::ChunkGap, w.chunk_gap_us)?;
        validate_delay_us(Setting::BurstGap, w.burst_gap_us)?;
        check_range(Setting::Burst, w.burst.into())?;
        validate_buffer(Setting::SndBuf, self.sender.sndbuf)?;
        validate_split(self.sender.split)?;
        validate_read_size(Setting::ReadSize, self.receiver.read_size)?;
        validate_buffer(Setting::RcvBuf, self.receiver.rcvbuf)?;
        validate_delay_ms(Setting::StartDelay, self.receiver.start_delay_ms)?;
        validate_delay_ms(Setting::ReadDelay, self.receiver.read_delay_ms)?;
        validate_max_frame_len(self.max_frame_len)?;
        validate_length_prefix(self.length_prefix)?;
        validate_read_size(Setting::UdpReadSize, self.udp.read_size)?;
        validate_buffer(Setting::UdpRcvBuf, self.udp.rcvbuf)?;
        validate_delay_ms(Setting::UdpStartDelay, self.udp.start_delay_ms)?;
        if let Some(echo) = &self.echo {
            echo.validate()?;
        }
        if let Some(mss) = self.mss {
            check_range(Setting::Mss, mss.into())?;
        }
        if let Some(link) = &self.link {
            link.validate()?;
        }
        if self.transports.udp() && w.size_max > max_udp_payload(ipv6) {
            return Err(SettingError {
                field: Setting::Size,
                problem: SettingProblem::TooBigForUdp {
                    value: w.size_max,
                    ipv6,
                },
            });
        }
        // every decoder applies the max, newline's to the line; refused here, before the run,
        // rather than as a decode error of every frame
        if self.framing != FramingMode::None && w.size_max > self.max_frame_len {
            return Err(SettingError {
                field: Setting::Size,
                problem: SettingProblem::LargerThanMaxFrame {
                    value: w.size_max,
                    max: self.max_frame_len,
                    framing: self.framing.name(),
                },
            });
        }
        let prefix = self.length_prefix;
        if self.framing.has_length_prefix() && u64::from(w.size_max) > prefix.max_value() {
            return Err(SettingError {
                field: Setting::Size,
                problem: SettingProblem::TooBigForLengthPrefix {
                    value: w.size_max,
                    bytes: prefix.bytes,
                    max: prefix.max_value(),
                },
            });
        }
        if self.framing == FramingMode::SeedJson {
            // the header grows with the digits of the size: the largest message has the longest
            let header = crate::framing::SeedJsonCodec::header_json(w.size_max as usize).len() as u32;
            if header > self.max_frame_len {
                return Err(SettingError {
                    field: Setting::MaxFrame,
                    problem: SettingProblem::JsonHeaderLargerThanMaxFrame {
                        header,
                        size: w.size_max,
                        max: self.max_frame_len,
                    },
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(Experiment::default().validate(), Ok(()));
    }

    #[test]
    fn errors_name_field_and_range() {
        let mut e = Experiment::default();
        e.receiver.read_size = 0;
        let err = e.validate().unwrap_err();
        assert_eq!(err.field, Setting::ReadSize);
        assert_eq!(
            err.problem,
            SettingProblem::OutOfRange {
                value: 0,
                min: 1,
                max: 1_048_576
            }
        );

        let mut e = Experiment::default();
        e.workload.size_min = 50;
        e.workload.size_max = 10;
        assert_eq!(e.validate().unwrap_err().field, Setting::Size);

        let mut e = Experiment {
            transports: Transports::Udp,
            ..Experiment::default()
        };
        e.workload.size_max = 70_000;
        assert_eq!(
            e.validate().unwrap_err().problem,
            SettingProblem::TooBigForUdp {
                value: 70_000,
                ipv6: false
            }
        );
    }

    #[test]
    fn json_rejects_unknown_fields() {
        let err = serde_json::from_str::<Experiment>(r#"{"nagel": true}"#).unwrap_err();
        assert!(err.to_string().contains("nagel"), "{err}");
    }
}
