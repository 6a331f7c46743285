//! The engine: real sockets on 127.0.0.1, one thread per socket, events on one clock.
//!
//! [`Run::start`] validates the experiment, binds and connects the sockets (so a port or option
//! problem is an error right away, not an event later), and starts the threads: TCP sender,
//! TCP receiver, segment capture (when allowed), UDP sender and receiver. A supervisor thread
//! joins them all and then sends [`Event::Finished`]; after it the channel closes.

// Segment capture is Linux's (AF_PACKET); elsewhere the lane says why it is empty.
#[cfg_attr(not(target_os = "linux"), path = "capture_none.rs")]
mod capture;
#[cfg(target_os = "linux")]
mod capture_split;
pub mod echo;
pub mod handshake;
pub mod link;
mod many;
pub mod peer;
mod peer_common;
mod peer_listen;
mod peer_udp;
pub mod reply_cuts;
mod reply_io;
mod restart;
mod send_once;
pub mod sink;
pub mod sock;
pub mod sys;
pub mod tcp;
pub mod torture;
pub mod trace;
pub mod udp;
pub mod workload;

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, Sender};

// The facts this engine records and the settings it reads live below it, in
// `stickyviz_facts`; named here so every part of the engine reaches them the same way.
use stickyviz_facts::{config, event, fact, failure};
use stickyviz_facts::{CaptureUnavailable, Event, Fault, PanickedThread, Side, SockOpt};
use stickyviz_facts::{EngineError, SetupCall, SetupOpt, SocketRole};
use stickyviz_framing as framing;

use config::Experiment;

pub use sink::{Clock, EventSink, Wake};

/// `map_err(setup(SetupCall::Listen))`: a start-up socket call's error, saying which call.
pub(crate) fn setup(call: SetupCall) -> impl FnOnce(io::Error) -> EngineError {
    move |e| EngineError::Setup {
        call,
        error: (&e).into(),
    }
}

/// 127.0.0.1, any free port: where the app binds its own sockets.
pub(crate) const LOOPBACK_ANY: std::net::SocketAddr =
    std::net::SocketAddr::V4(std::net::SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 0));

/// Sleeps `d` in short slices; returns false (early) if `stop` was set.
pub fn sleep_unless_stopped(d: Duration, stop: &AtomicBool) -> bool {
    const SLICE: Duration = Duration::from_millis(10);
    let end = Instant::now() + d;
    loop {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let now = Instant::now();
        if now >= end {
            return true;
        }
        std::thread::sleep((end - now).min(SLICE));
    }
}

/// A running (or finished) experiment. Dropping it stops it and joins every thread.
pub struct Run {
    events: Receiver<Vec<Event>>,
    stop: Arc<AtomicBool>,
    supervisor: Option<JoinHandle<()>>,
    /// Batches taken off the queue while [`Run::stop`] joined the threads (a thread waiting
    /// for room in the bounded queue must get it to see the stop); [`Run::drain`] hands them on.
    stopped_with: Vec<Vec<Event>>,
}

pub(crate) struct Spawner {
    tx: Sender<Vec<Event>>,
    wake: Option<Wake>,
    clock: Clock,
    handles: Vec<JoinHandle<()>>,
    capture: Option<JoinHandle<()>>,
    /// Why the capture could not start, once it was tried and could not.
    capture_unavailable: Option<CaptureUnavailable>,
}

impl Spawner {
    pub(crate) fn sink(&self) -> EventSink {
        EventSink::new(self.tx.clone(), self.wake.clone(), self.clock)
    }

    pub(crate) fn spawn(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut EventSink) + Send + 'static,
    ) -> Result<(), EngineError> {
        self.spawn_in(name, None, f)
    }

    /// Like `spawn`, with the thread's events tagged for connection `conn` (many-clients).
    pub(crate) fn spawn_in(
        &mut self,
        name: &str,
        conn: Option<u32>,
        f: impl FnOnce(&mut EventSink) + Send + 'static,
    ) -> Result<(), EngineError> {
        let mut sink = match conn {
            Some(c) => self.sink().for_connection(c),
            None => self.sink(),
        };
        let handle = std::thread::Builder::new()
            .name(format!("stickyviz-{name}"))
            .spawn(move || f(&mut sink))
            .map_err(|e| EngineError::Thread((&e).into()))?;
        self.handles.push(handle);
        Ok(())
    }
}

