//! Benchmarks of the claude-rs streaming path and per-call overhead.
//!
//! The benches (`benches/*.rs`, each a plain program printing its figures)
//! share the pieces here: the benchmark streams ([`streams`]), the in-memory
//! decode pipeline ([`pipeline`]), a counting global allocator ([`alloc`]),
//! the calling thread's CPU time ([`clock`]), process CPU time and memory
//! readings ([`proc`]) and the mock child
//! process ([`child`], served by the `bench-mock` binary, [`serve`]).
//!
//! How to run each one is in the README's "Benchmarks" section.

pub mod alloc;
pub mod child;
pub mod clock;
pub mod pipeline;
pub mod proc;
pub mod serve;
pub mod sessions;
pub mod streams;

/// Reads `--name value` from the program's arguments.
pub fn arg(name: &str) -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == name {
            return args.next();
        }
    }
    None
}

/// Whether `--name` is among the program's arguments.
pub fn flag(name: &str) -> bool {
    std::env::args().skip(1).any(|arg| arg == name)
}

/// Reads `--name N`, or `default`.
pub fn arg_usize(name: &str, default: usize) -> usize {
    arg(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Nearest-rank percentile of sorted values (`p` in 0..=100).
pub fn percentile<T: Copy>(sorted: &[T], p: f64) -> T {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
