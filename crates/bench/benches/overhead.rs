//! Per-call overhead: non-streaming `messages().create` against the mock,
//! compared with a bare hyper request of the same bytes on the same mock.
//!
//! Target: p50 within 30 µs of the bare request.
//!
//! `cargo bench -p claude-rs-bench --bench overhead [-- --calls N]`
//!
//! Both clients reuse one keep-alive connection and run on a current-thread
//! runtime; the mock (a child process) takes the same time for both, so the
//! difference of the latencies is the client's overhead: serializing the
//! request, headers, the tower layers, and decoding the JSON reply.

use std::time::{Duration, Instant};

use bytes::Bytes;
use claude_rs_bench::child::MockChild;
use claude_rs_bench::{arg_usize, percentile};
use claude_rs_client::Client;
use claude_rs_types::request::{CreateMessageRequest, MessageParam};
use http::Request;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

type Bare = HyperClient<HttpConnector, Full<Bytes>>;

fn request() -> CreateMessageRequest {
    CreateMessageRequest::new(
        "claude-sonnet-4-6",
        1024,
        vec![MessageParam::user("Hello, Claude")],
    )
}

async fn client_call(client: &Client) -> Duration {
    let start = Instant::now();
    let message = client
        .messages()
        .create(request())
        .await
        .expect("a message");
    let elapsed = start.elapsed();
    std::hint::black_box(message);
    elapsed
}

/// The same POST with the same headers and body bytes, body read whole.
async fn bare_call(bare: &Bare, uri: &str, body: &Bytes) -> Duration {
    let start = Instant::now();
    let request = Request::post(uri)
        .header("x-api-key", "sk-ant-bench")
        .header("anthropic-version", "2023-06-01")
        .header("user-agent", "claude-rs-bench/0.1.0")
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .body(Full::new(body.clone()))
        .expect("a request");
    let response = bare.request(request).await.expect("a response");
    assert!(response.status().is_success());
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    let elapsed = start.elapsed();
    std::hint::black_box(bytes);
    elapsed
}

#[allow(clippy::print_stdout)] // A bench prints its figures.
fn main() {
    let calls = arg_usize("--calls", 20_000);
    let warmup = 1_000.min(calls);
    let block = 500;
    let child = MockChild::spawn(env!("CARGO_BIN_EXE_bench-mock"), &[]).expect("bench-mock");
    let url = child.base_url().to_owned();
    let uri = format!("{url}/v1/messages");
    let body = Bytes::from(serde_json::to_vec(&request()).expect("json"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (mut ours, mut bare_times) = runtime.block_on(async {
        let client = Client::builder()
            .api_key("sk-ant-bench")
            .base_url(url.as_str())
            .build()
            .expect("a client");
        let bare: Bare = HyperClient::builder(TokioExecutor::new()).build_http();
        for _ in 0..warmup {
            client_call(&client).await;
            bare_call(&bare, &uri, &body).await;
        }
        // Alternating blocks, so that drift hits both alike.
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        while ours.len() < calls {
            for _ in 0..block {
                ours.push(client_call(&client).await);
            }
            for _ in 0..block {
                theirs.push(bare_call(&bare, &uri, &body).await);
            }
        }
        (ours, theirs)
    });
    ours.sort();
    bare_times.sort();
    println!("overhead: {calls} sequential non-streaming calls each, one connection, {url}");
    println!(
        "{:<22} {:>9} {:>9} {:>9} {:>9}",
        "", "p50 µs", "p90 µs", "p99 µs", "mean µs"
    );
    let row = |name: &str, v: &[Duration]| {
        let mean = v.iter().sum::<Duration>() / v.len() as u32;
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        println!(
            "{name:<22} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
            us(percentile(v, 50.0)),
            us(percentile(v, 90.0)),
            us(percentile(v, 99.0)),
            us(mean)
        );
    };
    row("claude-rs-client create", &ours);
    row("bare hyper request", &bare_times);
    let diff = |p: f64| {
        (percentile(&ours, p).as_secs_f64() - percentile(&bare_times, p).as_secs_f64()) * 1e6
    };
    println!(
        "client overhead: p50 {:+.1} µs, p90 {:+.1} µs",
        diff(50.0),
        diff(90.0)
    );
    drop(child);
}
