//! One run, driven the same way whoever shows it: the window, `run`, `listen`, `send` and
//! `render` each hold a [`Session`] and only present it.
//!
//! A session owns a run end to end: its settings, the engine's [`Run`], the capped [`Model`]
//! the events fold into, the recording streamed as they arrive ([`record`]), what the pcapng
//! export needs, the stop (every thread joined, the queue drained, the recording finished) and
//! the reset before the next run. There is one of each: a front end that wants a run calls
//! [`Session::start`] (a loopback run) or [`Session::attach`] (a run the peers started:
//! `listen`, `send`), then [`Session::poll`] each frame or [`Session::wait`] in a loop, and
//! [`Session::stop`].
//!
//! The history cap is the one policy of [`Session::window`] and [`Session::command`]: the
//! window holds half of what a command may (its GPU buffers take the rest of its 512 MB
//! bound, issue 17, docs/performance.md), for every run it shows, live, listened or replayed.

pub mod record;

use std::path::Path;
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;

use crate::analysis::causes::Place;
use crate::analysis::{Model, DEFAULT_HISTORY_CAP};
use crate::config::Experiment;
use crate::engine::sink::Wake;
use crate::engine::Run;
use crate::export::pcapng::{self, PcapngError};
use crate::facts::{EngineError, Event};
use crate::recording::Recording;

pub use record::{Keep, RecordTo, Recorded, ReplayInfo, Streamed, MAX_KEPT_EVENTS};

/// The window's cap on stored records of a run (writes, segments, reads, frames, datagrams
/// together; see [`DEFAULT_HISTORY_CAP`], a command's): half the headless cap, so the window
/// with its GPU buffers stays under 512 MB for any run length (issue 17, docs/performance.md).
/// Counts stay exact past it; the lanes say older detail was dropped.
pub const WINDOW_HISTORY_CAP: usize = 2_000_000;

/// What [`Session::poll`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Poll {
    /// No run.
    Idle,
    /// More batches are waiting than were folded: look again at once.
    More,
    /// The run goes on; nothing more is waiting now.
    Waiting,
    /// The run has ended (its threads are done, every event folded): the recording is finished.
    Ended,
}

/// What [`Session::wait`] found.
#[derive(Debug)]
pub enum Wait {
    /// A batch, folded into the model and the record already.
    Batch(Vec<Event>),
    /// Nothing within the time asked.
    Quiet,
    /// The run has ended (or there is none); [`Session::stop`] finishes it.
    Ended,
}

/// Why Save cannot write the shown run.
#[derive(Debug)]
pub enum SaveError<'a> {
    /// No run, or one still going.
    NothingToSave,
    /// The temporary recording failed while the run went: (its path, why).
    TempFailed(&'a Path, &'a std::io::Error),
    /// More events than memory keeps, and no file holds them (at most this many).
    TooBig { max_kept: usize },
    /// Writing `path` failed.
    Write(crate::recording::RecordingError),
}

/// A run and everything kept of it (see the module's doc).
pub struct Session {
    history_cap: usize,
    model: Model,
    run: Option<Run>,
    record: Recorded,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("history_cap", &self.history_cap)
            .field("running", &self.run.is_some())
            .field("record", &self.record)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session of the window: its history cap is [`WINDOW_HISTORY_CAP`].
    pub fn window() -> Self {
        Self::with_history_cap(WINDOW_HISTORY_CAP)
    }

    /// A session of a command (`run`, `listen`, `send`, `render`): [`DEFAULT_HISTORY_CAP`].
    pub fn command() -> Self {
        Self::with_history_cap(DEFAULT_HISTORY_CAP)
    }

    fn with_history_cap(history_cap: usize) -> Self {
        Self {
            history_cap,
            model: Model::with_cap(history_cap),
            run: None,
            record: Recorded::default(),
        }
    }

    /// What the run did so far.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Shows a model made elsewhere, with nothing kept for Save: for benchmarks that time the
    /// window's frame over a model folded in advance.
    #[doc(hidden)]
    pub fn show_model(&mut self, model: Model) {
        self.stop();
        self.model = model;
        self.record = Recorded::default();
    }

    /// What was kept of it, for Save and the exports.
    pub fn record(&self) -> &Recorded {
        &self.record
    }

    pub fn is_running(&self) -> bool {
        self.run.is_some()
    }

    /// The one reset: any run stopped, a new empty model under the session's cap, and a new
    /// record whose recording begins where `to` says. The last run's temporary recording is
    /// removed here (dropped).
    fn reset(&mut self, settings: &Experiment, preset: Option<&str>, to: RecordTo) -> std::io::Result<()> {
        self.stop();
        self.model = Model::with_cap(self.history_cap);
        self.record = Recorded::default();
        self.record = Recorded::live(settings.clone(), preset, to)?;
        Ok(())
    }

