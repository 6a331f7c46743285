//! The naive `u32` decoder (the seed's client): arbitrary bytes, arbitrary short reads.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: stickyviz_fuzz::CountingAlloc = stickyviz_fuzz::CountingAlloc;

fuzz_target!(|data: &[u8]| stickyviz_fuzz::check_naive_u32(data));
