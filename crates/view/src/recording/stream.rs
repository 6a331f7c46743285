//! A recording written as the run goes, and `.json.gz` read and written transparently.
//!
//! The streamed file is byte for byte what [`Recording::to_json`] writes for the same run:
//! the head (format, version, app, OS, kernel, preset, settings), then `"events":[` and one
//! event after another as their batches arrive, then the summary when the run is over. So a
//! 10-million-event run is never held in memory to be saved, and any reader of the format
//! reads it unchanged (no version bump). A path ending in `.gz` is gzip-compressed
//! (`flate2`), and [`read_text`] inflates a gzip file whatever its name.

// Reading and writing files is the native app's; the browser gets the same in-memory halves.
#![cfg_attr(target_arch = "wasm32", allow(unused_imports, dead_code))]

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde::Serialize;

use super::{kernel_release, NotRecording, Recording, RecordingError, FORMAT, MAX_FILE_BYTES, VERSION};
use crate::analysis::Model;
use crate::config::Experiment;
use crate::facts::{Event, FileFailure, FileOp};

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
    /// Buffered in front of the encoder too: deflating each event's few dozen bytes on its own
    /// made a streamed `.json.gz` ~15× slower than the run (11 s vs 0.7 s for 1M reads).
    Gzip(BufWriter<GzEncoder<BufWriter<File>>>),
    Other(Box<dyn Write>),
}

impl Output {
    /// Creates (replaces) `path`; gzip when it ends in `.gz`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn create(path: &Path) -> Result<Self, RecordingError> {
        let file = File::create(path).map_err(FileFailure::on(FileOp::Create, path))?;
        let file = BufWriter::with_capacity(1 << 16, file);
        Ok(if is_gzip_path(path) {
            Output::Gzip(BufWriter::with_capacity(
                1 << 16,
                GzEncoder::new(file, Compression::fast()),
            ))
        } else {
            Output::Plain(file)
        })
    }

    /// Writes what is buffered and, for gzip, the trailer; an error here means a truncated file.
    fn finish(self) -> io::Result<()> {
        match self {
            Output::Plain(mut w) => w.flush(),
            Output::Gzip(w) => w
                .into_inner()
                .map_err(io::IntoInnerError::into_error)?
                .finish()?
                .flush(),
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
        let head = Head {
            format: FORMAT,
            version: VERSION,
            app_version: env!("CARGO_PKG_VERSION"),
            os: std::env::consts::OS,
            kernel: &kernel,
            preset: preset.as_deref(),
            settings,
        };
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

    /// Closes the events, writes the run's summary (and a class session's roster, as
    /// [`Recording::new`] does) from `model`, and ends the file.
    pub fn finish(mut self, model: &Model) -> io::Result<()> {
        self.out.write_all(b"],\"summary\":")?;
        serde_json::to_writer(&mut self.out, &model.summary()).map_err(io::Error::other)?;
        if let Some(class) = model.class_session() {
            self.out.write_all(b",\"class\":")?;
            serde_json::to_writer(&mut self.out, &class).map_err(io::Error::other)?;
        }
        self.out.write_all(b"}")?;
        self.out.finish()
    }
}
/// The text of a recording file, inflated if it is gzip (by its first bytes, whatever its
/// name). Either way at most [`MAX_FILE_BYTES`] of text are read: a small `.gz` that inflates
/// past it is refused like a big file, without holding more than the limit.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_text(path: &Path) -> Result<String, RecordingError> {
    let p = path.display().to_string();
    let io_err = |op| move |e| RecordingError::File(FileFailure::new(op, path, &e));
    let mut file = File::open(path).map_err(io_err(FileOp::Open))?;
    let size = file.metadata().map_err(io_err(FileOp::Read))?.len();
    if size > MAX_FILE_BYTES {
        return Err(RecordingError::TooBig { path: p, size });
    }
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).map_err(io_err(FileOp::Read))?;
    let start = io::Cursor::new(magic[..n].to_vec());
    let mut bytes = Vec::new();
    let limit = MAX_FILE_BYTES + 1;
    if n == 2 && magic == GZIP_MAGIC {
        MultiGzDecoder::new(start.chain(file))
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                // a read error of the file itself is the OS's; anything else is the gzip stream's
                let op = if e.raw_os_error().is_some() {
                    FileOp::Read
                } else {
                    FileOp::Inflate
                };
                io_err(op)(e)
            })?;
    } else {
        start
            .chain(file)
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(io_err(FileOp::Read))?;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(RecordingError::TooBig {
            path: p,
            size: bytes.len() as u64,
        });
    }
    String::from_utf8(bytes).map_err(|e| RecordingError::Malformed(NotRecording::NotUtf8 { reason: e.to_string() }))
}
/// Copies the recording file `from` to `to`, streaming: a plain copy when both are gzip or
/// both plain (by content for `from`, by the `.gz` name for `to`), else inflated or
/// compressed on the way, never held in memory. Returns the bytes written.
///
/// # Errors
/// [`RecordingError::Io`] naming `from` when it cannot be read, [`RecordingError::Write`]
/// naming `to` when it cannot be written (a partly written `to` is removed).
#[cfg(not(target_arch = "wasm32"))]
pub fn copy_recording(from: &Path, to: &Path) -> Result<u64, RecordingError> {
    let read_err = |e| RecordingError::File(FileFailure::new(FileOp::Read, from, &e));
    let write_err = |e| RecordingError::File(FileFailure::new(FileOp::Write, to, &e));
    let mut file = File::open(from).map_err(|e| RecordingError::File(FileFailure::new(FileOp::Open, from, &e)))?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).map_err(read_err)?;
    let from_gzip = n == 2 && magic == GZIP_MAGIC;
    if from_gzip == is_gzip_path(to) {
        return std::fs::copy(from, to).map_err(|e| {
            if File::open(from).is_err() {
                read_err(e)
            } else {
                write_err(e)
            }
        });
    }
    let start = io::Cursor::new(magic[..n].to_vec()).chain(file);
    let mut input: Box<dyn Read> = if from_gzip {
        Box::new(MultiGzDecoder::new(start))
    } else {
        Box::new(start)
    };
    let mut out = Output::create(to)?;
    let copied = io::copy(&mut input, &mut out).and_then(|n| out.finish().map(|()| n));
    // which side failed: a read error names `from`, the rest `to`
    copied.map_err(|e| {
        let _ = std::fs::remove_file(to);
        if e.kind() == io::ErrorKind::InvalidData || e.kind() == io::ErrorKind::UnexpectedEof {
            read_err(e)
        } else {
            write_err(e)
        }
    })
}

