//! Facts of the address-in-use run (issue 32): what the kernel's socket table said about each
//! end after `close()`, and what a second server's `bind()` to the same port returned.

use serde::{Deserialize, Serialize};

use super::fact::OsError;

/// A TCP state as the kernel's socket table names it (`/proc/net/tcp`'s `st` column,
/// `include/net/tcp_states.h`; `ss` shows the same names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TcpState {
    Established,
    SynSent,
    SynRecv,
    /// Sent its FIN, waiting for the ACK of it.
    FinWait1,
    /// Its FIN was acknowledged; waiting for the peer's FIN.
    FinWait2,
    /// Closed first, and the peer's FIN came and was acknowledged: the socket stays (about 60 s
    /// on Linux) so that late segments of this connection die with it and the last ACK can be
    /// sent again; its port stays in use meanwhile.
    TimeWait,
    Close,
    /// The peer closed first; this end has not closed yet.
    CloseWait,
    /// Closed second: its FIN is waiting for the last ACK.
    LastAck,
    Listen,
    /// Both ends sent a FIN at once.
    Closing,
}

impl TcpState {
    /// The `st` column's number (hex in the file).
    pub fn from_code(code: u8) -> Option<TcpState> {
        Some(match code {
            0x01 => Self::Established,
            0x02 => Self::SynSent,
            0x03 => Self::SynRecv,
            0x04 => Self::FinWait1,
            0x05 => Self::FinWait2,
            0x06 => Self::TimeWait,
            0x07 => Self::Close,
            0x08 => Self::CloseWait,
            0x09 => Self::LastAck,
            0x0A => Self::Listen,
            0x0B => Self::Closing,
            _ => return None,
        })
    }

    /// The kernel's (and `ss`'s) name: `TIME_WAIT`, …; the same in every language.
    pub fn name(self) -> &'static str {
        match self {
            Self::Established => "ESTABLISHED",
            Self::SynSent => "SYN_SENT",
            Self::SynRecv => "SYN_RECV",
            Self::FinWait1 => "FIN_WAIT1",
            Self::FinWait2 => "FIN_WAIT2",
            Self::TimeWait => "TIME_WAIT",
            Self::Close => "CLOSE",
            Self::CloseWait => "CLOSE_WAIT",
            Self::LastAck => "LAST_ACK",
            Self::Listen => "LISTEN",
            Self::Closing => "CLOSING",
        }
    }
}

/// What the socket table said about one end of the connection after both had closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "table")]
pub enum TableEntry {
    /// Listed, in this state.
    Listed { state: TcpState },
    /// Not listed: the socket is gone (closed second, its last ACK came).
    Gone,
    /// The table could not be read (`/proc/net/tcp`).
    Unreadable { error: OsError },
    /// Not Linux: no `/proc/net/tcp` here (macOS' `netstat -p tcp` and Windows' `netstat -an`
    /// list TIME_WAIT too, but the app does not read them).
    NotLinux,
}

/// When the second server tried to bind the port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BindWhen {
    /// While the first server still listened on it: refused whatever `SO_REUSEADDR` says.
    WhileListening,
    /// Right after the first server closed (its connection's end in TIME_WAIT).
    AfterClose,
}
