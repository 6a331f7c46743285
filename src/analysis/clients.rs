//! `listen`'s list of clients: one report per connection, each kept apart from the streams.

use crate::engine::{ClientOutcome, Side};

use super::{Model, Problem, ProblemKind};

/// How one external client's connection went (see [`crate::engine::Event::Client`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRec {
    pub at_us: u64,
    pub peer: String,
    /// 0 = the main timeline, k ≥ 1 = connection k; none if its stream was not drawn.
    pub lane: Option<u32>,
    pub bytes: u64,
    pub frames: u32,
    pub outcome: ClientOutcome,
}

/// Client reports kept (and shown as problems) at most; a port scan of thousands of connections
/// is still counted exactly in [`Model::clients_total`].
pub const MAX_CLIENT_RECS: usize = 1000;

impl Model {
    pub(super) fn add_client(&mut self, c: ClientRec) {
        self.clients_total += 1;
        self.clients_served += u64::from(c.outcome == ClientOutcome::Served);
        if self.clients.len() >= MAX_CLIENT_RECS {
            return;
        }
        // Anything but "served" is for the user to read, next to the run's other problems.
        if c.outcome != ClientOutcome::Served {
            self.problems.push(Problem { side: Side::TcpReceiver, kind: ProblemKind::Client(Box::new(c.clone())) });
        }
        self.clients.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Event;
    use crate::framing::DecodeError;

    fn client(peer: &str, outcome: ClientOutcome) -> Event {
        Event::Client { at_us: 1, peer: peer.into(), lane: None, bytes: 0, frames: 0, outcome }
    }

    #[test]
    fn clients_not_served_are_problems_and_counts_stay_exact_past_the_cap() {
        let mut m = Model::default();
        m.apply(&client("127.0.0.1:1", ClientOutcome::Served));
        m.apply(&client("127.0.0.1:2", ClientOutcome::Dropped { error: DecodeError::TooLong { offset: 0, len: 1 << 32, max: 8, field: Default::default(), swapped: None } }));
        assert_eq!((m.clients_total, m.clients_served, m.clients.len()), (2, 1, 2));
        assert!(matches!(m.problems.as_slice(), [Problem { kind: ProblemKind::Client(c), .. }] if c.peer == "127.0.0.1:2"));
        for k in 0..2 * MAX_CLIENT_RECS {
            m.apply(&client(&format!("127.0.0.1:{}", 10 + k), ClientOutcome::SentNothing));
        }
        assert_eq!(m.clients.len(), MAX_CLIENT_RECS);
        assert_eq!(m.clients_total, 2 + 2 * MAX_CLIENT_RECS as u64);
        assert!(m.problems.len() <= MAX_CLIENT_RECS);
    }
}
