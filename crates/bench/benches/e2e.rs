//! End to end over loopback: `claude-rs-client` streaming a large stream from
//! the mock (a child process), events per second and client CPU time.
//!
//! Target: at least 500,000 events/s, and client CPU time at least 20 times
//! lower than the official Python SDK's on the same stream
//! (`crates/bench/python_compare.sh`).
//!
//! `cargo bench -p claude-rs-bench --bench e2e [-- --stream deltas|mixed
//! --events N --runs R]`: 200,000 small `text_delta` events, then a
//! recorded-style stream (thinking, text, tool input fragments, pings) of
//! as many. With `--url URL` it streams from a mock already running there
//! (the Python comparison, `crates/bench/python_compare.sh`).
//!
//! The client's OpenTelemetry spans cost nothing without a subscriber: with
//! `--features claude-rs-client/tracing` and no subscriber, `valgrind
//! --tool=callgrind` over `--stream deltas --events 20000 --runs 1` (the
//! warm-up and one run: 40,010 events) counted 407,309,790 instructions
//! before the spans existed and 407,349,797 with them, one instruction per
//! event (the check that the stream has no span).

use std::time::{Duration, Instant};

use claude_rs_bench::child::MockChild;
use claude_rs_bench::{arg, arg_usize, proc};
use claude_rs_client::Client;
use claude_rs_types::request::{CreateMessageRequest, MessageParam};

/// One stream, read to the end.
struct Run {
    events: u64,
    wall: Duration,
    cpu: Duration,
    text_len: usize,
}

async fn stream_once(client: &Client) -> Run {
    let request = CreateMessageRequest::new(
        "claude-sonnet-4-6",
        64_000,
        vec![MessageParam::user("Write a long answer.")],
    );
    let cpu = proc::threads_cpu_time();
    let start = Instant::now();
    let mut stream = client.messages().stream(request).await.expect("a stream");
    let mut events = 0;
    while let Some(event) = stream.next().await {
        event.expect("a valid event");
        events += 1;
    }
    let message = stream.snapshot().expect("a message").clone();
    Run {
        events,
        wall: start.elapsed(),
        cpu: proc::threads_cpu_time() - cpu,
        text_len: message.text().len(),
    }
}

#[allow(clippy::print_stdout)] // A bench prints its figures.
fn main() {
    let events = arg_usize("--events", 200_000);
    let runs = arg_usize("--runs", 5).max(1);
    if let Some(url) = arg("--url") {
        let name = arg("--stream").unwrap_or_else(|| "given".to_owned());
        return measure(&url, &name, runs);
    }
    // The recorded vectors are many messages (one with an `error` event),
    // not one stream a client would read whole: the in-memory bench has them.
    let names = match arg("--stream") {
        Some(name) if name == "deltas" || name == "mixed" => vec![name],
        Some(other) => panic!("--stream deltas|mixed, not {other}"),
        None => vec!["deltas".to_owned(), "mixed".to_owned()],
    };
    for name in names {
        let events = events.to_string();
        let args = ["--stream", name.as_str(), "--events", events.as_str()];
        let child = MockChild::spawn(env!("CARGO_BIN_EXE_bench-mock"), &args).expect("bench-mock");
        measure(child.base_url(), &name, runs);
        drop(child);
        println!();
    }
}

/// Streams `runs` times (after a warm-up) from the mock at `url`.
#[allow(clippy::print_stdout)]
fn measure(url: &str, name: &str, runs: usize) {
    // One thread: the client's whole work (hyper, parsing, decoding) is on
    // this core; the mock runs in its own process.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let process_cpu = proc::cpu_time();
    let results = runtime.block_on(async {
        let client = Client::builder()
            .api_key("sk-ant-bench")
            .base_url(url)
            .build()
            .expect("a client");
        stream_once(&client).await; // Warm-up: connection, first allocations.
        let mut results = Vec::new();
        for _ in 0..runs {
            results.push(stream_once(&client).await);
        }
        results
    });
    let process_cpu = proc::cpu_time() - process_cpu;
    println!("e2e: client (current-thread runtime) <- {url} ({name}), {runs} run(s)");
    println!(
        "{:>4} {:>8} {:>10} {:>12} {:>10} {:>12}",
        "run", "events", "wall ms", "events/s", "cpu ms", "cpu ns/event"
    );
    for (i, run) in results.iter().enumerate() {
        let n = run.events as f64;
        println!(
            "{:>4} {:>8} {:>10.1} {:>12.0} {:>10.1} {:>12.0}",
            i + 1,
            run.events,
            run.wall.as_secs_f64() * 1e3,
            n / run.wall.as_secs_f64(),
            run.cpu.as_secs_f64() * 1e3,
            run.cpu.as_secs_f64() * 1e9 / n,
        );
    }
    let mut walls: Vec<Duration> = results.iter().map(|r| r.wall).collect();
    let mut cpus: Vec<Duration> = results.iter().map(|r| r.cpu).collect();
    walls.sort();
    cpus.sort();
    let median = |v: &[Duration]| v[v.len() / 2];
    let n = results[0].events as f64;
    println!(
        "median: {:.0} events/s, client CPU {:.1} ms per stream ({:.0} ns/event), text {} bytes",
        n / median(&walls).as_secs_f64(),
        median(&cpus).as_secs_f64() * 1e3,
        median(&cpus).as_secs_f64() * 1e9 / n,
        results[0].text_len,
    );
    let threads_cpu: Duration = results.iter().map(|r| r.cpu).sum();
    println!(
        "check: process CPU of all runs and the warm-up {:.0} ms (10 ms ticks), \
         of the runs alone {:.0} ms",
        process_cpu.as_secs_f64() * 1e3,
        threads_cpu.as_secs_f64() * 1e3
    );
    // For scripts (the Python comparison).
    println!(
        "RESULT rust events={} cpu_s={:.4} wall_s={:.4}",
        results[0].events,
        median(&cpus).as_secs_f64(),
        median(&walls).as_secs_f64()
    );
}
