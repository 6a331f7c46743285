//! A run saved as JSON, so any picture can be reproduced exactly.
//!
//! Format version 4: `{ "format": "stickyviz-recording", "version": 4, "app_version", "os",
//! "kernel", "settings", "events", "summary" }`, whose reasons (why a side ended, what failed,
//! why segments are missing) are typed facts. Version 1 held them as English sentences; such a
//! file is upgraded once on load (`v1.rs`). A newer version is refused with a clear error.

use serde::{Deserialize, Serialize};

use crate::analysis::{ClassSession, Model, Summary};
use crate::config::Experiment;
use crate::facts::{Event, FileFailure};

pub const FORMAT: &str = "stickyviz-recording";
/// 3: the events of issue 32 (`never-sent`, `socket-state`, `bind`, an `ack`'s `fin`). 4: the
/// summary's `causes` (issue 30; an older file's causes are found again from its events), the
/// `trace` event (issue 29), the capture's GSO batches and the reply direction's segments.
/// Versions 2 and 3 read as they are.
pub const VERSION: u32 = 4;

mod bytes;
pub mod stream;
pub use bytes::text_from_bytes;
mod v1;
/// Largest recording file read (1 GiB); larger is refused before reading.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Recording {
    pub format: String,
    pub version: u32,
    pub app_version: String,
    pub os: String,
    pub kernel: String,
    /// The lesson the settings came from, if they are exactly that preset's (the window then
    /// shows its explanation); absent for custom settings. Optional, so version 1 stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    pub settings: Experiment,
    pub events: Vec<Event>,
    pub summary: Summary,
    /// `listen --tcp`: the class session's totals and one entry per client, as the window's
    /// roster shows them (derived from `events`; absent in a loopback run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<ClassSession>,
}

/// Why a recording could not be read or written, as typed data; `describe::recording_error`
/// words it. The `Display` text is for logs only.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// Opening, reading, inflating, creating or writing the file failed.
    #[error(transparent)]
    File(#[from] FileFailure),
    /// Over [`MAX_FILE_BYTES`] (on disk, or once inflated).
    #[error("{path} is {size} bytes, over {MAX_FILE_BYTES}")]
    TooBig { path: String, size: u64 },
    #[error("not a stickyviz recording: {0:?}")]
    Malformed(NotRecording),
    /// Written by a newer stickyviz: its version is above [`VERSION`].
    #[error("recording format version {found} is above {VERSION}")]
    FutureVersion { found: u64 },
}

/// What makes a file not a recording this version reads. The library's own words
/// (serde_json's, the UTF-8 check's) are data, quoted as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotRecording {
    /// Not UTF-8 text.
    NotUtf8 {
        reason: String,
    },
    /// Not JSON (an empty or truncated file too).
    NotJson {
        reason: String,
    },
    /// JSON, but not an object.
    NotObject,
    /// No `"format": "stickyviz-recording"`.
    WrongFormat,
    NoVersion,
    VersionNotNumber,
    VersionZero,
    /// Event number `event` holds `number`, above [`MAX_EVENT_NUMBER`].
    NumberTooBig {
        event: usize,
        number: String,
    },
    /// The fields do not fit this version's types.
    Fields {
        reason: String,
    },
}

#[cfg(target_arch = "wasm32")]
fn kernel_release() -> String {
    "unknown".into()
}

#[cfg(not(target_arch = "wasm32"))]
fn kernel_release() -> String {
    std::fs::read_to_string("/proc/sys/kernel/osrelease").map_or_else(|_| "unknown".into(), |s| s.trim().to_string())
}

/// `name` if it is a preset whose experiment equals `settings`: a recording whose settings were
/// edited after picking a lesson is not that lesson any more.
pub fn matching_preset(name: Option<&str>, settings: &Experiment) -> Option<String> {
    name.and_then(crate::presets::find)
        .filter(|p| &p.experiment == settings)
        .map(|p| p.name.to_string())
}

