//! Hands events from a worker thread to the app in batches.
//!
//! One channel send per event costs 40–90 ns and cut a 1 KiB-read transfer's throughput by
//! 15–32% here (design.md §6); a bounded channel with `try_send` silently lost 4–28% of events.
//! So each thread fills a `Vec` and sends it every `BATCH_EVENTS` events or `BATCH_US`
//! microseconds: nothing is ever dropped, and the app bounds what it keeps (see
//! `analysis::Model`).
//!
//! The channel itself is bounded too ([`QUEUE_BATCHES`] batches): an unbounded one let the
//! window's process grow by ~370 MB a second when the engine made events faster than the
//! window folded them (issue 17). When the queue is full the thread waits for room rather
//! than drop a batch, and that wait is not hidden: it becomes an [`Event::QueueWait`] (when it
//! began, how long), counted in the summary and shown next to the numbers, because during it
//! the experiment ran at the app's pace, not the kernel's.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Sender, TrySendError};

use super::event::{Event, StreamOffset};

const BATCH_EVENTS: usize = 512;
const BATCH_US: u64 = 2_000;
/// Batches the queue between the engine's threads and the app holds before a thread waits:
/// at most 256 × 512 = 131,072 events in flight (about 23 MB: `Event` is 176 bytes, plus the
/// received bytes' and packet headers' heap).
pub const QUEUE_BATCHES: usize = 256;

/// A function that wakes the UI (egui's `request_repaint`); the engine knows nothing more of it.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// The run's single clock: every thread measures from the same origin, and so does the kernel.
///
/// It reads `CLOCK_REALTIME` (`SystemTime`), not the monotonic clock, because the kernel stamps
/// captured packets (`SO_TIMESTAMPNS`) on `CLOCK_REALTIME`: a segment's time and a `send()`'s
/// time can only be compared if both come from that one clock. A wall-clock step during a run
/// (NTP) would shift later stamps; times before the origin are clamped to 0, never negative.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    /// `CLOCK_REALTIME` at the run's start, ns since the Unix epoch.
    origin_unix_ns: u128,
}

impl Clock {
    pub fn start() -> Self {
        Self {
            origin_unix_ns: unix_now_ns(),
        }
    }

    /// The clock whose origin is `origin_unix_ns` (ns since the Unix epoch): another process's
    /// run clock, handed over so both stamp on one axis.
    pub fn with_origin(origin_unix_ns: u128) -> Self {
        Self { origin_unix_ns }
    }

    /// Its origin, ns since the Unix epoch.
    pub fn origin_unix_ns(&self) -> u128 {
        self.origin_unix_ns
    }

    pub fn now_us(&self) -> u64 {
        self.us_at_unix_ns(unix_now_ns())
    }

    /// A `CLOCK_REALTIME` time (ns since the epoch, e.g. a kernel packet stamp) on this clock.
    pub fn us_at_unix_ns(&self, unix_ns: u128) -> u64 {
        (unix_ns.saturating_sub(self.origin_unix_ns) / 1_000) as u64
    }

    /// A time on this clock as µs since the Unix epoch (what pcapng and Wireshark show).
    pub fn unix_us(&self, at_us: u64) -> u64 {
        (self.origin_unix_ns / 1_000) as u64 + at_us
    }
}

fn unix_now_ns() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// A per-thread batcher of events.
pub struct EventSink {
    tx: Sender<Vec<Event>>,
    wake: Option<Wake>,
    batch: Vec<Event>,
    last_flush_us: u64,
    /// Received bytes gathered into one `Bytes` event per batch.
    bytes: Vec<u8>,
    bytes_from: StreamOffset,
    pub clock: Clock,
    /// Set for the threads of connection `n` ≥ 1 of a many-clients run: every event is
    /// wrapped in [`Event::Conn`] so each connection keeps its own byte axis.
    conn: Option<u32>,
}

impl EventSink {
    pub fn new(tx: Sender<Vec<Event>>, wake: Option<Wake>, clock: Clock) -> Self {
        Self {
            tx,
            wake,
            batch: Vec::with_capacity(BATCH_EVENTS),
            last_flush_us: 0,
            bytes: Vec::new(),
            bytes_from: StreamOffset(0),
            clock,
            conn: None,
        }
    }

