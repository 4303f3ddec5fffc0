//! Memory of many concurrent streams: one client holding 10,000 open
//! streams from the mock (a child process dripping one event a second),
//! resident memory of this process once all are open.
//!
//! Target: within 512 MiB RSS.
//!
//! `cargo bench -p claude-rs-bench --bench memory [-- --streams N]`
//!
//! Needs an open-files limit above the number of streams (each is its own
//! HTTP/1.1 connection): `ulimit -n 11000` (the mock, a process of its own,
//! needs as many).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use claude_rs_bench::alloc::{CountingAlloc, live_bytes};
use claude_rs_bench::child::MockChild;
use claude_rs_bench::{arg_usize, proc};
use claude_rs_client::Client;
use claude_rs_types::request::{CreateMessageRequest, MessageParam};
use tokio::sync::{Semaphore, watch};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// How long the whole bench may take.
const DEADLINE: Duration = Duration::from_secs(180);

#[allow(clippy::print_stdout)] // A bench prints its figures.
fn main() {
    let streams = arg_usize("--streams", 10_000);
    let limit = proc::open_files_limit();
    if limit < streams as u64 + 256 {
        eprintln!(
            "memory: {streams} streams need more open files than the limit ({limit}); \
             run under `ulimit -n {}`",
            streams + 1024
        );
        std::process::exit(2);
    }
    // 600 events a second apart: each stream stays open for ten minutes,
    // far longer than the bench.
    let args = ["--stream", "deltas", "--events", "600", "--drip-ms", "1000"];
    let child = MockChild::spawn(env!("CARGO_BIN_EXE_bench-mock"), &args).expect("bench-mock");
    let url = child.base_url().to_owned();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let baseline = proc::status_kib("VmRSS");
    let figures = runtime.block_on(async {
        let client = Client::builder()
            .api_key("sk-ant-bench")
            .base_url(url.as_str())
            .build()
            .expect("a client");
        let before = proc::status_kib("VmRSS");
        let heap_before = live_bytes();
        let opened = Arc::new(AtomicUsize::new(0));
        let failed = Arc::new(AtomicUsize::new(0));
        let (stop_tx, stop_rx) = watch::channel(false);
        // Bounds the connects in flight (the listen backlog), not the streams.
        let opening = Arc::new(Semaphore::new(256));
        let start = Instant::now();
        let mut tasks = Vec::with_capacity(streams);
        for _ in 0..streams {
            let (client, opened, failed) = (client.clone(), opened.clone(), failed.clone());
            let (opening, mut stop) = (opening.clone(), stop_rx.clone());
            tasks.push(tokio::spawn(async move {
                let request = CreateMessageRequest::new(
                    "claude-sonnet-4-6",
                    1024,
                    vec![MessageParam::user("Hello, Claude")],
                );
                let permit = opening.acquire_owned().await;
                let stream = client.messages().stream(request).await;
                drop(permit);
                let Ok(mut stream) = stream else {
                    failed.fetch_add(1, Ordering::SeqCst);
                    return;
                };
                opened.fetch_add(1, Ordering::SeqCst);
                loop {
                    tokio::select! {
                        event = stream.next() => match event {
                            Some(Ok(_)) => {}
                            _ => return,
                        },
                        _ = stop.changed() => return,
                    }
                }
            }));
        }
        while opened.load(Ordering::SeqCst) + failed.load(Ordering::SeqCst) < streams
            && start.elapsed() < DEADLINE
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let open_time = start.elapsed();
        // Let the streams read a couple of dripped events each.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let rss = proc::status_kib("VmRSS");
        let hwm = proc::status_kib("VmHWM");
        let heap = live_bytes().saturating_sub(heap_before);
        let _ = stop_tx.send(true);
        for task in tasks {
            let _ = task.await;
        }
        (
            before,
            rss,
            hwm,
            heap,
            open_time,
            opened.load(Ordering::SeqCst),
            failed.load(Ordering::SeqCst),
        )
    });
    let (before, rss, hwm, heap, open_time, opened, failed) = figures;
    println!("memory: {streams} concurrent streams on one client, {url} dripping 1 event/s");
    println!(
        "opened {opened} (failed {failed}) in {:.1} s",
        open_time.as_secs_f64()
    );
    println!(
        "RSS: {:.1} MiB at start, {:.1} MiB with the client, {:.1} MiB with all streams open \
         (peak {:.1} MiB); {:.1} KiB per stream",
        baseline as f64 / 1024.0,
        before as f64 / 1024.0,
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0,
        (rss.saturating_sub(before)) as f64 / opened.max(1) as f64,
    );
    println!(
        "heap in use by the streams: {:.1} MiB, {:.1} KiB per stream (the rest of the RSS: \
         allocator overhead, the runtime, code)",
        heap as f64 / (1 << 20) as f64,
        heap as f64 / 1024.0 / opened.max(1) as f64,
    );
    drop(child);
}
