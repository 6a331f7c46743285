//! `listen`'s list of clients: one report per connection, each kept apart from the streams.

use serde::{Deserialize, Serialize};

use crate::facts::{CaptureUnavailable, ClientOutcome, ReadCuts, Side};

use super::{Model, Problem, ProblemKind};

/// How one external client's connection went (see [`crate::facts::Event::Client`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRec {
    pub at_us: u64,
    pub peer: String,
    /// 0 = the main timeline, k ≥ 1 = connection k; none if its stream was not drawn.
    pub lane: Option<u32>,
    pub bytes: u64,
    pub frames: u32,
    pub outcome: ClientOutcome,
    pub decode_errors: u32,
    /// How its reads cut its frames (none without framing, or from an older recording).
    pub cuts: Option<ReadCuts>,
}

/// Client reports kept (and shown as problems) at most; a port scan of thousands of connections
/// is still counted exactly in [`Model::clients_total`].
pub const MAX_CLIENT_RECS: usize = 1000;

/// One client of a `listen --tcp` class session: a row of the window's roster, a line of the
/// CLI's summary, an entry of the recording's `class`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub peer: String,
    /// Its timeline: 0 = the main one, k ≥ 1 = connection k; none when its stream was not
    /// recorded (it sent nothing, or came after `config::MAX_LISTEN_LANES`).
    pub lane: Option<u32>,
    pub bytes: u64,
    /// Frames decoded whole (an external client's frames are its messages: all intact).
    pub frames: u64,
    pub decode_errors: u64,
    /// How its reads cut its frames; none without framing (nothing to classify against).
    pub cuts: Option<ReadCuts>,
    /// How its connection ended; none while it is still connected.
    pub outcome: Option<ClientOutcome>,
}

/// A class session's totals, exact over every client (also past [`MAX_CLIENT_RECS`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassTotals {
    /// Clients whose connection ended, plus those still connected with a recorded stream.
    pub clients: u64,
    pub served: u64,
    pub connected_now: u64,
    pub bytes: u64,
    pub frames: u64,
    pub decode_errors: u64,
    pub reads: u64,
    pub merged_reads: u64,
    pub split_frames: u64,
}

impl ClassTotals {
    fn add(&mut self, r: &RosterRow) {
        self.clients += 1;
        self.served += u64::from(r.outcome == Some(ClientOutcome::Served));
        self.connected_now += u64::from(r.outcome.is_none());
        self.bytes += r.bytes;
        self.frames += r.frames;
        self.decode_errors += r.decode_errors;
        if let Some(c) = r.cuts {
            self.reads += c.reads;
            self.merged_reads += c.merged_reads;
            self.split_frames += c.split_frames;
        }
    }
}

/// The roster and its totals, as the recording keeps them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSession {
    pub totals: ClassTotals,
    pub clients: Vec<RosterRow>,
}

impl RosterRow {
    fn ended(c: &ClientRec) -> Self {
        Self {
            peer: c.peer.clone(),
            lane: c.lane,
            bytes: c.bytes,
            frames: c.frames.into(),
            decode_errors: c.decode_errors.into(),
            cuts: c.cuts,
            outcome: Some(c.outcome.clone()),
        }
    }

    /// A client still connected: what its recorded stream shows so far.
    fn live(lane: u32, m: &Model) -> Self {
        let s = &m.summary;
        let framed = s.frames > 0 || s.decode_errors > 0;
        Self {
            peer: m
                .connection
                .as_ref()
                .map_or_else(|| "?".into(), |(from, _)| from.clone()),
            lane: Some(lane),
            bytes: s.bytes_received,
            frames: s.frames,
            decode_errors: s.decode_errors,
            cuts: framed.then_some(ReadCuts {
                reads: s.reads,
                merged_reads: s.merged_reads,
                split_frames: s.split_messages,
            }),
            outcome: None,
        }
    }
}

