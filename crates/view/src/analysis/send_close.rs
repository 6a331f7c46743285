//! The model's part of the course's last two lessons (issue 32): the bytes a program never
//! sent because it ignored `send()`'s count, the closing handshake as captured, and what the
//! socket table and a second `bind()` said after the server closed first.

use crate::facts::{BindWhen, ControlKind, MsgId, OsError, Side, TableEntry, TcpState};

use super::Model;

/// Closing packets kept: a close is four packets (two FINs, two ACKs), a few more if one is
/// sent again; nothing after the first few says more.
pub const MAX_CLOSING: usize = 8;

/// Bytes of message `msg` that a `send()` did not take and the program never sent: drawn on
/// the send lane at `offset`, where the stream went on without them (they have no offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NeverSentRec {
    pub at_us: u64,
    pub msg: MsgId,
    pub offset: u64,
    pub len: u32,
}

/// One packet of the closing handshake: a FIN, or an ACK sent after a FIN was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClosingRec {
    pub at_us: u64,
    /// [`Side::TcpSender`] = the client, [`Side::TcpReceiver`] = the server.
    pub from: Side,
    pub fin: bool,
}

/// One end of the connection in the kernel's socket table after both closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRec {
    pub side: Side,
    pub local: String,
    pub remote: String,
    pub entry: TableEntry,
}

/// A second server's `bind()` to the port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindRec {
    pub at_us: u64,
    pub port: u16,
    pub reuse_addr: bool,
    pub when: BindWhen,
    pub error: Option<OsError>,
}

impl BindRec {
    /// Refused with `EADDRINUSE` (98 on Linux, 48 on macOS, `WSAEADDRINUSE` 10048 on Windows).
    pub fn address_in_use(&self) -> bool {
        self.error.as_ref().is_some_and(|e| e.kind == "AddrInUse")
    }
}

/// The address-in-use run's facts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RestartRec {
    pub table: Vec<TableRec>,
    pub binds: Vec<BindRec>,
}

impl RestartRec {
    /// The end in TIME_WAIT, if the table showed one.
    pub fn time_wait_side(&self) -> Option<Side> {
        self.table
            .iter()
            .find(|t| {
                t.entry
                    == TableEntry::Listed {
                        state: TcpState::TimeWait,
                    }
            })
            .map(|t| t.side)
    }

    /// The bind made right after the server closed.
    pub fn bind_after_close(&self) -> Option<&BindRec> {
        self.binds.iter().find(|b| b.when == BindWhen::AfterClose)
    }
}

impl Model {
    pub(super) fn never_sent_event(&mut self, at_us: u64, msg: MsgId, offset: u64, len: u32) {
        self.summary.never_sent_bytes += u64::from(len);
        if self.keep() {
            self.history.never_sent.push(NeverSentRec {
                at_us,
                msg,
                offset,
                len,
            });
        }
    }

    pub(super) fn table_event(&mut self, side: Side, local: &str, remote: &str, entry: &TableEntry) {
        self.restart.get_or_insert_with(Default::default).table.push(TableRec {
            side,
            local: local.to_string(),
            remote: remote.to_string(),
            entry: entry.clone(),
        });
    }

    pub(super) fn bind_event(&mut self, rec: BindRec) {
        self.restart.get_or_insert_with(Default::default).binds.push(rec);
    }

    /// A packet without data: a FIN either way, or an ACK once a FIN was seen.
    pub(super) fn closing_packet(&mut self, at_us: u64, from: Side, kind: Option<ControlKind>, fin: bool) {
        let fin = fin || kind == Some(ControlKind::Fin);
        let ack_after_fin = !fin && !self.history.closing.is_empty() && kind.is_none_or(|k| k == ControlKind::Ack);
        if (fin || ack_after_fin) && self.history.closing.len() < MAX_CLOSING {
            self.history.closing.push(ClosingRec { at_us, from, fin });
        }
    }
}
