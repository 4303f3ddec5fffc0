//! Stream decoding in memory: SSE parser -> typed events -> accumulated
//! message, on one core, with allocations counted.
//!
//! Target: at least 1,000,000 events/s on one core, on the recorded vectors
//! and on 200,000 small `text_delta` events; per event at most one small
//! allocation beyond the text it appends. The same events over Bedrock's
//! eventstream framing (frames, CRCs, base64, then the same decoding):
//! within 1.5x of the SSE path per event (the ratio is printed last).
//!
//! `cargo bench -p claude-rs-bench --bench decode` (full: best of 10 passes);
//! `cargo test -p claude-rs-bench --bench decode -- --quick` (CI: one pass of
//! smaller streams in the test profile, a few seconds; exits non-zero if the
//! `text_delta` stream allocates more than its budget, see `check`; asserts
//! nothing on time). `--by-kind` adds allocations per event kind;
//! `--case TEXT` runs only the cases whose name contains TEXT, e.g. under
//! `valgrind --tool=callgrind` for instructions per event.

use std::time::{Duration, Instant};

use bytes::Bytes;
use claude_rs_bench::alloc::{AllocCount, CountingAlloc};
use claude_rs_bench::pipeline::{Decoded, allocations_by_kind, decode, decode_eventstream};
use claude_rs_bench::streams::{self, Kind};
use claude_rs_bench::{arg_usize, flag};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// How a case's bytes are framed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Framing {
    Sse,
    /// Bedrock's eventstream (`claude_rs_bedrock::ChunkDecoder`).
    EventStream,
}

/// One measured case.
struct Case {
    name: String,
    framing: Framing,
    chunks: Vec<Bytes>,
    bytes: usize,
    /// Events with a JSON escape (`\\`) in their data.
    escaped: u64,
}

fn cases(events: usize) -> Vec<Case> {
    let mut out = Vec::new();
    for (kind, label) in [
        (Kind::TextDeltas, "text_delta"),
        (Kind::Recorded, "recorded"),
        (Kind::Mixed, "mixed"),
    ] {
        let stream = kind.build(events);
        let escaped = streams::event_chunks(&stream)
            .iter()
            .filter(|event| event.contains(&b'\\'))
            .count() as u64;
        for (chunking, chunks) in [
            ("per event", streams::event_chunks(&stream)),
            ("16 KiB", streams::fixed_chunks(&stream, 16 * 1024)),
        ] {
            out.push(Case {
                name: format!("{label} ({chunking})"),
                framing: Framing::Sse,
                chunks,
                bytes: stream.len(),
                escaped,
            });
        }
        if kind != Kind::Mixed {
            let frames = streams::eventstream_frames(&stream);
            out.push(Case {
                name: format!("{label} (eventstream)"),
                framing: Framing::EventStream,
                bytes: frames.iter().map(Bytes::len).sum(),
                chunks: frames,
                escaped,
            });
        }
    }
    out
}

fn run(case: &Case) -> Decoded {
    match case.framing {
        Framing::Sse => decode(&case.chunks),
        Framing::EventStream => decode_eventstream(&case.chunks),
    }
}