    /// Starts a loopback run of `settings` (stopping any run in progress). `wake` is called when
    /// events arrive (the window's repaint).
    pub fn start(
        &mut self,
        settings: &Experiment,
        preset: Option<&str>,
        to: RecordTo,
        wake: Option<Wake>,
    ) -> Result<(), StartError> {
        self.reset(settings, preset, to).map_err(StartError::Recording)?;
        self.model = std::mem::take(&mut self.model).with_place(Place::of(settings));
        self.run = Some(Run::start(settings, wake)?);
        Ok(())
    }

    /// Takes over a run already started by the peers (`listen`, `send`), as [`Session::start`]
    /// does its own. If its recording cannot begin, the run is stopped.
    pub fn attach(
        &mut self,
        run: Run,
        settings: &Experiment,
        preset: Option<&str>,
        to: RecordTo,
    ) -> Result<(), StartError> {
        if let Err(e) = self.reset(settings, preset, to) {
            let mut run = run;
            run.stop();
            return Err(StartError::Recording(e));
        }
        self.run = Some(run);
        Ok(())
    }

    /// Shows a saved run exactly as recorded (a replay): its events fold into a new model
    /// under the session's cap and stay in memory, for Save and the exports.
    pub fn replay(&mut self, rec: &Recording, source: &str) {
        self.stop();
        let mut model = Model::with_cap(self.history_cap).with_place(Place::of(&rec.settings));
        for e in &rec.events {
            model.apply(e);
        }
        self.model = model;
        self.record = Recorded::from_recording(rec, source);
    }

    fn fold(&mut self, batch: &[Event]) {
        for e in batch {
            self.model.apply(e);
        }
        self.record.extend(batch);
    }

    /// Folds the batches waiting, at most `max_batches` (so one frame never stalls on a
    /// flood); ends the run when its threads are done and every event is folded.
    pub fn poll(&mut self, max_batches: usize) -> Poll {
        let Some(run) = &self.run else { return Poll::Idle };
        let batches: Vec<_> = run.events().try_iter().take(max_batches).collect();
        let full = batches.len() >= max_batches;
        for batch in &batches {
            self.fold(batch);
        }
        let Some(run) = &self.run else { return Poll::Idle };
        if full {
            Poll::More
        } else if run.is_finished() && run.events().is_empty() {
            self.stop();
            Poll::Ended
        } else {
            Poll::Waiting
        }
    }

    /// Waits up to `timeout` for the next batch and folds it (a command's loop).
    pub fn wait(&mut self, timeout: Duration) -> Wait {
        let Some(run) = &self.run else { return Wait::Ended };
        match run.events().recv_timeout(timeout) {
            Ok(batch) => {
                self.fold(&batch);
                Wait::Batch(batch)
            }
            Err(RecvTimeoutError::Timeout) => Wait::Quiet,
            Err(RecvTimeoutError::Disconnected) => Wait::Ended,
        }
    }

    /// The one stop: the run is stopped (every thread joined, so every socket is closed), the
    /// batches still queued are folded (`Finished` last) and returned, and the recording is
    /// finished with the run's summary. Nothing when no run goes.
    pub fn stop(&mut self) -> Vec<Vec<Event>> {
        let Some(mut run) = self.run.take() else {
            return Vec::new();
        };
        run.stop();
        // after the join every sender is gone: this drains to the end
        let drained: Vec<_> = run.drain().collect();
        for batch in &drained {
            self.fold(batch);
        }
        self.record.finish(&self.model);
        drained
    }

    /// Writes the shown run to `path` (gzip if it ends in `.gz`): a live run from its streamed
    /// recording, complete whatever its length; a replay (or a run without one) from memory.
    pub fn save(&self, path: &Path) -> Result<(), SaveError<'_>> {
        if self.is_running() || self.record.is_empty() {
            return Err(SaveError::NothingToSave);
        }
        if let Some(s) = self.record.streamed() {
            if let Some(temp) = s.temp_path() {
                if let Some(e) = s.error() {
                    return Err(SaveError::TempFailed(temp, e));
                }
                return crate::recording::stream::copy_recording(temp, path)
                    .map(|_| ())
                    .map_err(SaveError::Write);
            }
        }
        if self.record.overflowed() {
            return Err(SaveError::TooBig {
                max_kept: self.record.max_kept(),
            });
        }
        self.record.to_recording().save(path).map_err(SaveError::Write)
    }

    /// Why the run has no packets for pcapng, in plain words; `None` when it has some.
    pub fn pcapng_unavailable(&self) -> Option<crate::facts::NoPackets> {
        pcapng::why_unavailable(self.record.kept())
    }

    /// Writes the packets the run captured to `path` as pcapng, each with a comment naming the
    /// messages, writes, reads and frames its bytes belong to and the causes it proves (in
    /// `lang`); returns how many.
    pub fn save_pcapng(&self, path: &Path, lang: crate::i18n::Lang) -> Result<usize, PcapngError> {
        let events = self.record.kept();
        let comments = crate::export::pcapng_comments::comments(events, &self.model, lang);
        pcapng::save_commented(events, &comments, path)
    }
}

/// Why a session could not start its run.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The head of the recording could not be written.
    #[error("cannot write the recording: {0}")]
    Recording(#[source] std::io::Error),
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stop();
    }
}
