//! A recording written as the run goes, and `.json.gz` read and written transparently.
//!
//! The streamed file is byte for byte what [`Recording::to_json`] writes for the same run:
//! the head (format, version, app, OS, kernel, preset, settings), then `"events":[` and one
//! event after another as their batches arrive, then the summary when the run is over. So a
//! 10-million-event run is never held in memory to be saved, and any reader of the format
//! reads it unchanged (no version bump). A path ending in `.gz` is gzip-compressed
//! (`flate2`), and [`read_text`] inflates a gzip file whatever its name.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde::Serialize;

use super::{kernel_release, Recording, RecordingError, FORMAT, MAX_FILE_BYTES, VERSION};
use crate::analysis::Summary;
use crate::config::Experiment;
use crate::engine::Event;

/// The first two bytes of every gzip member (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether `path` names a gzip-compressed recording (`.gz`).
pub fn is_gzip_path(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// The fields before `events`, in [`Recording`]'s order (serde writes fields in order).
#[derive(Serialize)]
struct Head<'a> {
    format: &'a str,
    version: u32,
    app_version: &'a str,
    os: &'a str,
    kernel: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    preset: Option<&'a str>,
    settings: &'a Experiment,
}

/// A file (plain or gzip) or any other writer a recording streams to.
pub enum Output {
    Plain(BufWriter<File>),
    Gzip(GzEncoder<BufWriter<File>>),
    Other(Box<dyn Write>),
}

impl Output {
    /// Creates (replaces) `path`; gzip when it ends in `.gz`.
    pub fn create(path: &Path) -> Result<Self, RecordingError> {
        let file = File::create(path).map_err(|source| RecordingError::Write { path: path.display().to_string(), source })?;
        let file = BufWriter::with_capacity(1 << 16, file);
        Ok(if is_gzip_path(path) { Output::Gzip(GzEncoder::new(file, Compression::fast())) } else { Output::Plain(file) })
    }

    /// Writes what is buffered and, for gzip, the trailer; an error here means a truncated file.
    fn finish(self) -> io::Result<()> {
        match self {
            Output::Plain(mut w) => w.flush(),
            Output::Gzip(w) => w.finish()?.flush(),
            Output::Other(mut w) => w.flush(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Plain(w) => w.write(buf),
            Output::Gzip(w) => w.write(buf),
            Output::Other(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Plain(w) => w.flush(),
            Output::Gzip(w) => w.flush(),
            Output::Other(w) => w.flush(),
        }
    }
}

/// A recording being written: [`RecordingWriter::events`] per batch, then
/// [`RecordingWriter::finish`] with the run's summary.
pub struct RecordingWriter {
    out: Output,
    events: u64,
}

impl RecordingWriter {
    /// Writes the head of a recording of `settings` (made here, now) and opens its events.
    pub fn begin(mut out: Output, settings: &Experiment, preset: Option<&str>) -> io::Result<Self> {
        let preset = super::matching_preset(preset, settings);
        let kernel = kernel_release();
        let head = Head { format: FORMAT, version: VERSION, app_version: env!("CARGO_PKG_VERSION"), os: std::env::consts::OS, kernel: &kernel, preset: preset.as_deref(), settings };
        let head = serde_json::to_vec(&head).map_err(io::Error::other)?;
        // `{…}` without its closing brace, then the events' field
        out.write_all(&head[..head.len() - 1])?;
        out.write_all(b",\"events\":[")?;
        Ok(Self { out, events: 0 })
    }

    /// Appends a batch of events.
    pub fn events(&mut self, batch: &[Event]) -> io::Result<()> {
        for e in batch {
            if self.events > 0 {
                self.out.write_all(b",")?;
            }
            serde_json::to_writer(&mut self.out, e).map_err(io::Error::other)?;
            self.events += 1;
        }
        Ok(())
    }

    /// Events written so far.
    pub fn written(&self) -> u64 {
        self.events
    }

    /// Closes the events, writes `summary` and ends the file.
    pub fn finish(mut self, summary: &Summary) -> io::Result<()> {
        self.out.write_all(b"],\"summary\":")?;
        serde_json::to_writer(&mut self.out, summary).map_err(io::Error::other)?;
        self.out.write_all(b"}")?;
        self.out.finish()
    }
}

/// The text of a recording file, inflated if it is gzip (by its first bytes, whatever its
/// name). Either way at most [`MAX_FILE_BYTES`] of text are read: a small `.gz` that inflates
/// past it is refused like a big file, without holding more than the limit.
pub fn read_text(path: &Path) -> Result<String, RecordingError> {
    let p = path.display().to_string();
    let io_err = |source| RecordingError::Io { path: p.clone(), source };
    let mut file = File::open(path).map_err(io_err)?;
    let size = file.metadata().map_err(io_err)?.len();
    if size > MAX_FILE_BYTES {
        return Err(RecordingError::TooBig { path: p, size });
    }
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).map_err(io_err)?;
    let start = io::Cursor::new(magic[..n].to_vec());
    let mut bytes = Vec::new();
    let limit = MAX_FILE_BYTES + 1;
    if n == 2 && magic == GZIP_MAGIC {
        MultiGzDecoder::new(start.chain(file)).take(limit).read_to_end(&mut bytes).map_err(io_err)?;
    } else {
        start.chain(file).take(limit).read_to_end(&mut bytes).map_err(io_err)?;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(RecordingError::TooBig { path: p, size: bytes.len() as u64 });
    }
    String::from_utf8(bytes).map_err(|e| RecordingError::Malformed(format!("the file is not UTF-8 text ({e})")))
}

impl Recording {
    /// Writes the recording to `path` (replacing the file), gzip-compressed if it ends in `.gz`.
    pub fn save(&self, path: &Path) -> Result<(), RecordingError> {
        let write_err = |source| RecordingError::Write { path: path.display().to_string(), source };
        let mut out = Output::create(path)?;
        serde_json::to_writer(&mut out, self).map_err(|e| write_err(io::Error::other(e)))?;
        out.finish().map_err(write_err)
    }

    /// Reads a recording file, plain or gzip (see [`read_text`]).
    pub fn load(path: &Path) -> Result<Self, RecordingError> {
        Self::from_json(&read_text(path)?)
    }
}
