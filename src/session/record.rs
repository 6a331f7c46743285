//! What a run keeps beside its model, for Save and the exports: the recording streamed as the
//! run goes (to a temporary file the window's Save copies, or to the file a command was given),
//! and the events held in memory (those the pcapng export needs, or all of them for a replay,
//! a command that reports from them, or a window run whose temporary file could not be made).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::analysis::Model;
use crate::config::Experiment;
use crate::export::pcapng;
use crate::facts::Event;
use crate::recording::stream::{Output, RecordingWriter};
use crate::recording::{Recording, FORMAT, VERSION};

/// Most events kept in memory for Save when no temporary recording could be written (see
/// [`RecordTo::TempFile`]): 1,000,000 events of 176 bytes are 176 MB, the part of the window's
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

/// Which events of a run stay in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// None: the model and the streamed recording hold the run.
    Nothing,
    /// Those the pcapng export needs ([`pcapng::needs`]).
    Packets,
    /// Every event, up to `max`; past it the record says it overflowed.
    All { max: usize },
}

/// Where a run's recording goes as it streams.
pub enum RecordTo {
    /// The window: a temporary gzip recording in `dir`, removed with the run (Save copies it),
    /// and the packets for pcapng in memory; if the file cannot be made, every event in memory,
    /// at most `max_kept`.
    TempFile { dir: PathBuf, max_kept: usize },
    /// A command: the recording to `output` (a file the user named, or stdout), if any, and
    /// `keep` in memory.
    Output { output: Option<Output>, keep: Keep },
}

/// A recording being streamed, and why it is incomplete if writing it failed.
pub struct Streamed {
    /// Removed when dropped: a temporary recording (the next run, a replay, the app's exit).
    temp: Option<PathBuf>,
    /// Open while the run goes; `None` once finished (or failed).
    writer: Option<RecordingWriter>,
    /// Why the file is incomplete, if writing it failed.
    error: Option<io::Error>,
}

impl Streamed {
    /// Creates `stickyviz-run-PID-N.json.gz` in `dir` and writes the recording's head.
    fn temp(dir: &Path, settings: &Experiment, preset: Option<&str>) -> Result<Self, (PathBuf, io::Error)> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = dir.join(format!(
            "stickyviz-run-{}-{}.json.gz",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let fail = |e: io::Error| (path.clone(), e);
        let out = Output::create(&path).map_err(|e| match e {
            // the OS's error, by its code where it has one
            crate::recording::RecordingError::File(f) => fail(match f.error.code {
                Some(code) => io::Error::from_raw_os_error(code),
                None => io::Error::other(f.error.words),
            }),
            e => fail(io::Error::other(e.to_string())),
        })?;
        let writer = RecordingWriter::begin(out, settings, preset).map_err(|e| {
            let _ = std::fs::remove_file(&path);
            fail(e)
        })?;
        Ok(Self {
            temp: Some(path),
            writer: Some(writer),
            error: None,
        })
    }

    /// The temporary file's path (it exists until `self` is dropped); none for a command's.
    pub fn temp_path(&self) -> Option<&Path> {
        self.temp.as_deref()
    }

    /// Why the file is incomplete, if writing it failed.
    pub fn error(&self) -> Option<&io::Error> {
        self.error.as_ref()
    }

    fn write(&mut self, batch: &[Event]) {
        if let Some(w) = &mut self.writer {
            if let Err(e) = w.events(batch) {
                self.error = Some(e);
                self.writer = None;
            }
        }
    }

    fn finish(&mut self, model: &Model) {
        if let Some(w) = self.writer.take() {
            if let Err(e) = w.finish(model) {
                self.error = Some(e);
            }
        }
    }
}

impl Drop for Streamed {
    fn drop(&mut self) {
        self.writer = None;
        if let Some(path) = &self.temp {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl std::fmt::Debug for Streamed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Streamed")
            .field("temp", &self.temp)
            .field("open", &self.writer.is_some())
            .field("error", &self.error)
            .finish()
    }
}

/// The shown run as Save and the exports read it.
#[derive(Debug)]
pub struct Recorded {
    pub settings: Experiment,
    pub preset: Option<String>,
    keep: Keep,
    /// With [`Keep::Packets`] the export's events, with [`Keep::All`] every event up to its max.
    events: Vec<Event>,
    packets: pcapng::Kept,
    /// Events of the run so far (all of them, kept or not).
    total: u64,
    /// More than [`Keep::All`]'s max arrived: Save cannot be complete.
    overflowed: bool,
    stream: Option<Streamed>,
    /// The temporary recording that could not be made, and why (the window says so).
    temp_failed: Option<(PathBuf, io::Error)>,
    pub replay: Option<ReplayInfo>,
}

impl Default for Recorded {
    fn default() -> Self {
        Self {
            settings: Experiment::default(),
            preset: None,
            keep: Keep::All { max: 0 },
            events: Vec::new(),
            packets: pcapng::Kept::default(),
            total: 0,
            overflowed: false,
            stream: None,
            temp_failed: None,
            replay: None,
        }
    }
}

impl Recorded {
    /// A live run's record, its recording begun where `to` says (a temporary file for the
    /// window). Err: the head of a command's recording could not be written.
    pub(crate) fn live(settings: Experiment, preset: Option<&str>, to: RecordTo) -> io::Result<Self> {
        let mut rec = Self {
            settings,
            preset: preset.map(str::to_string),
            ..Self::default()
        };
        match to {
            RecordTo::TempFile { dir, max_kept } => match Streamed::temp(&dir, &rec.settings, rec.preset.as_deref()) {
                Ok(s) => {
                    rec.stream = Some(s);
                    rec.keep = Keep::Packets;
                }
                Err(why) => {
                    rec.temp_failed = Some(why);
                    rec.keep = Keep::All { max: max_kept };
                }
            },
            RecordTo::Output { output, keep } => {
                rec.keep = keep;
                if let Some(out) = output {
                    rec.stream = Some(Streamed {
                        temp: None,
                        writer: Some(RecordingWriter::begin(out, &rec.settings, rec.preset.as_deref())?),
                        error: None,
                    });
                }
            }
        }
        Ok(rec)
    }

