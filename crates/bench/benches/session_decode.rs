//! Managed Agents session stream decoding, on one core: an SSE body of
//! session events (statuses, spans, message previews, messages, custom and
//! built-in tool calls and results) read through the client's event stream
//! (`client.sessions().events().stream(..)`, an in-memory transport handing
//! the body over in 16 KiB pieces) into `StreamSessionEvents`.
//!
//! Target: at least 1,000,000 events/s per core. The `parse+decode` case is
//! the same bytes through the SSE parser and `serde_json` alone, without
//! the client (what is left is the client's share). Both are timed in CPU
//! time of the benchmark thread ([`support::ThreadCpu`]), which is where
//! all the work runs (a current-thread runtime): one core's time, without
//! the time other processes or the hypervisor took the core away.
//!
//! `cargo bench -p claude-rs-bench --bench session_decode -- --warm-up-time 1 --measurement-time 3 --sample-size 10`

#![allow(missing_docs)] // criterion's macros write functions without docs
#![allow(clippy::print_stdout)] // A bench prints its figures.

use std::convert::Infallible;
use std::hint::black_box;
use std::sync::Arc;

use bytes::Bytes;
use claude_rs_agents::ManagedAgentsExt as _;
use claude_rs_agents::sessions::{SessionsEventsStreamQuery, StreamSessionEvents};
use claude_rs_bench::sessions::{chunked, session_events, sse_body};
use claude_rs_client::Client;
use claude_rs_client::transport::{Body, RequestBody};
use claude_rs_sse::Parser;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use support::ThreadCpu;

mod support;

const EVENTS: usize = 100_000;
const CHUNK: usize = 16 * 1024;

/// A client whose every request is answered with `chunks` as an SSE body.
fn client(chunks: Arc<Vec<Bytes>>) -> Client {
    let transport = tower::service_fn(move |_: http::Request<RequestBody>| {
        let chunks = Arc::clone(&chunks);
        async move {
            let frames: Vec<Result<http_body::Frame<Bytes>, Infallible>> = chunks
                .iter()
                .cloned()
                .map(|c| Ok(http_body::Frame::data(c)))
                .collect();
            let body = http_body_util::StreamBody::new(futures_util::stream::iter(frames));
            let response = http::Response::builder()
                .header("content-type", "text/event-stream")
                .body(Body::wrap(body))
                .expect("a response");
            Ok::<_, claude_rs_client::transport::Error>(response)
        }
    });
    Client::builder()
        .api_key("sk-ant-bench")
        .base_url("http://bench.invalid")
        .transport(transport)
        .max_retries(0)
        .build()
        .expect("a client")
}

/// Reads the whole session stream; the number of events, and how many the
/// union did not know (must be none).
async fn read(client: &Client) -> (usize, usize) {
    let mut events = client
        .sessions()
        .events()
        .stream("sesn_bench", &SessionsEventsStreamQuery::default())
        .await
        .expect("the stream opens");
    let (mut count, mut unknown) = (0, 0);
    while let Some(event) = events.next().await {
        let event = event.expect("a valid event");
        unknown += usize::from(matches!(event, StreamSessionEvents::Unknown(_)));
        count += 1;
        black_box(event);
    }
    (count, unknown)
}

/// The SSE parser and `serde_json` alone.
fn parse_and_decode(chunks: &[Bytes]) -> usize {
    let mut parser = Parser::new();
    let mut count = 0;
    let mut drain = |parser: &mut Parser| {
        while let Some(event) = parser.next_event() {
            let event = event.expect("a valid SSE event");
            let typed: StreamSessionEvents =
                serde_json::from_str(event.data()).expect("a valid session event");
            black_box(typed);
            count += 1;
        }
    };
    for chunk in chunks {
        parser.feed(chunk.clone());
        drain(&mut parser);
    }
    parser.finish();
    drain(&mut parser);
    count
}

fn bench(c: &mut Criterion<ThreadCpu>) {
    let body = sse_body(&session_events(EVENTS));
    let chunks = Arc::new(chunked(&body, CHUNK));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = client(Arc::clone(&chunks));
    let (count, unknown) = runtime.block_on(read(&client));
    assert_eq!(
        (count, unknown),
        (EVENTS, 0),
        "every event decodes to a known type"
    );
    assert_eq!(parse_and_decode(&chunks), EVENTS);
    println!(
        "{EVENTS} session events, {} bytes ({} bytes/event), {CHUNK}-byte pieces",
        body.len(),
        body.len() / EVENTS
    );

    let mut group = c.benchmark_group("session_stream");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.bench_function("client", |b| b.iter(|| runtime.block_on(read(&client))));
    group.bench_function("parse+decode", |b| b.iter(|| parse_and_decode(&chunks)));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = bench
}
criterion_main!(benches);