    pub fn now_us(&self) -> u64 {
        self.clock.now_us()
    }

    /// A new, untagged sink on the same channel and clock, for a thread started later by a
    /// worker (the `listen` server's thread per client).
    pub fn sibling(&self) -> EventSink {
        EventSink::new(self.tx.clone(), self.wake.clone(), self.clock)
    }

    /// A sink whose events go nowhere, on the same clock: for a client that gets no timeline
    /// lane (its report still goes through a real sink).
    pub fn discarding(&self) -> EventSink {
        let (tx, _nobody_listens) = crossbeam_channel::bounded(1);
        EventSink::new(tx, None, self.clock)
    }

    /// Tags every later event as belonging to connection `conn` (see [`Event::Conn`]).
    pub fn for_connection(mut self, conn: u32) -> Self {
        self.conn = Some(conn);
        self
    }

    fn tagged(&self, event: Event) -> Event {
        match self.conn {
            Some(conn) => Event::Conn {
                conn,
                event: Box::new(event),
            },
            None => event,
        }
    }

    /// Records an event; sends the batch when it is full or old.
    pub fn push(&mut self, event: Event) {
        let event = self.tagged(event);
        let at = event.at_us();
        self.batch.push(event);
        let old = at.is_some_and(|t| t.saturating_sub(self.last_flush_us) >= BATCH_US);
        if self.batch.len() >= BATCH_EVENTS || old {
            self.flush();
        }
    }

    /// Keeps received bytes (contiguous with the previous ones) for the inspector.
    pub fn push_bytes(&mut self, offset: StreamOffset, data: &[u8]) {
        if self.bytes.is_empty() {
            self.bytes_from = offset;
        }
        self.bytes.extend_from_slice(data);
    }

    /// Sleeps `d` unless Stop comes first (see [`super::sleep_unless_stopped`]); a pause long
    /// enough to notice sends the batch first, so the window shows what happened before it
    /// instead of holding it until the thread wakes (a reader that sleeps 10 s between reads
    /// would otherwise keep its first read to itself for 10 s).
    pub fn pause(&mut self, d: Duration, stop: &AtomicBool) -> bool {
        if d.as_micros() >= u128::from(BATCH_US) {
            self.flush();
        }
        super::sleep_unless_stopped(d, stop)
    }

    /// Sends what is batched. A closed channel means nobody listens any more; the run goes on
    /// and stops at the next stop check, so the error is not worth more than ignoring the batch.
    pub fn flush(&mut self) {
        if !self.bytes.is_empty() {
            let data = std::mem::take(&mut self.bytes);
            let event = self.tagged(Event::Bytes {
                offset: self.bytes_from,
                data,
            });
            self.batch.push(event);
        }
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_EVENTS));
        self.last_flush_us = self.clock.now_us();
        let sent = match self.tx.try_send(batch) {
            Ok(()) => true,
            Err(TrySendError::Disconnected(_)) => false,
            Err(TrySendError::Full(batch)) => {
                // The consumer lags: wake it, wait for room, and record the wait (untagged:
                // it is the run's, whichever connection's thread waited).
                if let Some(wake) = &self.wake {
                    wake();
                }
                let at_us = self.clock.now_us();
                let began = Instant::now();
                let sent = self.tx.send(batch).is_ok();
                let waited_us = began.elapsed().as_micros() as u64;
                self.batch.push(Event::QueueWait { at_us, waited_us });
                sent
            }
        };
        if sent {
            if let Some(wake) = &self.wake {
                wake();
            }
        }
    }
}

impl Drop for EventSink {
    fn drop(&mut self) {
        self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The queue's bound in bytes is [`QUEUE_BATCHES`] × [`BATCH_EVENTS`] × this (plus the
    /// heap of `Bytes` and packet headers): keep the figure in the docs true.
    #[test]
    fn an_event_is_small_enough_for_the_stated_queue_bound() {
        let size = std::mem::size_of::<Event>();
        assert!(size <= 176, "Event is {size} bytes");
    }
}
