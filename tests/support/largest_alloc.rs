//! The largest single allocation a piece of code makes, to prove a decoder never allocates more
//! than one frame. Shared by `tests/framing_props.rs` and the fuzz targets (`fuzz/src/lib.rs`),
//! each of which installs `CountingAlloc` as its `#[global_allocator]`.
//!
//! Counting is per thread (tests run on several), and only while `largest_allocation` runs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// `System`, noting the size of every allocation and reallocation made while counting.
pub struct CountingAlloc;

thread_local! {
    static TRACKING: Cell<bool> = const { Cell::new(false) };
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

fn note(size: usize) {
    // try_with: the allocator also runs while thread locals are torn down
    if TRACKING.try_with(Cell::get).unwrap_or(false) {
        let _ = LARGEST.try_with(|l| l.set(l.get().max(size)));
    }
}

// SAFETY: every call goes straight to `System`; the bookkeeping only touches const-initialised
// thread locals without destructors, which never allocate.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

/// Runs `f` and returns what it returned and the largest single allocation this thread made in
/// it, outside `untracked` sections.
pub fn largest_allocation<R>(f: impl FnOnce() -> R) -> (R, usize) {
    LARGEST.with(|l| l.set(0));
    TRACKING.with(|t| t.set(true));
    let r = f();
    TRACKING.with(|t| t.set(false));
    (r, LARGEST.with(Cell::get))
}

/// Runs `f` (the checker's own bookkeeping, not the decoder's memory) without counting.
pub fn untracked<R>(f: impl FnOnce() -> R) -> R {
    let was = TRACKING.with(|t| t.replace(false));
    let r = f();
    TRACKING.with(|t| t.set(was));
    r
}