impl Run {
    /// Starts a run. `wake` is called after each batch of events (the GUI passes its repaint).
    pub fn start(exp: &Experiment, wake: Option<Wake>) -> Result<Run, EngineError> {
        exp.validate()?;
        if exp.link.is_some() {
            return link::start(exp, wake);
        }
        Self::start_with(wake, |sp, stop, capture_done| {
            Self::spawn_workers(exp, sp, stop, capture_done)
        })
    }

    /// Starts a run on a clock the caller set (a link run's child uses its parent's, so the
    /// events it sends back are on the parent's clock).
    pub(crate) fn start_on_clock(exp: &Experiment, clock: Clock, wake: Option<Wake>) -> Result<Run, EngineError> {
        exp.validate()?;
        Self::start_with_clock(clock, wake, |sp, stop, capture_done| {
            Self::spawn_workers(exp, sp, stop, capture_done)
        })
    }

    /// Starts a run whose threads `spawn_workers` starts (through the [`Spawner`]); the
    /// supervisor, stop flag and event channel are the same for every kind of run, so the GUI
    /// and CLI treat a run against an external peer like any other.
    pub(crate) fn start_with(
        wake: Option<Wake>,
        spawn_workers: impl FnOnce(&mut Spawner, &Arc<AtomicBool>, &Arc<AtomicBool>) -> Result<(), EngineError>,
    ) -> Result<Run, EngineError> {
        Self::start_with_clock(Clock::start(), wake, spawn_workers)
    }

    pub(crate) fn start_with_clock(
        clock: Clock,
        wake: Option<Wake>,
        spawn_workers: impl FnOnce(&mut Spawner, &Arc<AtomicBool>, &Arc<AtomicBool>) -> Result<(), EngineError>,
    ) -> Result<Run, EngineError> {
        let (tx, events) = bounded(sink::QUEUE_BATCHES);
        let stop = Arc::new(AtomicBool::new(false));
        let mut sp = Spawner {
            tx,
            wake,
            clock,
            handles: Vec::new(),
            capture: None,
            capture_unavailable: None,
        };
        let capture_done = Arc::new(AtomicBool::new(false));
        let result = spawn_workers(&mut sp, &stop, &capture_done);
        if result.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        let mut sup_sink = sp.sink();
        let workers = std::mem::take(&mut sp.handles);
        let capture = sp.capture.take();
        drop(sp);
        let supervisor = std::thread::Builder::new()
            .name("stickyviz-supervisor".into())
            .spawn(move || {
                for h in workers {
                    if h.join().is_err() {
                        let at_us = sup_sink.now_us();
                        sup_sink.push(Event::Error {
                            at_us,
                            side: Side::TcpSender,
                            error: Fault::Panicked {
                                thread: PanickedThread::Worker,
                            },
                        });
                    }
                }
                capture_done.store(true, Ordering::Relaxed);
                if let Some(h) = capture {
                    if h.join().is_err() {
                        let at_us = sup_sink.now_us();
                        sup_sink.push(Event::Error {
                            at_us,
                            side: Side::Capture,
                            error: Fault::Panicked {
                                thread: PanickedThread::Capture,
                            },
                        });
                    }
                }
                let at_us = sup_sink.now_us();
                sup_sink.push(Event::Finished { at_us });
            });
        let supervisor = match supervisor {
            Ok(h) => h,
            Err(e) => {
                // The workers see the stop flag within one poll interval; they were not joined.
                stop.store(true, Ordering::Relaxed);
                return Err(EngineError::Thread((&e).into()));
            }
        };
        let run = Run {
            events,
            stop,
            supervisor: Some(supervisor),
            stopped_with: Vec::new(),
        };
        result.map(|()| run)
    }

