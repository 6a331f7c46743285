//! Loading a recording file: arbitrary text through `Recording::from_json` and into the model.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| stickyviz_fuzz::check_recording(data));