    pub(crate) fn from_recording(rec: &Recording, source: &str) -> Self {
        Self {
            settings: rec.settings.clone(),
            preset: rec.preset.clone(),
            keep: Keep::All { max: rec.events.len() },
            events: rec.events.clone(),
            total: rec.events.len() as u64,
            replay: Some(ReplayInfo {
                source: source.into(),
                app_version: rec.app_version.clone(),
                os: rec.os.clone(),
                kernel: rec.kernel.clone(),
            }),
            ..Self::default()
        }
    }

    pub(crate) fn extend(&mut self, batch: &[Event]) {
        self.total += batch.len() as u64;
        if let Some(s) = &mut self.stream {
            s.write(batch);
        }
        match self.keep {
            Keep::Nothing => {}
            Keep::Packets => self.packets.extend(batch),
            Keep::All { max } => {
                let room = max.saturating_sub(self.events.len());
                self.overflowed |= batch.len() > room;
                self.events.extend(batch.iter().take(room).cloned());
            }
        }
    }

    /// The run is over: ends the streamed recording with the run's summary.
    pub(crate) fn finish(&mut self, model: &Model) {
        if let Some(s) = &mut self.stream {
            s.finish(model);
        }
    }

    /// Whether no event has arrived.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Events of the run so far, kept or not.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The events held in memory (see [`Keep`]).
    pub fn kept(&self) -> &[Event] {
        match self.keep {
            Keep::Packets => self.packets.events(),
            _ => &self.events,
        }
    }

    /// Whether more events arrived than memory could keep (and no file holds them all).
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// The most events kept in memory (0 unless every event is kept).
    pub fn max_kept(&self) -> usize {
        match self.keep {
            Keep::All { max } => max,
            _ => 0,
        }
    }

    /// The recording streamed as the run went, if any.
    pub fn streamed(&self) -> Option<&Streamed> {
        self.stream.as_ref()
    }

    /// The temporary recording that could not be made, and why.
    pub fn temp_failed(&self) -> Option<&(PathBuf, io::Error)> {
        self.temp_failed.as_ref()
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