    fn spawn_workers(
        exp: &Experiment,
        sp: &mut Spawner,
        stop: &Arc<AtomicBool>,
        capture_done: &Arc<AtomicBool>,
    ) -> Result<(), EngineError> {
        if let Some(opts) = exp.echo.filter(|o| o.connections > 1 && exp.transports.tcp()) {
            return many::spawn(exp, opts, sp, stop);
        }
        if let Some(opts) = exp.restart {
            return restart::spawn(exp, opts, sp, stop, capture_done);
        }
        if exp.transports.tcp() {
            let (listener, client, from, to) = tcp::bind_pair(exp)?;
            Self::start_capture(sp, from, to, stop, capture_done)?;
            let pair = tcp::connect(listener, client, from, to, exp)?;
            let mut sink = sp.sink();
            sink.push(Event::Connected {
                at_us: sink.now_us(),
                sender: from.to_string(),
                receiver: to.to_string(),
            });
            tcp::record_options(&pair, exp, &mut sink);
            drop(sink);
            if let Some(opts) = exp.echo {
                return echo::spawn(pair, exp, opts, None, sp, stop);
            }
            let (e1, s1) = (exp.clone(), stop.clone());
            sp.spawn("tcp-receiver", move |sink| {
                tcp::receive_all(pair.receiver, &e1, sink, &s1)
            })?;
            let (e2, s2) = (exp.clone(), stop.clone());
            sp.spawn("tcp-sender", move |sink| tcp::send_all(pair.sender, &e2, sink, &s2))?;
        }
        if exp.transports.udp() {
            let pair = udp::bind_pair(exp)?;
            let mut sink = sp.sink();
            udp::record_options(&pair, exp, &mut sink);
            drop(sink);
            let sender_done = Arc::new(AtomicBool::new(false));
            let (e1, s1, d1) = (exp.clone(), stop.clone(), sender_done.clone());
            sp.spawn("udp-receiver", move |sink| {
                udp::receive_all(pair.receiver, &e1, sink, &s1, &d1)
            })?;
            let (e2, s2) = (exp.clone(), stop.clone());
            sp.spawn("udp-sender", move |sink| {
                udp::send_all(pair.sender, &e2, sink, &s2, &sender_done)
            })?;
        }
        Ok(())
    }

    /// Starts the capture of the packets between `from` and `to`, both ways, or records why
    /// there is none.
    pub(crate) fn start_capture(
        sp: &mut Spawner,
        from: std::net::SocketAddrV4,
        to: std::net::SocketAddrV4,
        stop: &Arc<AtomicBool>,
        capture_done: &Arc<AtomicBool>,
    ) -> Result<(), EngineError> {
        match capture::open(from, to) {
            Ok(socket) => {
                let (stop, done) = (stop.clone(), capture_done.clone());
                sp.spawn("capture", move |sink| {
                    capture::run(socket, from, to, sink, &stop, &done)
                })?;
                sp.capture = sp.handles.pop();
            }
            Err(reason) => {
                sp.sink().push(Event::SegmentsUnavailable { reason: reason.clone() });
                sp.capture_unavailable = Some(reason);
            }
        }
        Ok(())
    }

    /// The channel of event batches. It closes after [`Event::Finished`].
    pub fn events(&self) -> &Receiver<Vec<Event>> {
        &self.events
    }

    /// True once every thread has ended (the last events may still be in the channel).
    pub fn is_finished(&self) -> bool {
        self.supervisor.as_ref().is_none_or(|h| h.is_finished())
    }

    /// Asks every thread to stop and joins them. Returns within a poll interval or two.
    ///
    /// The queue is bounded, so a thread may be waiting for room in it: while joining, the
    /// batches are taken off the queue and kept for [`Run::drain`] (no event is lost).
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let Some(h) = self.supervisor.take() else { return };
        while !h.is_finished() {
            if let Ok(batch) = self.events.recv_timeout(Duration::from_millis(5)) {
                self.stopped_with.push(batch);
            }
        }
        let _supervisor_never_panics = h.join();
    }

    /// The batches not yet taken, in arrival order: after [`Run::stop`], every event up to
    /// [`Event::Finished`].
    pub fn drain(&mut self) -> impl Iterator<Item = Vec<Event>> + '_ {
        std::mem::take(&mut self.stopped_with)
            .into_iter()
            .chain(self.events.try_iter())
    }

    /// Waits for the run to end on its own and returns every event, in arrival order. Holds
    /// the whole run in memory: for tests and small runs (the CLI folds batches as they come,
    /// see `cli::stop::collect`).
    pub fn wait(mut self) -> Vec<Event> {
        let mut all = Vec::new();
        for batch in self.events.iter() {
            all.extend(batch);
        }
        self.stop();
        all.extend(self.drain().flatten());
        all
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        self.stop();
    }
}
