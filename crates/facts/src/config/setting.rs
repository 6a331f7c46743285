//! One type for every setting a user can type: its flag, the values it allows and the keys of
//! its label and help. The command line parses and helps with it, the window labels its boxes
//! and places its errors with it, and a validation error names it, so no setting is identified
//! by a string that must be spelt the same in three places.

use crate::framing::MAX_MAX_FRAME_LEN;
use crate::i18n::{tf, Lang, S};

use super::{
    MAX_CONNECTIONS, MAX_DELAY_US, MAX_IDLE_MS, MAX_LISTEN_CLIENTS, MAX_MESSAGES, MAX_MESSAGE_SIZE, MAX_MSS,
    MAX_READ_SIZE, MAX_SOCKET_BUFFER, MIN_MSS,
};

/// A setting of an experiment or of `listen`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Setting {
    Count,
    /// Payload size: `size_min` and `size_max` together (`N` or `A-B`).
    Size,
    Gap,
    ChunkGap,
    Burst,
    BurstGap,
    Nagle,
    Cork,
    SndBuf,
    /// How a message is cut into `send()`s; its chunk size is the number it may be refused for.
    Split,
    ReadSize,
    RcvBuf,
    StartDelay,
    ReadDelay,
    Framing,
    MaxFrame,
    /// Width of the length prefix of `u32` and `naive-u32`: 1, 2, 4 or 8 bytes.
    LengthBytes,
    /// Byte order of that prefix.
    LengthOrder,
    UdpReadSize,
    UdpRcvBuf,
    UdpStartDelay,
    ClientReads,
    ClientReadSize,
    ReplySize,
    Connections,
    IdleMs,
    ListenClients,
    /// `TCP_MAXSEG` on both ends.
    Mss,
    /// The shaped link (`mtu=…,rate=…,queue=…`): a text whose fields have ranges of their own.
    Link,
    /// `sendall()`, or `send()` with its count ignored.
    SendCall,
    /// `SO_REUSEADDR` on the address-in-use lesson's servers.
    ReuseAddr,
}

impl Setting {
    pub const ALL: [Setting; 31] = [
        Self::Count,
        Self::Size,
        Self::Gap,
        Self::ChunkGap,
        Self::Burst,
        Self::BurstGap,
        Self::Nagle,
        Self::Cork,
        Self::SndBuf,
        Self::Split,
        Self::ReadSize,
        Self::RcvBuf,
        Self::StartDelay,
        Self::ReadDelay,
        Self::Framing,
        Self::MaxFrame,
        Self::LengthBytes,
        Self::LengthOrder,
        Self::UdpReadSize,
        Self::UdpRcvBuf,
        Self::UdpStartDelay,
        Self::ClientReads,
        Self::ClientReadSize,
        Self::ReplySize,
        Self::Connections,
        Self::IdleMs,
        Self::ListenClients,
        Self::Mss,
        Self::Link,
        Self::SendCall,
        Self::ReuseAddr,
    ];

