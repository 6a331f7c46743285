//! What a run keeps for Save and the exports beside its model: the recording streamed to a
//! temporary file as the run goes, or its events in memory (a replay, or a run whose temporary
//! file could not be made).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::analysis::Summary;
use crate::config::Experiment;
use crate::engine::Event;
use crate::recording::stream::{Output, RecordingWriter};
use crate::recording::{Recording, FORMAT, VERSION};

/// Most events kept in memory for Save when no temporary recording could be written (see
/// [`TempRecording`]): 1,000,000 events of 176 bytes are 176 MB, the part of the window's
/// 512 MB bound (issue 17, docs/performance.md) left beside the model's history. Save then
/// says the run is too long and points to `stickyviz run --json`.
pub const MAX_KEPT_EVENTS: usize = 1_000_000;

/// Where the shown run came from: a file (replay) rather than a live run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayInfo {
    /// The file name, or empty when the recording came from code (tests).
    pub source: String,
    pub app_version: String,
    pub os: String,
    pub kernel: String,
}

/// The recording a live run streams to as its events arrive (gzip, in the OS temp dir), so
/// Save writes any run length completely without the window holding its events. Removed
/// when dropped: the next run, a replay or the app's exit.
pub struct TempRecording {
    pub(crate) path: PathBuf,
    /// Open while the run goes; `None` once finished (or failed).
    writer: Option<RecordingWriter>,
    /// Why the file is incomplete (the OS's words), if writing it failed.
    pub(crate) error: Option<String>,
}

impl TempRecording {
    /// Creates `stickyviz-run-PID-N.json.gz` in `dir` and writes the recording's head.
    fn create(dir: &Path, settings: &Experiment, preset: Option<&str>) -> Result<Self, (PathBuf, String)> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = dir.join(format!(
            "stickyviz-run-{}-{}.json.gz",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let fail = |e: String| (path.clone(), e);
        let out = Output::create(&path).map_err(|e| match e {
            // the message names the path already
            crate::recording::RecordingError::Write { source, .. } => fail(source.to_string()),
            e => fail(e.to_string()),
        })?;
        let writer = RecordingWriter::begin(out, settings, preset).map_err(|e| {
            let _ = std::fs::remove_file(&path);
            fail(e.to_string())
        })?;
        Ok(Self {
            path,
            writer: Some(writer),
            error: None,
        })
    }

    /// The file's path (it exists until `self` is dropped).
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write(&mut self, batch: &[Event]) {
        if let Some(w) = &mut self.writer {
            if let Err(e) = w.events(batch) {
                self.error = Some(e.to_string());
                self.writer = None;
            }
        }
    }

    fn finish(&mut self, summary: &Summary) {
        if let Some(w) = self.writer.take() {
            if let Err(e) = w.finish(summary) {
                self.error = Some(e.to_string());
            }
        }
    }
}

impl Drop for TempRecording {
    fn drop(&mut self) {
        self.writer = None;
        let _ = std::fs::remove_file(&self.path);
    }
}

impl std::fmt::Debug for TempRecording {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TempRecording")
            .field("path", &self.path)
            .field("open", &self.writer.is_some())
            .field("error", &self.error)
            .finish()
    }
}

/// The shown run as Save writes it: a live run streams to a [`TempRecording`] and keeps in
/// memory only what the pcapng export needs; a replay (or a live run whose temporary file
/// could not be made) keeps its events, at most `max_kept` of a live run.
#[derive(Debug, Default)]
pub struct Recorded {
    pub settings: Experiment,
    pub preset: Option<String>,
    /// With a temporary recording: the events the pcapng export reads (captured packets,
    /// why none were, the received bytes); else every event up to `max_kept`.
    pub events: Vec<Event>,
    /// Events of the run so far (all of them, kept or not).
    pub total: u64,
    /// Most events kept in memory without a temporary recording.
    pub max_kept: usize,
    /// More than `max_kept` arrived without a temporary recording: Save cannot be complete.
    pub overflowed: bool,
    pub temp: Option<TempRecording>,
    pub replay: Option<ReplayInfo>,
}

/// Whether the pcapng export needs `e` (see [`crate::export::pcapng::why_unavailable`]); a
/// segment without its packet is needed once, to say the packets were not kept.
fn export_needs(e: &Event, saw_bare_segment: &mut bool) -> bool {
    match e {
        Event::Segment { packet: Some(_), .. }
        | Event::Retransmission { packet: Some(_), .. }
        | Event::Ack { packet: Some(_), .. }
        | Event::Control { packet: Some(_), .. }
        | Event::SegmentsUnavailable { .. }
        | Event::Bytes { .. } => true,
        Event::Segment { packet: None, .. } => !std::mem::replace(saw_bare_segment, true),
        _ => false,
    }
}

impl Recorded {
    /// A live run's record, kept in memory (at most `max_kept` events): for when no
    /// temporary recording is wanted or possible.
    pub fn live(settings: Experiment, preset: Option<String>, max_kept: usize) -> Self {
        Self {
            settings,
            preset,
            max_kept,
            ..Self::default()
        }
    }

    /// A live run's record streamed to a temporary recording in `dir`; if it cannot be
    /// created, the in-memory record and the path and reason to say on screen.
    pub fn live_streamed(
        settings: Experiment,
        preset: Option<String>,
        dir: &Path,
        max_kept: usize,
    ) -> (Self, Option<(PathBuf, String)>) {
        let mut rec = Self::live(settings, preset, max_kept);
        match TempRecording::create(dir, &rec.settings, rec.preset.as_deref()) {
            Ok(temp) => {
                rec.temp = Some(temp);
                (rec, None)
            }
            Err(why) => (rec, Some(why)),
        }
    }

    pub fn from_recording(rec: &Recording, source: &str) -> Self {
        Self {
            settings: rec.settings.clone(),
            preset: rec.preset.clone(),
            events: rec.events.clone(),
            total: rec.events.len() as u64,
            max_kept: rec.events.len(),
            overflowed: false,
            temp: None,
            replay: Some(ReplayInfo {
                source: source.into(),
                app_version: rec.app_version.clone(),
                os: rec.os.clone(),
                kernel: rec.kernel.clone(),
            }),
        }
    }

    pub fn extend(&mut self, batch: &[Event]) {
        self.total += batch.len() as u64;
        if let Some(temp) = &mut self.temp {
            temp.write(batch);
            let mut saw_bare = self
                .events
                .iter()
                .any(|e| matches!(e, Event::Segment { packet: None, .. }));
            self.events
                .extend(batch.iter().filter(|e| export_needs(e, &mut saw_bare)).cloned());
            return;
        }
        let room = self.max_kept.saturating_sub(self.events.len());
        self.overflowed |= batch.len() > room;
        self.events.extend(batch.iter().take(room).cloned());
    }

    /// The run is over: ends the temporary recording with the run's `summary`.
    pub fn finish(&mut self, summary: &Summary) {
        if let Some(temp) = &mut self.temp {
            temp.finish(summary);
        }
    }

    /// Whether no event has arrived.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The recording Save writes from memory: a replay keeps the app, OS and kernel it was
    /// made on.
    pub fn to_recording(&self) -> Recording {
        let mut rec = Recording::new(self.settings.clone(), self.events.clone()).with_preset(self.preset.as_deref());
        if let Some(info) = &self.replay {
            rec.app_version.clone_from(&info.app_version);
            rec.os.clone_from(&info.os);
            rec.kernel.clone_from(&info.kernel);
        }
        debug_assert!(rec.format == FORMAT && rec.version == VERSION);
        rec
    }
}