/// The largest number an event may carry: 2^53, the largest whole number every JSON reader
/// keeps exact. A real run stays far below (2^53 µs is 285 years; 2^53 bytes is 8 PiB), and
/// with this bound stream positions plus lengths cannot overflow in the model.
pub const MAX_EVENT_NUMBER: u64 = 1 << 53;

/// Refuses an event number above [`MAX_EVENT_NUMBER`] anywhere in an event, naming the event.
fn check_numbers(events: &serde_json::Value) -> Result<(), RecordingError> {
    fn too_big(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Number(n)
                if n.as_u64().is_none_or(|n| n > MAX_EVENT_NUMBER) && n.as_i64().is_none_or(|n| n > 0) =>
            {
                Some(n.to_string())
            }
            serde_json::Value::Array(items) => items.iter().find_map(too_big),
            serde_json::Value::Object(fields) => fields.values().find_map(too_big),
            _ => None,
        }
    }
    let Some(events) = events.as_array() else { return Ok(()) }; // the typed parse says what is wrong
    for (i, event) in events.iter().enumerate() {
        if let Some(n) = too_big(event) {
            return Err(RecordingError::Malformed(NotRecording::NumberTooBig {
                event: i,
                number: n,
            }));
        }
    }
    Ok(())
}

impl Recording {
    pub fn new(settings: Experiment, events: Vec<Event>) -> Self {
        let model = Model::from_events(&events).with_place(crate::analysis::causes::Place::of(&settings));
        let (summary, class) = (model.summary().clone(), model.class_session());
        Self {
            format: FORMAT.into(),
            version: VERSION,
            app_version: env!("CARGO_PKG_VERSION").into(),
            os: std::env::consts::OS.into(),
            kernel: kernel_release(),
            preset: None,
            settings,
            events,
            summary,
            class,
        }
    }

    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a recording, checking the format name and version before the rest, so a file
    /// from a newer app is reported as such rather than as a confusing missing field.
    pub fn from_json(text: &str) -> Result<Self, RecordingError> {
        let malformed = |why| Err(RecordingError::Malformed(why));
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => return malformed(NotRecording::NotJson { reason: e.to_string() }),
        };
        let Some(head) = value.as_object() else {
            return malformed(NotRecording::NotObject);
        };
        if head.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return malformed(NotRecording::WrongFormat);
        }
        match head.get("version").map(|v| v.as_u64()) {
            None => return malformed(NotRecording::NoVersion),
            Some(None) => return malformed(NotRecording::VersionNotNumber),
            Some(Some(0)) => return malformed(NotRecording::VersionZero),
            Some(Some(v)) if v > u64::from(VERSION) => return Err(RecordingError::FutureVersion { found: v }),
            Some(Some(_)) => {}
        }
        check_numbers(&value["events"])?;
        let mut value = value;
        if value["version"] == 1 {
            v1::upgrade(&mut value);
        }
        serde_json::from_value(value)
            .map_err(|e| RecordingError::Malformed(NotRecording::Fields { reason: e.to_string() }))
    }

    /// Names the preset `name` if the settings are exactly that preset's, else none.
    pub fn with_preset(mut self, name: Option<&str>) -> Self {
        self.preset = matching_preset(name, &self.settings);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn future_version_is_refused() {
        let r = Recording::new(Experiment::default(), vec![]);
        let text = r.to_json().replace(&format!("\"version\":{VERSION}"), "\"version\":99");
        assert!(matches!(
            Recording::from_json(&text),
            Err(RecordingError::FutureVersion { found: 99 })
        ));
    }

    #[test]
    fn malformed_is_refused() {
        for text in [
            "",
            "{",
            "[]",
            "{\"format\":\"x\",\"version\":1}",
            "{\"format\":\"stickyviz-recording\"}",
        ] {
            assert!(
                matches!(Recording::from_json(text), Err(RecordingError::Malformed(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn round_trip() {
        let r = Recording::new(Experiment::default(), vec![crate::facts::Event::Finished { at_us: 5 }]);
        let back = Recording::from_json(&r.to_json()).expect("parses");
        assert_eq!(back.events, r.events);
        assert_eq!(back.settings, r.settings);
    }
}
