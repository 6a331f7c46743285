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
