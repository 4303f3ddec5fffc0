//! Resuming a session with a long history through `ResumableStream`: an
//! in-memory source whose history holds N persisted events and whose live
//! stream repeats the last 100 of them (persisted while the history was
//! read) before the session terminates. Every event must be handed over
//! once. Time and memory must grow linearly with N.
//!
//! Memory, with a counting allocator: bytes allocated per event, and the
//! bytes the stream still holds after the last event (the ids it has
//! handed over) per event; the peak resident set (`VmHWM`, reset between
//! sizes) is printed too.
//!
//! `cargo bench -p claude-rs-bench --bench session_resume -- --warm-up-time 1 --measurement-time 3 --sample-size 10`

#![allow(missing_docs)] // criterion's macros write functions without docs
#![allow(clippy::print_stdout)] // A bench prints its figures.

use std::sync::Mutex;

use claude_rs_agents::resume::{
    BoxEvents, Opening, Persisted, ResumableStream, ResumeOptions, Source,
};
use claude_rs_agents::sessions::StreamSessionEvents;
use claude_rs_bench::alloc::{AllocCount, CountingAlloc, live_bytes};
use claude_rs_bench::proc::status_kib;
use claude_rs_bench::sessions::session_events;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const SIZES: [usize; 3] = [10_000, 50_000, 100_000];
/// Events persisted after the stream opened: on the live stream and at the
/// end of the history both.
const OVERLAP: usize = 100;

/// A session's events, decoded once.
fn decoded(count: usize) -> Vec<StreamSessionEvents> {
    session_events(count)
        .iter()
        .map(|json| serde_json::from_str(json).expect("a valid session event"))
        .collect()
}

/// The history and the live stream, each handed out once.
struct Memory {
    history: Mutex<Option<Vec<StreamSessionEvents>>>,
    live: Mutex<Option<Vec<StreamSessionEvents>>>,
}

impl Memory {
    /// `events` without the last as the history; its last `OVERLAP`, then
    /// the last (the session terminates), as the live stream.
    fn new(mut events: Vec<StreamSessionEvents>) -> Self {
        let last = events.pop().expect("events");
        let mut live: Vec<_> = events[events.len().saturating_sub(OVERLAP)..].to_vec();
        live.push(last);
        Memory {
            history: Mutex::new(Some(events)),
            live: Mutex::new(Some(live)),
        }
    }
}

fn stream_of(events: Option<Vec<StreamSessionEvents>>) -> BoxEvents<StreamSessionEvents> {
    let events = events.unwrap_or_default();
    Box::pin(futures_util::stream::iter(events.into_iter().map(Ok)))
}

impl Source<StreamSessionEvents> for Memory {
    fn open(&self) -> Opening<'_, StreamSessionEvents> {
        let live = self.live.lock().expect("not poisoned").take();
        Box::pin(async move { Ok(stream_of(live)) })
    }

    fn history(&self) -> BoxEvents<StreamSessionEvents> {
        stream_of(self.history.lock().expect("not poisoned").take())
    }

    fn history_newest_first(&self) -> Option<BoxEvents<StreamSessionEvents>> {
        None
    }
}

/// Reads the resumable stream to its end; the number of events.
async fn resume(source: Memory) -> usize {
    let mut stream = ResumableStream::new(source, ResumeOptions::default());
    let mut count = 0;
    while let Some(event) = stream.next().await {
        std::hint::black_box(event.expect("no error"));
        count += 1;
    }
    count
}

/// The memory figures of one size, printed.
fn memory(runtime: &tokio::runtime::Runtime, events: &[StreamSessionEvents]) {
    let n = events.len();
    // Resets VmHWM to the current resident set (Linux).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    // The previews (no id) among the events the live stream repeats are
    // handed over again: only persisted events are deduplicated.
    let repeated = events[n.saturating_sub(OVERLAP + 1)..n - 1]
        .iter()
        .filter(|e| e.event_id().is_none())
        .count();
    let rss_before = status_kib("VmRSS");
    let base = live_bytes();
    let source = Memory::new(events.to_vec());
    let before = AllocCount::now();
    let (count, held) = runtime.block_on(async {
        let mut stream = ResumableStream::new(source, ResumeOptions::default());
        let mut count = 0;
        while let Some(event) = stream.next().await {
            drop(event.expect("no error"));
            count += 1;
        }
        // The stream's own state after the last event: every event has
        // been handed over and dropped, the source's vectors are consumed.
        (count, live_bytes().saturating_sub(base))
    });
    let used = AllocCount::now().since(before);
    assert_eq!(count, n + repeated, "every persisted event once");
    println!(
        "resume {n:>7} events: {:>6.1} allocations/event, {:>6.0} bytes allocated/event, \
         {:>5.1} bytes held/event at the end, peak RSS +{} KiB",
        used.allocs as f64 / n as f64,
        used.bytes as f64 / n as f64,
        held as f64 / n as f64,
        status_kib("VmHWM").saturating_sub(rss_before)
    );
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let all = decoded(*SIZES.last().expect("sizes"));
    let mut group = c.benchmark_group("session_resume");
    for n in SIZES {
        let mut events = all[..n - 1].to_vec();
        events.push(all.last().expect("the last").clone());
        memory(&runtime, &events);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &events, |b, events| {
            b.iter_batched(
                || Memory::new(events.clone()),
                |source| runtime.block_on(resume(source)),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
