//! The `newline` stream decoder: arbitrary bytes cut into arbitrary reads (see `stickyviz_fuzz::Input`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stickyviz::framing::FramingMode;

#[global_allocator]
static ALLOC: stickyviz_fuzz::CountingAlloc = stickyviz_fuzz::CountingAlloc;

fuzz_target!(|data: &[u8]| stickyviz_fuzz::check_stream_codec(FramingMode::Newline, data));