impl Model {
    /// `listen --tcp`'s streams: lane 0 (this model) and connections 1.., each a model of its
    /// own; none in a loopback run.
    pub fn listen_lanes(&self) -> impl Iterator<Item = (u32, &Model)> {
        let listen = |m: &Model| m.segments_unavailable == Some(CaptureUnavailable::Listen) && m.connection.is_some();
        let main = listen(self).then_some((0, self));
        let conns = self
            .echo
            .iter()
            .flat_map(|e| e.connections.iter().enumerate())
            .filter(move |(_, m)| listen(m))
            .map(|(k, m)| (k as u32 + 1, m));
        main.into_iter().chain(conns)
    }

    /// The model of `listen` lane `lane` (0 = this one), if that stream was recorded.
    pub fn listen_lane(&self, lane: u32) -> Option<&Model> {
        self.listen_lanes().find(|(k, _)| *k == lane).map(|(_, m)| m)
    }

    /// `listen --tcp`'s roster: every client whose connection ended (the first
    /// [`MAX_CLIENT_RECS`]), in that order, then those still connected that sent bytes.
    pub fn roster(&self) -> Vec<RosterRow> {
        let ended: std::collections::HashSet<u32> = self.history.clients.iter().filter_map(|c| c.lane).collect();
        let mut rows: Vec<RosterRow> = self.history.clients.iter().map(RosterRow::ended).collect();
        rows.extend(
            self.listen_lanes()
                .filter(|(k, _)| !ended.contains(k))
                .map(|(k, m)| RosterRow::live(k, m)),
        );
        rows
    }

    /// The session's totals: every ended client (exact past the roster's cap) and the ones
    /// still connected.
    pub fn class_totals(&self) -> ClassTotals {
        let ended: std::collections::HashSet<u32> = self.history.clients.iter().filter_map(|c| c.lane).collect();
        let mut t = self.class_ended;
        for (k, m) in self.listen_lanes() {
            if !ended.contains(&k) {
                t.add(&RosterRow::live(k, m));
            }
        }
        t
    }

    /// The roster and totals, or none when no client came (a loopback run).
    pub fn class_session(&self) -> Option<ClassSession> {
        let totals = self.class_totals();
        (totals.clients > 0).then(|| ClassSession {
            totals,
            clients: self.roster(),
        })
    }

    pub(super) fn add_client(&mut self, c: ClientRec) {
        self.clients_total += 1;
        self.clients_served += u64::from(c.outcome == ClientOutcome::Served);
        self.class_ended.add(&RosterRow::ended(&c));
        if self.history.clients.len() >= MAX_CLIENT_RECS {
            return;
        }
        // Anything but "served" is for the user to read, next to the run's other problems.
        if c.outcome != ClientOutcome::Served {
            self.history.problems.push(Problem {
                side: Side::TcpReceiver,
                kind: ProblemKind::Client(Box::new(c.clone())),
            });
        }
        self.history.clients.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Event;
    use crate::framing::DecodeError;

    fn client(peer: &str, outcome: ClientOutcome) -> Event {
        Event::Client {
            at_us: 1,
            peer: peer.into(),
            lane: None,
            bytes: 0,
            frames: 0,
            outcome,
            decode_errors: 0,
            cuts: None,
        }
    }

    #[test]
    fn clients_not_served_are_problems_and_counts_stay_exact_past_the_cap() {
        let mut m = Model::default();
        m.apply(&client("127.0.0.1:1", ClientOutcome::Served));
        m.apply(&client(
            "127.0.0.1:2",
            ClientOutcome::Dropped {
                error: DecodeError::TooLong {
                    offset: 0,
                    len: 1 << 32,
                    max: 8,
                    field: Default::default(),
                    swapped: None,
                },
            },
        ));
        assert_eq!((m.clients_total, m.clients_served, m.clients().len()), (2, 1, 2));
        assert!(matches!(m.problems(), [Problem { kind: ProblemKind::Client(c), .. }] if c.peer == "127.0.0.1:2"));
        for k in 0..2 * MAX_CLIENT_RECS {
            m.apply(&client(&format!("127.0.0.1:{}", 10 + k), ClientOutcome::SentNothing));
        }
        assert_eq!(m.clients().len(), MAX_CLIENT_RECS);
        assert_eq!(m.clients_total, 2 + 2 * MAX_CLIENT_RECS as u64);
        assert!(m.problems().len() <= MAX_CLIENT_RECS);
    }
}
