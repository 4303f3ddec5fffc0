//! A counting global allocator: how many allocations (and bytes) a piece
//! of code makes. Install it in a bench binary with
//! `#[global_allocator] static ALLOC: CountingAlloc = CountingAlloc;`.

// `GlobalAlloc` is an unsafe trait; this module only forwards to the
// system allocator and counts. It is the one place of the workspace that
// needs `unsafe` (the package sets `unsafe_code = "deny"` for this reason).
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static REALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);
static FREED: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counting calls and requested bytes.
#[derive(Debug, Clone, Copy)]
pub struct CountingAlloc;

// SAFETY: every method forwards to `System` with the caller's arguments,
// so `System`'s guarantees carry over; counting has no effect on them.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: forwarded as received.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: forwarded as received.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        REALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size.saturating_sub(layout.size()) as u64, Relaxed);
        FREED.fetch_add(layout.size().saturating_sub(new_size) as u64, Relaxed);
        // SAFETY: forwarded as received.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        FREED.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: forwarded as received.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Bytes allocated and not freed yet: the live heap (zero unless
/// [`CountingAlloc`] is the global allocator).
pub fn live_bytes() -> u64 {
    BYTES.load(Relaxed).saturating_sub(FREED.load(Relaxed))
}

/// Allocation counters at one moment; subtract two to get a difference.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllocCount {
    /// New allocations (`alloc`, `alloc_zeroed`).
    pub allocs: u64,
    /// Reallocations (a growing `String` or `Vec`).
    pub reallocs: u64,
    /// Bytes requested by allocations and growths.
    pub bytes: u64,
}

impl AllocCount {
    /// The counters now (zero unless [`CountingAlloc`] is the global allocator).
    pub fn now() -> Self {
        AllocCount {
            allocs: ALLOCS.load(Relaxed),
            reallocs: REALLOCS.load(Relaxed),
            bytes: BYTES.load(Relaxed),
        }
    }

    /// What happened between `earlier` and `self`.
    pub fn since(self, earlier: AllocCount) -> AllocCount {
        AllocCount {
            allocs: self.allocs - earlier.allocs,
            reallocs: self.reallocs - earlier.reallocs,
            bytes: self.bytes - earlier.bytes,
        }
    }
}
