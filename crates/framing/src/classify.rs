//! Streaming read/message classification: exact counts without keeping history.
//!
//! Messages and reads each cut the same byte stream. With `W` the message ends and `R` the read
//! ends (both increasing), walking the two lists in order decides everything:
//!
//! ```text
//!  stream   |m0----|m1--------|m2--|        W = 6, 16, 21
//!  reads    |r0-------|r1----------|        R = 10, 21
//!           r0 holds a message end inside (6): merged      粘包
//!           m1 holds a read end inside (10): split          半包
//!           21 is in both lists: r1 ends on a boundary
//! ```
//!
//! A read is **merged** when a message end lies strictly inside it, **exact** when it starts and
//! ends on message boundaries with none inside; a message is **split** when a read end lies
//! strictly inside it. A point is decided once the other list has reached it (or ended), so only
//! the not-yet-decided ends are kept.

use std::collections::VecDeque;

/// The classification counts, exact at every moment for what has been decided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub merged_reads: u64,
    pub exact_reads: u64,
    pub split_messages: u64,
}

#[derive(Clone, Debug)]
pub struct Classifier {
    msg_ends: VecDeque<u64>,
    read_ends: VecDeque<u64>,
    last_msg_end: u64,
    last_read_end: u64,
    /// No more messages will come (the sender ended).
    msgs_closed: bool,
    /// No more reads will come (the receiver ended).
    reads_closed: bool,
    read_has_inner_msg_end: bool,
    read_starts_on_boundary: bool,
    msg_has_inner_read_end: bool,
    pub counts: Counts,
}

impl Default for Classifier {
    fn default() -> Self {
        Self {
            msg_ends: VecDeque::new(),
            read_ends: VecDeque::new(),
            last_msg_end: 0,
            last_read_end: 0,
            msgs_closed: false,
            reads_closed: false,
            read_has_inner_msg_end: false,
            read_starts_on_boundary: true,
            msg_has_inner_read_end: false,
            counts: Counts::default(),
        }
    }
}

impl Classifier {
    /// A message ends at `end`. Empty messages add no boundary: they overlap no read.
    pub fn message_end(&mut self, end: u64) {
        if end > self.last_msg_end {
            self.last_msg_end = end;
            self.msg_ends.push_back(end);
            self.advance();
        }
    }

    pub fn read_end(&mut self, end: u64) {
        if end > self.last_read_end {
            self.last_read_end = end;
            self.read_ends.push_back(end);
            self.advance();
        }
    }

    pub fn close_messages(&mut self) {
        self.msgs_closed = true;
        self.advance();
    }

    pub fn close_reads(&mut self) {
        self.reads_closed = true;
        self.advance();
    }

    fn advance(&mut self) {
        loop {
            match (self.msg_ends.front().copied(), self.read_ends.front().copied()) {
                (Some(w), Some(r)) if w < r => self.pass_message_end(),
                (Some(w), Some(r)) if r < w => self.pass_read_end(),
                (Some(_), Some(_)) => {
                    // A read ends exactly where a message ends.
                    self.msg_ends.pop_front();
                    self.read_ends.pop_front();
                    self.finish_message();
                    self.finish_read(true);
                }
                // A read end past every message: only decided once no message can come.
                (None, Some(_)) if self.msgs_closed => self.pass_read_end(),
                (Some(_), None) if self.reads_closed => {
                    // Never read to the end (the run stopped): undecided, not split.
                    self.msg_ends.clear();
                }
                _ => return,
            }
        }
    }

    fn pass_message_end(&mut self) {
        self.msg_ends.pop_front();
        self.read_has_inner_msg_end = true;
        self.finish_message();
    }

    fn pass_read_end(&mut self) {
        self.read_ends.pop_front();
        self.msg_has_inner_read_end = true;
        self.finish_read(false);
    }

    fn finish_message(&mut self) {
        if self.msg_has_inner_read_end {
            self.counts.split_messages += 1;
        }
        self.msg_has_inner_read_end = false;
    }

    fn finish_read(&mut self, ends_on_boundary: bool) {
        if self.read_has_inner_msg_end {
            self.counts.merged_reads += 1;
        } else if ends_on_boundary && self.read_starts_on_boundary {
            self.counts.exact_reads += 1;
        }
        self.read_has_inner_msg_end = false;
        self.read_starts_on_boundary = ends_on_boundary;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(msgs: &[u64], reads: &[u64]) -> Counts {
        let mut c = Classifier::default();
        for &m in msgs {
            c.message_end(m);
        }
        for &r in reads {
            c.read_end(r);
        }
        c.close_messages();
        c.close_reads();
        c.counts
    }

    #[test]
    fn the_diagram() {
        assert_eq!(
            classify(&[6, 16, 21], &[10, 21]),
            Counts {
                merged_reads: 2,
                exact_reads: 0,
                split_messages: 1
            }
        );
    }

    #[test]
    fn one_read_per_message_is_exact() {
        assert_eq!(
            classify(&[5, 10, 15], &[5, 10, 15]),
            Counts {
                merged_reads: 0,
                exact_reads: 3,
                split_messages: 0
            }
        );
    }

    #[test]
    fn slow_reader_merges_everything() {
        assert_eq!(
            classify(&[5, 10, 15], &[15]),
            Counts {
                merged_reads: 1,
                exact_reads: 0,
                split_messages: 0
            }
        );
    }

    #[test]
    fn big_message_split_over_reads() {
        assert_eq!(
            classify(&[3000], &[1024, 2048, 3000]),
            Counts {
                merged_reads: 0,
                exact_reads: 0,
                split_messages: 1
            }
        );
    }

    #[test]
    fn order_of_arrival_does_not_matter() {
        let mut c = Classifier::default();
        for r in [10, 21] {
            c.read_end(r);
        }
        for m in [6, 16, 21] {
            c.message_end(m);
        }
        c.close_reads();
        c.close_messages();
        assert_eq!(c.counts, classify(&[6, 16, 21], &[10, 21]));
    }

    #[test]
    fn undecided_until_the_other_side_catches_up() {
        let mut c = Classifier::default();
        c.message_end(5);
        c.message_end(10);
        assert_eq!(c.counts, Counts::default());
        c.read_end(10);
        assert_eq!(c.counts.merged_reads, 1);
    }
}
