//! The streaming path against its floor, on the 200k-delta stream of the
//! side-by-side comparisons with other clients (`streams::big`: thinking, 200,000
//! text deltas, a tool input in 17-byte fragments, pings; 29 MB, 233,022
//! events):
//!
//! - **floor**: each event's `data` parsed by `serde_json` into
//!   `MessageStreamEvent`, from one contiguous buffer holding all of them,
//!   and nothing else: what any client that decodes the events must spend;
//! - **path**: the client's whole path, `client.messages().stream(..)` then
//!   `final_message()`, on an in-memory body delivered in chunks as hyper
//!   delivers them (slices of one growing read buffer, `streams::hyper_chunks`):
//!   the SSE parser, decoding and accumulation, to the final `Message`.
//!
//! After criterion's output it prints both figures and the ratio path / floor
//! (the goal: 1.5 or below), from interleaved passes.
//!
//! `cargo bench -p claude-rs-bench --bench floor -- --warm-up-time 1
//! --measurement-time 3` (criterion's sample size is set to 10 here: each
//! iteration is hundreds of milliseconds); `-- --write FILE` writes the
//! stream instead.
//!
//! Measured on the shared 2-core development machine (2026-12-07, other
//! builds running, so the ratio is the figure to quote): floor 301 ms, path
//! 450 ms, ratio 1.49 (median of 9 interleaved passes; criterion's medians
//! 304 ms and 415 ms). With events borrowed from the chunks but each event
//! still moved up through the stream to `final_message`: ratio 1.64.

use std::convert::Infallible;
use std::hint::black_box;
use std::ops::Range;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use claude_rs_bench::streams;
use claude_rs_client::Client;
use claude_rs_client::transport::{Body, RequestBody};
use claude_rs_types::{
    request::CreateMessageRequest, request::MessageParam, stream::MessageStreamEvent,
};
use criterion::Criterion;
use http::{Request, Response};
use http_body::Frame;

/// The stream's size: text deltas, and objects in the tool input.
const DELTAS: usize = 200_000;
const TOOL_ITEMS: usize = DELTAS / 50;

/// Every event's `data`, one after the other in one buffer, and where each is.
fn data_of(stream: &[u8]) -> (String, Vec<Range<usize>>) {
    let text = std::str::from_utf8(stream).expect("UTF-8 stream");
    let mut all = String::with_capacity(stream.len());
    let mut ranges = Vec::new();
    for line in text.split('\n') {
        if let Some(data) = line.strip_prefix("data: ") {
            let start = all.len();
            all.push_str(data);
            ranges.push(start..all.len());
        }
    }
    (all, ranges)
}

/// The floor: one `serde_json` parse per event, nothing else.
fn floor(all: &str, ranges: &[Range<usize>]) -> usize {
    let mut parsed = 0;
    for range in ranges {
        let event: MessageStreamEvent =
            serde_json::from_str(&all[range.clone()]).expect("a stream event");
        black_box(event);
        parsed += 1;
    }
    parsed
}

/// A response body handing out the given chunks, all ready at once (as
/// from a server that writes faster than the client reads).
struct Chunks(std::vec::IntoIter<Bytes>);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.next().map(|chunk| Ok(Frame::data(chunk))))
    }
}

/// A client whose every response is the stream, in `chunks`.
fn client(chunks: Vec<Bytes>) -> Client {
    let transport = tower::service_fn(move |_: Request<RequestBody>| {
        let body = Body::wrap(Chunks(chunks.clone().into_iter()));
        let response = Response::builder()
            .header("content-type", "text/event-stream")
            .body(body)
            .expect("a response");
        std::future::ready(Ok::<_, claude_rs_client::transport::Error>(response))
    });
    Client::builder()
        .api_key("sk-ant-bench")
        .base_url("http://127.0.0.1:9")
        .transport(transport)
        .build()
        .expect("a client")
}

/// The whole path: one streamed call read to its final message.
fn path(runtime: &tokio::runtime::Runtime, client: &Client) -> usize {
    let request = CreateMessageRequest::new(
        "claude-sonnet-4-5",
        64_000,
        vec![MessageParam::user("Write a long answer.")],
    );
    runtime.block_on(async {
        let stream = client.messages().stream(request).await.expect("a stream");
        let message = stream.final_message().await.expect("the message");
        let blocks = message.content.len();
        black_box(message);
        blocks
    })
}

#[allow(clippy::print_stdout)] // A bench prints its figures.
fn main() {
    let stream = streams::big(DELTAS, TOOL_ITEMS);
    // `--write PATH`: the stream itself, e.g. for the replay server of the
    // side-by-side comparisons.
    if let Some(path) = claude_rs_bench::arg("--write") {
        std::fs::write(&path, &stream).expect("the stream written");
        return;
    }
    let (all, ranges) = data_of(&stream);
    let chunks = streams::hyper_chunks(&stream);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = client(chunks);
    // Both read the whole stream: every event parsed, the message complete.
    assert_eq!(floor(&all, &ranges), ranges.len());
    assert_eq!(path(&runtime, &client), 3);

    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    criterion.bench_function("floor", |b| {
        b.iter(|| floor(&all, &ranges));
    });
    criterion.bench_function("path", |b| {
        b.iter(|| path(&runtime, &client));
    });
    criterion.final_summary();
    if std::env::args().any(|arg| arg == "--test" || arg == "--list") {
        return;
    }
    // The ratio from interleaved passes (a, b, a, b, ...): the median of
    // each, so a machine that slows down meanwhile hurts neither side.
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..9 {
        let start = Instant::now();
        floor(&all, &ranges);
        a.push(start.elapsed());
        let start = Instant::now();
        path(&runtime, &client);
        b.push(start.elapsed());
    }
    a.sort();
    b.sort();
    let (a, b) = (a[a.len() / 2], b[b.len() / 2]);
    println!(
        "\n{} events, {} bytes in {} chunks (median of 9 interleaved passes each)",
        ranges.len(),
        stream.len(),
        streams::hyper_chunks(&stream).len()
    );
    println!("floor (a): {:.2} ms", a.as_secs_f64() * 1e3);
    println!("path  (b): {:.2} ms", b.as_secs_f64() * 1e3);
    println!("ratio b/a: {:.2}", b.as_secs_f64() / a.as_secs_f64());
}
