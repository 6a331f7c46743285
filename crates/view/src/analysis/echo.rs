//! The second direction of a request/response run: the reply stream and per-request latency.

use super::Model;

/// Latency at or above which a request counts as stalled: Linux's delayed ACK is at least
/// 40 ms, a loopback round trip without it tens of µs; 20 ms is far from both.
pub const STALL_US: u64 = 20_000;

/// One request's round trip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoundRec {
    pub index: u32,
    pub at_us: u64,
    /// From the request's first write to the end of its reply read(s).
    pub latency_us: u64,
    pub request_len: u32,
    pub reply_len: u32,
}

/// What a request/response run adds to the [`Model`].
#[derive(Clone, Debug, Default)]
pub struct EchoModel {
    /// The reply stream (server to client), folded like the request stream: replies are its
    /// messages, the server's sends its writes, the client's recv()s its reads.
    pub replies: Model,
    pub rounds: Vec<RoundRec>,
    /// many-clients: connections 1..N, each folded into its own model (connection 0 is the
    /// main model); index `k - 1` holds connection `k`.
    pub connections: Vec<Model>,
}

/// Records kept per extra connection (many-clients, `listen`'s class): about 1.6 MiB of
/// history at 32 B a record (plus the first 1 MiB of its bytes), so 128 `listen` lanes stay
/// near 330 MiB at worst; counts stay exact past it. A 64 × 1,000-frame class keeps every
/// record (about 3,000 per client).
pub const CONNECTION_HISTORY_CAP: usize = 50_000;

/// Rounds kept at most; a request/response run of more than this is a benchmark, not a lesson.
const MAX_ROUNDS: usize = 1_000_000;

impl EchoModel {
    pub(super) fn push_round(&mut self, r: RoundRec) {
        if self.rounds.len() < MAX_ROUNDS {
            self.rounds.push(r);
        }
    }

    /// The model of connection `conn` ≥ 1, created on first sight (bounded by the engine's
    /// connection and `listen` lane limits; a larger number from a hand-edited recording is ignored).
    pub(super) fn connection(&mut self, conn: u32) -> Option<&mut Model> {
        let k = conn.checked_sub(1)? as usize;
        if k >= crate::config::MAX_CONNECTIONS.max(crate::config::MAX_LISTEN_LANES) as usize {
            return None;
        }
        if self.connections.len() <= k {
            self.connections
                .resize_with(k + 1, || Model::with_cap(CONNECTION_HISTORY_CAP));
        }
        self.connections.get_mut(k)
    }

    /// The median latency in µs (the upper one of an even count), if any request completed.
    pub fn median_latency_us(&self) -> Option<u64> {
        let mut v: Vec<u64> = self.rounds.iter().map(|r| r.latency_us).collect();
        v.sort_unstable();
        v.get(v.len() / 2).copied()
    }

    pub fn max_latency_us(&self) -> Option<u64> {
        self.rounds.iter().map(|r| r.latency_us).max()
    }

    pub fn min_latency_us(&self) -> Option<u64> {
        self.rounds.iter().map(|r| r.latency_us).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Event, MsgId, StreamOffset};

    #[test]
    fn reply_events_fold_into_their_own_axis_and_rounds_give_a_median() {
        let mut m = Model::default();
        let reply = |event| Event::Reply { event: Box::new(event) };
        m.apply(&reply(Event::Message {
            at_us: 1,
            msg: MsgId(0),
            offset: StreamOffset(0),
            len: 10,
            header_len: 0,
        }));
        m.apply(&reply(Event::Read {
            start_us: None,
            at_us: 2,
            offset: StreamOffset(0),
            len: 10,
            requested: 1024,
        }));
        for (i, lat) in [40_000, 100, 44_000].into_iter().enumerate() {
            m.apply(&Event::Round {
                at_us: 3,
                index: i as u32,
                latency_us: lat,
                request_len: 100,
                reply_len: 8,
            });
        }
        let echo = m.echo.as_deref().expect("echo part");
        assert_eq!(echo.replies.summary.messages, 1);
        assert_eq!(echo.replies.summary.reads, 1);
        assert_eq!(m.summary.messages, 0, "reply events stay off the request axis");
        assert_eq!(echo.median_latency_us(), Some(40_000));
    }
}
