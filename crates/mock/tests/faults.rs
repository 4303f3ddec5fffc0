//! Faults, observed from a raw client: statuses and headers, resets after
//! N bytes, stalls, drips, SSE error events, malformed and truncated bodies.

mod common;

use std::time::Duration;

use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Route};
use claude_rs_types::{
    error::ErrorResponse, error::ErrorType, message::Message, stream::MessageStreamEvent,
};
use common::{HANG, parse, post, say, say_streaming, send_only};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/recorded/"
);

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}{name}")).expect("fixture")
}

fn fixed_message() -> Message {
    serde_json::from_slice(&fixture("msg_text.json")).expect("Message")
}

fn error_of(raw: &common::Raw) -> ErrorResponse {
    assert_eq!(raw.header("content-type"), Some("application/json"));
    let error: ErrorResponse = serde_json::from_slice(&raw.body).expect("ErrorResponse");
    assert_eq!(error.kind.as_deref(), Some("error"));
    assert_eq!(error.request_id.as_deref(), raw.header("request-id"));
    error
}

/// The sizes of the chunks of a chunked HTTP/1.1 response, as sent.
fn chunk_sizes(response: &[u8]) -> Vec<usize> {
    let start = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("head")
        + 4;
    let mut rest = &response[start..];
    let mut sizes = Vec::new();
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).expect("size"), 16)
            .expect("hex size");
        if size == 0 {
            break;
        }
        sizes.push(size);
        rest = &rest[end + 2 + size + 2..];
    }
    sizes
}

/// Sends a Messages request with `body` and returns the connection unread.
async fn post_message(server: &MockServer, body: &serde_json::Value) -> TcpStream {
    let body = serde_json::to_vec(body).expect("json");
    send_only(
        server.address(),
        "POST",
        "/v1/messages",
        &[common::VERSION],
        &body,
    )
    .await
}

async fn raw_post(server: &MockServer, body: &serde_json::Value) -> Vec<u8> {
    common::read_all(&mut post_message(server, body).await).await
}

#[tokio::test]
async fn rate_limit_with_retry_headers_then_success() {
    let server = MockServer::start().await;
    server.fail_next(
        Fault::rate_limited()
            .retry_after(3)
            .retry_after_ms(2500)
            .should_retry(true),
    );
    let raw = post(&server, "/v1/messages", &say("hi")).await;
    assert_eq!(raw.status, 429);
    assert_eq!(raw.header("retry-after"), Some("3"));
    assert_eq!(raw.header("retry-after-ms"), Some("2500"));
    assert_eq!(raw.header("x-should-retry"), Some("true"));
    // Byte for byte the API's shape and field order.
    let expected = format!(
        r#"{{"type":"error","error":{{"type":"rate_limit_error","message":"This request would exceed your account's rate limit. Please try again later."}},"request_id":"{}"}}"#,
        raw.header("request-id").unwrap_or_default()
    );
    assert_eq!(raw.text(), expected);
    let error = error_of(&raw);
    assert_eq!(error.error.kind, ErrorType::RateLimit);
    assert!(error.request_id.is_some_and(|id| id.starts_with("req_")));

    assert_eq!(post(&server, "/v1/messages", &say("hi")).await.status, 200);
}

#[tokio::test]
async fn first_two_attempts_overloaded_third_succeeds() {
    let server = MockServer::start().await;
    server.inject(FaultRule::times(2, Fault::overloaded()).on(Route::Messages));
    let first = post(&server, "/v1/messages", &say_streaming("hi")).await;
    // Another route is not affected, and does not use up the rule.
    let mut count = say("hi");
    count.as_object_mut().map(|o| o.remove("max_tokens"));
    assert_eq!(
        post(&server, "/v1/messages/count_tokens", &count)
            .await
            .status,
        200
    );
    let second = post(&server, "/v1/messages", &say("hi")).await;
    let third = post(&server, "/v1/messages", &say("hi")).await;
    for raw in [&first, &second] {
        assert_eq!(raw.status, 529);
        let error = error_of(raw);
        assert_eq!(error.error.kind, ErrorType::Overloaded);
        assert_eq!(error.error.message, "Overloaded");
    }
    assert_eq!(third.status, 200);
    assert_eq!(server.received_on(Route::Messages).len(), 3);
}

#[tokio::test]
async fn nth_request_and_other_statuses() {
    let server = MockServer::start().await;
    server.inject(FaultRule::nth(3, Fault::internal_error()).on(Route::Messages));
    server.inject(FaultRule::nth(
        4,
        Fault::request_timeout().should_retry(false),
    ));
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(post(&server, "/v1/messages", &say("hi")).await);
    }
    let codes: Vec<u16> = statuses.iter().map(|r| r.status).collect();
    assert_eq!(codes, [200, 200, 500, 408, 200]);
    assert_eq!(error_of(&statuses[2]).error.kind, ErrorType::Api);
    assert_eq!(error_of(&statuses[3]).error.kind, ErrorType::Timeout);
    assert_eq!(statuses[3].header("x-should-retry"), Some("false"));
    assert_eq!(statuses[2].header("x-should-retry"), None);
}