    /// The command-line flag, without `--`.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Count => "count",
            Self::Size => "size",
            Self::Gap => "gap-us",
            Self::ChunkGap => "chunk-gap-us",
            Self::Burst => "burst",
            Self::BurstGap => "burst-gap-us",
            Self::Nagle => "nagle",
            Self::Cork => "cork",
            Self::SndBuf => "sndbuf",
            Self::Split => "split",
            Self::ReadSize => "read-size",
            Self::RcvBuf => "rcvbuf",
            Self::StartDelay => "start-delay-ms",
            Self::ReadDelay => "read-delay-ms",
            Self::Framing => "framing",
            Self::MaxFrame => "max-frame",
            Self::LengthBytes => "length-bytes",
            Self::LengthOrder => "length-order",
            Self::UdpReadSize => "udp-read-size",
            Self::UdpRcvBuf => "udp-rcvbuf",
            Self::UdpStartDelay => "udp-start-delay-ms",
            Self::ClientReads => "client-reads",
            Self::ClientReadSize => "client-read-size",
            Self::ReplySize => "reply-size",
            Self::Connections => "connections",
            Self::IdleMs => "idle-ms",
            Self::ListenClients => "clients",
            Self::Mss => "mss",
            Self::Link => "link",
            Self::SendCall => "send-call",
            Self::ReuseAddr => "reuse-addr",
        }
    }

    /// The setting a flag sets, if it sets one.
    pub fn from_flag(flag: &str) -> Option<Setting> {
        Self::ALL.into_iter().find(|s| s.flag() == flag)
    }

    /// The numbers the setting allows, inclusive; `None` for a choice among names.
    pub fn range(self) -> Option<(u64, u64)> {
        let ms = MAX_DELAY_US / 1000;
        Some(match self {
            Self::Count => (1, MAX_MESSAGES.into()),
            Self::Burst => (0, MAX_MESSAGES.into()),
            Self::Size => (0, MAX_MESSAGE_SIZE.into()),
            Self::Split | Self::ReplySize => (1, MAX_MESSAGE_SIZE.into()),
            Self::Gap | Self::ChunkGap | Self::BurstGap => (0, MAX_DELAY_US),
            Self::StartDelay | Self::ReadDelay | Self::UdpStartDelay => (0, ms),
            Self::ReadSize | Self::UdpReadSize | Self::ClientReadSize => (1, MAX_READ_SIZE.into()),
            Self::SndBuf | Self::RcvBuf | Self::UdpRcvBuf => (1, MAX_SOCKET_BUFFER.into()),
            Self::MaxFrame => (1, MAX_MAX_FRAME_LEN.into()),
            Self::Connections => (1, MAX_CONNECTIONS.into()),
            Self::IdleMs => (1, MAX_IDLE_MS),
            Self::ListenClients => (0, MAX_LISTEN_CLIENTS.into()),
            Self::Mss => (MIN_MSS.into(), MAX_MSS.into()),
            // the prefix widths are four values, not a range: `validate_length_prefix` checks them
            Self::Nagle
            | Self::Cork
            | Self::Framing
            | Self::ClientReads
            | Self::LengthBytes
            | Self::LengthOrder
            | Self::Link
            | Self::SendCall
            | Self::ReuseAddr => return None,
        })
    }

    /// The values a setting allows, as its errors print them ("1 to 1,048,576"): the limits
    /// [`Setting::range`] gives the `validate_*` functions, for a value that is not a number.
    pub fn allowed(self, lang: Lang) -> String {
        let numbers = self
            .range()
            .map(|(min, max)| crate::i18n::range_text(lang, min, max))
            .unwrap_or_default();
        match self {
            Self::Size => tf(lang, S::AllowedSize, &[("range", &numbers)]),
            Self::Split => tf(lang, S::AllowedSplit, &[("range", &numbers)]),
            Self::Nagle => "on, off".to_owned(),
            Self::Cork => "on".to_owned(),
            Self::Framing => crate::framing::FramingMode::ALL.map(|m| m.name()).join(", "),
            Self::ClientReads => "whole, once".to_owned(),
            Self::LengthBytes => crate::framing::LengthPrefix::WIDTHS.map(|w| w.to_string()).join(", "),
            Self::LengthOrder => "big, little".to_owned(),
            Self::Link => tf(lang, S::AllowedLink, &[]),
            Self::SendCall => super::SendCall::ALL.map(|c| c.name()).join(", "),
            Self::ReuseAddr => "on, off".to_owned(),
            _ => numbers,
        }
    }

    /// The key of its label in the window (and of its name in a window's error).
    pub fn label(self) -> S {
        match self {
            Self::Count => S::Messages,
            Self::Size => S::Size,
            Self::Gap => S::Gap,
            Self::ChunkGap => S::LabelChunkGap,
            Self::Burst => S::LabelBurst,
            Self::BurstGap => S::LabelBurstGap,
            Self::Nagle => S::Nagle,
            Self::Cork => S::Cork,
            Self::SndBuf => S::SndBuf,
            Self::Split => S::Split,
            Self::ReadSize => S::ReadSize,
            Self::RcvBuf => S::RcvBuf,
            Self::StartDelay => S::StartDelay,
            Self::ReadDelay => S::ReadDelay,
            Self::Framing => S::Framing,
            Self::MaxFrame => S::MaxFrame,
            Self::LengthBytes | Self::LengthOrder => S::LengthPrefix,
            Self::UdpReadSize => S::UdpReadSize,
            Self::UdpRcvBuf => S::UdpRcvBuf,
            Self::UdpStartDelay => S::UdpStartDelay,
            Self::ClientReads => S::LabelClientReads,
            Self::ClientReadSize => S::LabelClientReadSize,
            Self::ReplySize => S::LabelReplySize,
            Self::Connections => S::LabelConnections,
            Self::IdleMs => S::LabelIdleMs,
            Self::ListenClients => S::LabelListenClients,
            Self::Mss => S::LabelMss,
            Self::Link => S::LabelLink,
            Self::SendCall => S::LabelSendCall,
            Self::ReuseAddr => S::LabelReuseAddr,
        }
    }

    /// The key of its command-line help (both languages are in the one table).
    pub fn help(self) -> S {
        match self {
            Self::Count => S::HelpCount,
            Self::Size => S::HelpSize,
            Self::Gap => S::HelpGap,
            Self::ChunkGap => S::HelpChunkGap,
            Self::Burst => S::HelpBurst,
            Self::BurstGap => S::HelpBurstGap,
            Self::Nagle => S::HelpNagle,
            Self::Cork => S::HelpCork,
            Self::SndBuf => S::HelpSndBuf,
            Self::Split => S::HelpSplit,
            Self::ReadSize => S::HelpReadSize,
            Self::RcvBuf => S::HelpRcvBuf,
            Self::StartDelay => S::HelpStartDelay,
            Self::ReadDelay => S::HelpReadDelay,
            Self::Framing => S::HelpFraming,
            Self::MaxFrame => S::HelpMaxFrame,
            Self::LengthBytes => S::HelpLengthBytes,
            Self::LengthOrder => S::HelpLengthOrder,
            Self::UdpReadSize => S::HelpUdpReadSize,
            Self::UdpRcvBuf => S::HelpUdpRcvBuf,
            Self::UdpStartDelay => S::HelpUdpStartDelay,
            Self::ClientReads => S::HelpClientReads,
            Self::ClientReadSize => S::HelpClientReadSize,
            Self::ReplySize => S::HelpReplySize,
            Self::Connections => S::HelpConnections,
            Self::IdleMs => S::HelpIdleMs,
            Self::ListenClients => S::HelpListenClients,
            Self::Mss => S::HelpMss,
            Self::Link => S::HelpLink,
            Self::SendCall => S::HelpSendCall,
            Self::ReuseAddr => S::HelpReuseAddr,
        }
    }
}