impl Recording {
    /// Writes the recording to `path` (replacing the file), gzip-compressed if it ends in `.gz`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn save(&self, path: &Path) -> Result<(), RecordingError> {
        let write_err = |e| RecordingError::File(FileFailure::new(FileOp::Write, path, &e));
        let mut out = Output::create(path)?;
        serde_json::to_writer(&mut out, self).map_err(|e| write_err(io::Error::other(e)))?;
        out.finish().map_err(write_err)
    }
    /// Reads a recording file, plain or gzip (see [`read_text`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn load(path: &Path) -> Result<Self, RecordingError> {
        Self::from_json(&read_text(path)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events() -> Vec<Event> {
        use crate::facts::{MsgId, StreamOffset};
        vec![
            Event::Message {
                at_us: 1,
                msg: MsgId(0),
                offset: StreamOffset(0),
                len: 3,
                header_len: 0,
            },
            Event::Bytes {
                offset: StreamOffset(0),
                data: "粘包".as_bytes().to_vec(),
            },
            Event::Finished { at_us: 9 },
        ]
    }

    /// Streamed in batches, the file is exactly the in-memory writer's document.
    #[test]
    fn streamed_equals_the_whole_document() {
        let settings = Experiment::default();
        for preset in [None, Some("slow-reader")] {
            let settings = preset
                .and_then(crate::presets::find)
                .map_or(settings.clone(), |p| p.experiment);
            let path = std::env::temp_dir().join(format!(
                "stickyviz-stream-{}-{}.json",
                std::process::id(),
                preset.is_some()
            ));
            {
                let out = Output::create(&path).expect("created");
                let all = events();
                let w = RecordingWriter::begin(out, &settings, preset);
                let mut w = w.expect("head");
                for batch in all.chunks(2) {
                    w.events(batch).expect("events");
                }
                assert_eq!(w.written(), 3);
                w.finish(&crate::analysis::Model::from_events(&all)).expect("finish");
            }
            let whole = Recording::new(settings, events()).with_preset(preset).to_json();
            assert_eq!(std::fs::read_to_string(&path).expect("written"), whole);
            let _ = std::fs::remove_file(&path);
        }
    }

    /// `.json.gz` is written compressed and read back equal; a gzip file loads whatever its name.
    #[test]
    fn gzip_round_trips_by_name_and_by_content() {
        let dir = std::env::temp_dir().join(format!("stickyviz-gz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let rec = Recording::new(Experiment::default(), events());
        let gz = dir.join("run.json.gz");
        rec.save(&gz).expect("saved");
        let raw = std::fs::read(&gz).expect("read");
        assert_eq!(raw[..2], GZIP_MAGIC);
        assert_eq!(Recording::load(&gz).expect("loads").to_json(), rec.to_json());
        let renamed = dir.join("run.json");
        std::fs::rename(&gz, &renamed).expect("rename");
        assert_eq!(Recording::load(&renamed).expect("loads by content").events, rec.events);
        rec.save(&renamed).expect("saved plain");
        assert_eq!(std::fs::read_to_string(&renamed).expect("plain"), rec.to_json());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A gzip file that is not one all the way (cut short) is an error naming the file.
    #[test]
    fn a_truncated_gzip_is_refused() {
        let dir = std::env::temp_dir().join(format!("stickyviz-gzcut-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let gz = dir.join("cut.json.gz");
        Recording::new(Experiment::default(), events())
            .save(&gz)
            .expect("saved");
        let raw = std::fs::read(&gz).expect("read");
        std::fs::write(&gz, &raw[..raw.len() / 2]).expect("cut");
        let e = Recording::load(&gz).expect_err("refused");
        assert!(e.to_string().contains("cut.json.gz"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