#[tokio::test]
async fn reset_after_n_bytes_of_a_json_body() {
    let server = MockServer::start().await;
    let message = fixed_message();
    let full = serde_json::to_vec(&message).expect("json");
    server.enqueue(MockResponse::message(message).with_fault(Fault::reset_after(40)));
    let raw = parse(&raw_post(&server, &say("hi")).await);
    assert_eq!(raw.status, 200);
    assert!(!raw.complete, "the body must be cut");
    assert_eq!(
        raw.header("content-length"),
        Some(full.len().to_string().as_str())
    );
    assert_eq!(raw.body, full[..40]);
}

#[tokio::test]
async fn reset_after_n_bytes_of_a_stream() {
    let server = MockServer::start().await;
    let sse = fixture("sse_text_basic.sse");
    for n in [0, 1, 333, sse.len() - 1] {
        server.enqueue(MockResponse::sse_bytes(sse.clone()).with_fault(Fault::reset_after(n)));
        let raw = parse(&raw_post(&server, &say_streaming("hi")).await);
        assert_eq!(raw.status, 200);
        assert!(!raw.complete, "no final chunk after a reset at {n}");
        assert_eq!(raw.body, sse[..n], "reset at {n}");
    }
}

#[tokio::test]
async fn stall_before_headers_sends_nothing_then_the_reply() {
    let server = MockServer::start().await;
    server.fail_next(Fault::stall_before_headers(Duration::from_secs(3)));
    let mut socket = post_message(&server, &say("hi")).await;
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(300), socket.read(&mut byte)).await;
    assert!(early.is_err(), "bytes arrived during the stall");
    let raw = parse(&common::read_all(&mut socket).await);
    assert_eq!(raw.status, 200);
    assert!(raw.complete);
}

#[tokio::test]
async fn stall_mid_body_pauses_after_n_bytes() {
    let server = MockServer::start().await;
    let sse = fixture("sse_text_basic.sse");
    server.enqueue(
        MockResponse::sse_bytes(sse.clone())
            .with_fault(Fault::stall_after(100, Duration::from_secs(3))),
    );
    let mut socket = post_message(&server, &say_streaming("hi")).await;
    // Read until the first 100 body bytes are in.
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(HANG, socket.read(&mut buf))
            .await
            .expect("no bytes before the stall")
            .expect("read");
        assert!(n > 0, "closed early");
        received.extend_from_slice(&buf[..n]);
        if received.windows(4).any(|w| w == b"\r\n\r\n") && parse(&received).body.len() >= 100 {
            break;
        }
    }
    assert_eq!(
        parse(&received).body,
        sse[..100],
        "more than 100 bytes before the stall"
    );
    let during = tokio::time::timeout(Duration::from_millis(300), socket.read(&mut buf)).await;
    assert!(during.is_err(), "bytes arrived during the stall");
    received.extend(common::read_all(&mut socket).await);
    let raw = parse(&received);
    assert!(raw.complete);
    assert_eq!(raw.body, sse);
}

#[tokio::test]
async fn drip_sends_small_chunks_of_the_same_body() {
    let server = MockServer::start().await;
    let sse = fixture("sse_text_basic.sse");
    server.enqueue(
        MockResponse::sse_bytes(sse.clone())
            .with_fault(Fault::drip_bytes(7, Duration::from_millis(1))),
    );
    let bytes = raw_post(&server, &say_streaming("hi")).await;
    let sizes = chunk_sizes(&bytes);
    assert!(sizes.iter().all(|&s| s <= 7), "{sizes:?}");
    assert_eq!(sizes.len(), sse.len().div_ceil(7));
    assert_eq!(parse(&bytes).body, sse);

    server.enqueue(
        MockResponse::sse_bytes(sse.clone())
            .with_fault(Fault::drip_events(Duration::from_millis(1))),
    );
    let bytes = raw_post(&server, &say_streaming("hi")).await;
    let raw = parse(&bytes);
    assert_eq!(raw.body, sse);
    // One chunk per event.
    assert_eq!(chunk_sizes(&bytes).len(), raw.events().len());
}

#[tokio::test]
async fn sse_error_event_at_index() {
    let server = MockServer::start().await;
    server.enqueue(
        MockResponse::text("a b c d e f").with_fault(Fault::sse_error_at(3, ErrorType::Overloaded)),
    );
    let raw = post(&server, "/v1/messages", &say_streaming("hi")).await;
    assert_eq!(raw.status, 200);
    let events: Vec<MessageStreamEvent> = raw
        .events()
        .iter()
        .map(|(_, data)| serde_json::from_str(data).expect("event"))
        .collect();
    let kinds: Vec<&str> = events.iter().map(MessageStreamEvent::type_str).collect();
    assert_eq!(
        kinds,
        ["message_start", "content_block_start", "ping", "error"]
    );
    let MessageStreamEvent::Error(error) = &events[3] else {
        panic!("no error event");
    };
    assert_eq!(error.error.kind, ErrorType::Overloaded);
    assert_eq!(error.error.message, "Overloaded");
}

