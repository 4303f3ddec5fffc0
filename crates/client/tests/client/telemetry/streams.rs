//! Spans of streamed calls: open until the stream ends, fails or is
//! dropped, with the time to first chunk and the accumulated usage.

use claude_rs_client::telemetry::{ContentMode, Telemetry};
use claude_rs_mock::{Fault, MockResponse, MockServer};
use claude_rs_types::error::ErrorType;

use super::capture::{Capture, V};
use super::{captured, hi};
use crate::support::builder;

#[tokio::test(flavor = "current_thread")]
async fn a_stream_read_to_its_end() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Hello there, streamed."));
    let client = builder(&server)
        .telemetry(Telemetry::new().content_mode(ContentMode::Content))
        .build()
        .unwrap();
    let capture = Capture::default();
    let message = captured(&capture, async {
        let stream = client.messages().stream(hi()).await.unwrap();
        assert!(
            !capture.one("anthropic.messages.create").closed,
            "open while the stream is"
        );
        stream.final_message().await.unwrap()
    })
    .await;

    let span = capture.one("anthropic.messages.create");
    assert!(span.closed);
    assert_eq!(span.str("otel.status_code"), "OK");
    assert_eq!(span.get("gen_ai.request.stream"), Some(&V::Bool(true)));
    match span.get("gen_ai.response.time_to_first_chunk") {
        Some(V::F64(seconds)) => assert!(*seconds > 0.0 && *seconds < 60.0),
        other => panic!("time to first chunk: {other:?}"),
    }
    assert_eq!(span.str("gen_ai.response.id"), message.id);
    assert_eq!(
        span.int("gen_ai.usage.output_tokens"),
        message.usage.output_tokens as i64
    );
    assert_eq!(span.str("anthropic.message.stop_reason"), "end_turn");
    assert_eq!(
        span.str("gen_ai.output.messages"),
        r#"[{"role":"assistant","parts":[{"type":"text","content":"Hello there, streamed."}]}]"#
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_dropped_stream_ends_its_span_without_a_status() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Hello there, streamed and dropped."));
    let client = builder(&server).build().unwrap();
    let capture = Capture::default();
    captured(&capture, async {
        let mut stream = client.messages().stream(hi()).await.unwrap();
        stream.next().await.unwrap().unwrap(); // message_start
        drop(stream);
    })
    .await;

    let span = capture.one("anthropic.messages.create");
    assert!(span.closed, "dropping the stream ends the span");
    assert_eq!(span.get("otel.status_code"), None);
    assert!(
        span.int("gen_ai.usage.input_tokens") > 0,
        "from message_start"
    );
    // The placeholders of message_start are left out.
    assert_eq!(span.get("gen_ai.usage.output_tokens"), None);
    assert_eq!(span.get("anthropic.message.stop_reason"), None);
    assert_eq!(span.get("gen_ai.response.time_to_first_chunk"), None);
}

#[tokio::test(flavor = "current_thread")]
async fn a_stream_that_fails_midway_has_the_error_status() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Hello there, streamed until it breaks."));
    server.fail_next(Fault::sse_error_at(4, ErrorType::Overloaded));
    let client = builder(&server).build().unwrap();
    let capture = Capture::default();
    let error = captured(&capture, async {
        client
            .messages()
            .stream(hi())
            .await
            .unwrap()
            .final_message()
            .await
            .unwrap_err()
    })
    .await;
    assert!(error.is_overloaded());
    let span = capture.one("anthropic.messages.create");
    assert!(span.closed);
    assert_eq!(span.str("otel.status_code"), "ERROR");
    assert_eq!(span.str("error.type"), "overloaded_error");
    assert_eq!(span.int("http.response.status_code"), 200);
}

#[tokio::test(flavor = "current_thread")]
async fn a_stream_that_ends_before_message_stop_is_an_api_error() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Hello there, streamed and cut."));
    server.fail_next(Fault::truncated_sse(4));
    let client = builder(&server).max_retries(0).build().unwrap();
    let capture = Capture::default();
    captured(&capture, async {
        client
            .messages()
            .stream(hi())
            .await
            .unwrap()
            .final_message()
            .await
            .unwrap_err()
    })
    .await;
    let span = capture.one("anthropic.messages.create");
    assert_eq!(span.str("otel.status_code"), "ERROR");
    assert_eq!(span.str("error.type"), "api_error");
}