#[allow(clippy::print_stdout)] // A bench prints its figures.
fn main() {
    let quick = flag("--quick");
    let events = arg_usize("--events", if quick { 20_000 } else { 200_000 });
    let passes = arg_usize("--passes", if quick { 1 } else { 10 });
    println!(
        "decode: SSE -> MessageStreamEvent -> MessageAccumulator, one thread, \
         best of {passes} pass(es)"
    );
    if cfg!(debug_assertions) {
        println!("(unoptimized build: the times mean nothing; the allocation counts hold)");
    }
    println!(
        "{:<26} {:>8} {:>12} {:>9} {:>9} {:>11} {:>10} {:>11}",
        "case", "events", "events/s", "ns/event", "MiB/s", "allocs/ev", "reallocs", "bytes/ev"
    );
    let mut failures = Vec::new();
    let mut per_event = Vec::new();
    // `--case TEXT`: only the cases whose name contains TEXT (for a
    // profiler run on one case).
    let only = claude_rs_bench::arg("--case");
    for case in cases(events) {
        if only
            .as_deref()
            .is_some_and(|text| !case.name.contains(text))
        {
            continue;
        }
        // First pass: warms up and counts allocations (deterministic).
        let before = AllocCount::now();
        let decoded = run(&case);
        let allocs = AllocCount::now().since(before);
        let mut times = Vec::with_capacity(passes);
        for _ in 0..passes {
            let start = Instant::now();
            let again = run(&case);
            times.push(start.elapsed());
            assert_eq!(again, decoded, "every pass decodes the same");
        }
        times.sort();
        let best = times[0];
        report(&case, &decoded, allocs, best);
        per_event.push((
            case.name.clone(),
            best.as_secs_f64() / decoded.events as f64,
        ));
        failures.extend(check(&case, &decoded, allocs));
    }
    for label in ["text_delta", "recorded"] {
        let find = |name: String| per_event.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
        if let (Some(sse), Some(frames)) = (
            find(format!("{label} (per event)")),
            find(format!("{label} (eventstream)")),
        ) {
            println!(
                "{label}: eventstream / SSE per event = {:.2}x (target <= 1.5x)",
                frames / sse
            );
        }
    }
    if flag("--by-kind") {
        by_kind(events);
    }
    if !failures.is_empty() {
        for failure in &failures {
            eprintln!("allocation regression: {failure}");
        }
        std::process::exit(1);
    }
}

#[allow(clippy::print_stdout)]
fn by_kind(events: usize) {
    for kind in [Kind::TextDeltas, Kind::Recorded, Kind::Mixed] {
        let stream = kind.build(events);
        let table = allocations_by_kind(&streams::event_chunks(&stream), AllocCount::now);
        println!("allocations by event kind ({kind:?} stream, per-event chunks):");
        for (name, n, allocs, reallocs) in table {
            println!(
                "  {name:<40} {n:>8} events {:>7.2} allocs/ev {reallocs:>7} reallocs",
                allocs as f64 / n as f64
            );
        }
    }
}

#[allow(clippy::print_stdout)]
fn report(case: &Case, decoded: &Decoded, allocs: AllocCount, best: Duration) {
    let n = decoded.events as f64;
    let secs = best.as_secs_f64();
    println!(
        "{:<26} {:>8} {:>12.0} {:>9.1} {:>9.1} {:>11.3} {:>10} {:>11.1}",
        case.name,
        decoded.events,
        n / secs,
        secs * 1e9 / n,
        case.bytes as f64 / secs / (1 << 20) as f64,
        allocs.allocs as f64 / n,
        allocs.reallocs,
        allocs.bytes as f64 / n,
    );
}

/// The allocation budget of the `text_delta` stream: one allocation per
/// event (the decoded piece of text), one more per piece with an escape
/// (serde_json's unescaping buffer) and per chunk (a line split between two
/// chunks), plus the amortized growth of the accumulated text
/// (reallocations, logarithmic in its length), plus a few fixed ones (the
/// parser, the message). Over eventstream the same, without the split
/// lines: frames are read in place and each event's JSON is decoded into a
/// reused buffer, so framing allocates nothing per event. Counts are
/// deterministic, so this is a regression check, not a timing assertion.
fn check(case: &Case, decoded: &Decoded, allocs: AllocCount) -> Option<String> {
    if !case.name.starts_with("text_delta") {
        return None;
    }
    let fixed = 64;
    // serde_json unescapes into a scratch buffer of its own: one more
    // allocation for a piece of text with an escape in it.
    let escaped = case.escaped;
    // A line split between two chunks is assembled into a buffer of its own.
    let splits = match case.framing {
        Framing::Sse => case.chunks.len() as u64,
        Framing::EventStream => 0,
    };
    let budget = decoded.events + escaped + splits + fixed;
    let ok = allocs.allocs <= budget && allocs.reallocs <= fixed;
    (!ok).then(|| {
        format!(
            "{}: {} allocations and {} reallocations for {} events \
             (budget: one per event, one more per escaped text ({escaped}) \
             and per chunk ({splits}), + {fixed}; \
             and {fixed} reallocations)",
            case.name, allocs.allocs, allocs.reallocs, decoded.events
        )
    })
}