#[tokio::test]
async fn malformed_json_in_body_and_in_stream() {
    let server = MockServer::start().await;
    server.fail_next(Fault::malformed_json());
    let raw = post(&server, "/v1/messages", &say("hi")).await;
    assert_eq!(raw.status, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&raw.body).is_err());

    server.fail_next(Fault::malformed_json());
    let raw = post(&server, "/v1/messages", &say_streaming("one two three")).await;
    let bad: Vec<String> = raw
        .events()
        .into_iter()
        .filter(|(_, data)| serde_json::from_str::<MessageStreamEvent>(data).is_err())
        .map(|(name, _)| name)
        .collect();
    assert_eq!(bad, ["content_block_delta"]);
}

#[tokio::test]
async fn truncated_stream_ends_mid_event_without_message_stop() {
    let server = MockServer::start().await;
    server.fail_next(Fault::truncated_sse(4));
    let raw = post(
        &server,
        "/v1/messages",
        &say_streaming("one two three four"),
    )
    .await;
    assert_eq!(raw.status, 200);
    assert!(raw.complete, "the HTTP body itself ends cleanly");
    let text = raw.text();
    assert_eq!(raw.events().len(), 4);
    assert!(!text.ends_with("\n\n"));
    assert!(!text.contains("message_stop"));
}

#[tokio::test]
async fn a_status_fault_answers_json_even_to_a_stream_and_has_no_side_effect() {
    let server = MockServer::start().await;
    server.fail_next(Fault::overloaded());
    let created = post(
        &server,
        "/v1/messages/batches",
        &serde_json::json!({"requests": [{"custom_id": "a", "params": say("hi")}]}),
    )
    .await;
    assert_eq!(created.status, 529);
    let listed = common::get(&server, "/v1/messages/batches").await.json();
    assert_eq!(listed["data"], serde_json::json!([]));

    server.fail_next(Fault::overloaded());
    let raw = post(&server, "/v1/messages", &say_streaming("hi")).await;
    assert_eq!(raw.status, 529);
    assert_eq!(error_of(&raw).error.kind, ErrorType::Overloaded);
}

/// Waits (at most [`HANG`]) until `condition` holds.
async fn eventually(what: &str, condition: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + HANG;
    while !condition() {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn reset_before_headers_closes_without_a_byte() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("kept for later"));
    server.inject(FaultRule::once(Fault::reset_before_headers()).on(Route::Messages));
    let bytes = raw_post(&server, &say("hi")).await;
    assert!(bytes.is_empty(), "{:?}", String::from_utf8_lossy(&bytes));
    assert_eq!(server.received_on(Route::Messages).len(), 1, "request read");
    assert_eq!(
        server.queued(Route::Messages),
        1,
        "a scheduled reset uses no queued reply"
    );
    let raw = post(&server, "/v1/messages", &say("hi")).await;
    assert_eq!(raw.json()["content"][0]["text"], "kept for later");

    // Attached to a reply, the reset uses that reply up.
    server.enqueue(MockResponse::text("never sent").with_fault(Fault::reset_before_headers()));
    let bytes = raw_post(&server, &say_streaming("hi")).await;
    assert!(bytes.is_empty(), "{:?}", String::from_utf8_lossy(&bytes));
    assert_eq!(server.queued(Route::Messages), 0);
}

#[tokio::test]
async fn reset_before_headers_ends_a_keep_alive_connection() {
    let server = MockServer::start().await;
    server.fail_next(Fault::reset_before_headers());
    let body = serde_json::to_vec(&say("hi")).expect("json");
    let mut socket = tokio::net::TcpStream::connect(server.address())
        .await
        .expect("connect");
    let head = format!(
        "POST /v1/messages HTTP/1.1\r\nhost: mock\r\nanthropic-version: 2023-06-01\r\n\
         content-length: {}\r\n\r\n",
        body.len()
    );
    tokio::io::AsyncWriteExt::write_all(&mut socket, head.as_bytes())
        .await
        .expect("head");
    tokio::io::AsyncWriteExt::write_all(&mut socket, &body)
        .await
        .expect("body");
    // Without `connection: close` only the fault can end the connection.
    assert!(common::read_all(&mut socket).await.is_empty());
    eventually("the connection is closed", || {
        server.open_connections() == 0
    })
    .await;
}

#[tokio::test]
async fn connections_are_counted_while_open_and_in_total() {
    let server = MockServer::start().await;
    assert_eq!((server.connections(), server.open_connections()), (0, 0));
    let first = tokio::net::TcpStream::connect(server.address())
        .await
        .expect("connect");
    let second = tokio::net::TcpStream::connect(server.address())
        .await
        .expect("connect");
    eventually("two connections accepted", || server.connections() == 2).await;
    assert_eq!(server.open_connections(), 2);
    drop(first);
    eventually("one is closed", || server.open_connections() == 1).await;
    drop(second);
    eventually("both are closed", || server.open_connections() == 0).await;
    // Each raw request opens (and closes) a connection of its own.
    post(&server, "/v1/messages", &say("hi")).await;
    post(&server, "/v1/messages", &say("hi")).await;
    assert_eq!(server.connections(), 4);
    eventually("all closed", || server.open_connections() == 0).await;
}
