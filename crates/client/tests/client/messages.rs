//! Messages create and stream against the mock: headers on the wire,
//! recorded streams end to end, and failures midway that keep what arrived.

use std::time::Duration;

use crate::support::{KEY, builder, client, fixture, request, stream_to_end};
use bytes::Bytes;
use claude_rs_client::messages::MessageAccumulator;
use claude_rs_client::{Error, ProtocolKind, TimeoutKind};
use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Route};
use claude_rs_sse::Parser;
use claude_rs_types::stream::MessageStreamEvent;
use claude_rs_types::{content::ContentBlock, error::ErrorType, message::StopReason};

#[tokio::test]
async fn every_request_carries_the_expected_headers() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .beta("beta-one")
        .default_header(
            http::HeaderName::from_static("x-team"),
            http::HeaderValue::from_static("core"),
        )
        .build()
        .unwrap();
    client
        .messages()
        .create(request("hi"))
        .beta("beta-two")
        .await
        .unwrap();
    stream_to_end(&client, "hi").await.unwrap();

    let seen = server.received_on(Route::Messages);
    assert_eq!(seen.len(), 2);
    for (n, req) in seen.iter().enumerate() {
        assert_eq!(req.header("x-api-key"), Some(KEY));
        assert_eq!(req.header("authorization"), None);
        // The client's version: 2026-10-21 unless the run chose another.
        assert_eq!(
            req.header("anthropic-version"),
            Some(client.api_version().as_str())
        );
        assert_eq!(req.header("content-type"), Some("application/json"));
        assert!(
            req.header("user-agent").unwrap().starts_with("claude-rs/"),
            "{:?}",
            req.header("user-agent")
        );
        assert_eq!(req.header("x-team"), Some("core"));
        let json = req.json.as_ref().unwrap();
        assert_eq!(json["model"], "claude-sonnet-4-6");
        if n == 0 {
            assert_eq!(req.header("accept"), Some("application/json"));
            assert_eq!(req.header("anthropic-beta"), Some("beta-one,beta-two"));
            assert!(json.get("stream").is_none(), "create sends no stream flag");
        } else {
            assert_eq!(req.header("accept"), Some("text/event-stream"));
            assert_eq!(req.header("anthropic-beta"), Some("beta-one"));
            assert_eq!(json["stream"], true);
        }
    }
}

#[tokio::test]
async fn bearer_token_and_custom_version() {
    let server = MockServer::start().await;
    let client = claude_rs_client::ClientBuilder::from_env_lookup(|name| {
        (name == "ANTHROPIC_AUTH_TOKEN").then(|| "tok-SECRET".to_owned())
    })
    .base_url(server.base_url())
    .api_version("2026-10-21")
    .build()
    .unwrap();
    client.messages().create(request("hi")).await.unwrap();
    let seen = &server.received_on(Route::Messages)[0];
    assert_eq!(seen.header("authorization"), Some("Bearer tok-SECRET"));
    assert_eq!(seen.header("x-api-key"), None);
    assert_eq!(seen.header("anthropic-version"), Some("2026-10-21"));
}

#[tokio::test]
async fn create_returns_the_message_with_its_headers() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Bonjour").with_header("request-id", "req_test_123"));
    let client = client(&server);
    let response = client
        .messages()
        .create(request("hi"))
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.request_id(), Some("req_test_123"));
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), "Bonjour");
    assert_eq!(response.value.stop_reason, Some(StopReason::EndTurn));
}

/// The message an accumulator builds from a recorded file, parsed locally.
fn local_accumulation(
    name: &str,
) -> (
    Vec<MessageStreamEvent>,
    Option<claude_rs_types::message::Message>,
) {
    let mut parser = Parser::new();
    parser.feed(Bytes::from(std::fs::read(fixture(name)).unwrap()));
    parser.finish();
    let mut accumulator = MessageAccumulator::new();
    let mut events = Vec::new();
    while let Some(event) = parser.next_event() {
        let event: MessageStreamEvent = serde_json::from_str(event.unwrap().data()).unwrap();
        accumulator.apply(&event).unwrap();
        events.push(event);
    }
    (events, accumulator.into_message())
}

#[tokio::test]
async fn recorded_streams_replayed_over_http_accumulate_fully() {
    let server = MockServer::start().await;
    let client = client(&server);
    let mut names: Vec<String> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".sse") && n != "sse_error_overloaded_frame.sse")
        .collect();
    names.sort();
    assert_eq!(names.len(), 17);
    for name in names {
        server.enqueue(MockResponse::replay_file(fixture(&name)).unwrap());
        let mut stream = client.messages().stream(request("replay")).await.unwrap();
        let mut events = Vec::new();
        while let Some(event) = stream.next().await {
            events.push(event.unwrap_or_else(|e| panic!("{name}: {e}")));
        }
        let (expected_events, expected) = local_accumulation(&name);
        assert_eq!(events, expected_events, "{name}");
        assert_eq!(stream.snapshot(), expected.as_ref(), "{name}");
        assert!(stream.snapshot().unwrap().stop_reason.is_some(), "{name}");
    }
}

#[tokio::test]
async fn text_stream_and_final_message_agree() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("one two three four five six seven"));
    let client = client(&server);
    let mut text = client
        .messages()
        .stream(request("count"))
        .await
        .unwrap()
        .text_stream();
    let mut pieces = Vec::new();
    while let Some(piece) = text.next().await {
        pieces.push(piece.unwrap());
    }
    assert!(pieces.len() > 1, "the mock splits text into several deltas");
    assert_eq!(pieces.concat(), "one two three four five six seven");
    let stream = text.into_inner();
    assert_eq!(stream.snapshot().unwrap().text(), pieces.concat());
}

#[tokio::test]
async fn an_error_event_midway_keeps_the_partial_message() {
    let server = MockServer::start().await;
    server.enqueue(
        MockResponse::text("partial answer that will be cut")
            .with_fault(Fault::sse_error_at(4, ErrorType::Overloaded)),
    );
    let client = client(&server);
    let mut stream = client.messages().stream(request("hi")).await.unwrap();
    let mut ok = 0;
    let error = loop {
        match stream.next().await {
            Some(Ok(_)) => ok += 1,
            Some(Err(error)) => break error,
            None => panic!("the stream ended without the error"),
        }
    };
    assert_eq!(ok, 4, "events before the error are delivered");
    assert!(error.is_overloaded(), "{error}");
    assert_eq!(error.status(), Some(http::StatusCode::OK));
    let partial = error.partial_message().expect("partial message");
    assert_eq!(partial.content.len(), 1);
    assert!(stream.next().await.is_none(), "nothing after the error");
}

#[tokio::test]
async fn a_connection_reset_midway_keeps_the_partial_message() {
    let server = MockServer::start().await;
    let body = std::fs::read(fixture("sse_text_basic.sse")).unwrap();
    // Cut right after the third event's blank line.
    let cut = body
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w == b"\n\n")
        .nth(2)
        .unwrap()
        .0
        + 2;
    server.enqueue(
        MockResponse::replay_file(fixture("sse_text_basic.sse"))
            .unwrap()
            .with_fault(Fault::reset_after(cut)),
    );
    let client = client(&server);
    let error = stream_to_end(&client, "hi").await.unwrap_err();
    assert!(error.is_connection(), "{error}");
    let partial = error.partial_message().expect("partial message");
    let (events, _) = local_accumulation("sse_text_basic.sse");
    let mut expected = MessageAccumulator::new();
    for event in &events[..3] {
        expected.apply(event).unwrap();
    }
    assert_eq!(Some(partial), expected.snapshot());
}

#[tokio::test]
async fn a_truncated_stream_is_an_error_with_the_partial_message() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("will be truncated").with_fault(Fault::truncated_sse(3)));
    let client = client(&server);
    let error = stream_to_end(&client, "hi").await.unwrap_err();
    assert!(
        matches!(
            error.cause(),
            Error::Protocol { kind: ProtocolKind::EndedEarly, message: why } if why.contains("message_stop")
        ),
        "{error}"
    );
    assert!(error.partial_message().is_some());
}

#[tokio::test]
async fn overloaded_as_the_first_event_is_retried() {
    // Within the budget: retried, and the retry succeeds.
    let server = MockServer::start().await;
    server.inject(
        FaultRule::nth(1, Fault::sse_error_at(0, ErrorType::Overloaded)).on(Route::Messages),
    );
    // The faulted attempt consumes a reply too.
    server.enqueue(MockResponse::text("never seen"));
    server.enqueue(MockResponse::text("fine now"));
    let client = client(&server);
    let text = stream_to_end(&client, "hi")
        .await
        .map(|m| m.text())
        .unwrap();
    assert_eq!(text, "fine now");
    assert_eq!(server.received_on(Route::Messages).len(), 2);

    // Out of budget: the overloaded error is returned.
    server.inject(
        FaultRule::always(Fault::sse_error_at(0, ErrorType::Overloaded)).on(Route::Messages),
    );
    let error = client
        .messages()
        .stream(request("hi"))
        .max_retries(1)
        .await
        .unwrap_err();
    assert!(error.is_overloaded(), "{error}");
    assert_eq!(
        server.received_on(Route::Messages).len(),
        4,
        "two more attempts"
    );
}

#[tokio::test]
async fn a_stalled_stream_hits_the_idle_timeout() {
    let server = MockServer::start().await;
    // Stall once message_start (a few hundred bytes) has been sent.
    server.enqueue(
        MockResponse::text("stalls").with_fault(Fault::stall_after(800, Duration::from_secs(30))),
    );
    let client = builder(&server)
        .stream_idle_timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    let error = stream_to_end(&client, "hi").await.unwrap_err();
    assert!(
        matches!(
            error.cause(),
            Error::Timeout {
                kind: TimeoutKind::StreamIdle,
                ..
            }
        ),
        "{error}"
    );
    assert!(
        error.partial_message().is_some(),
        "message_start had arrived"
    );
}

#[tokio::test]
async fn a_slow_drip_does_not_time_out() {
    let server = MockServer::start().await;
    server.enqueue(
        MockResponse::text("drip drip")
            .with_fault(Fault::drip_bytes(64, Duration::from_millis(20))),
    );
    let client = builder(&server)
        .stream_idle_timeout(Some(Duration::from_millis(500)))
        .build()
        .unwrap();
    let text = stream_to_end(&client, "hi")
        .await
        .map(|m| m.text())
        .unwrap();
    assert_eq!(text, "drip drip");
}

#[tokio::test]
async fn api_errors_carry_everything_and_never_the_key() {
    let server = MockServer::start().await;
    let body = std::fs::read(fixture("err_401_authentication_error.json")).unwrap();
    server.enqueue(
        MockResponse::raw("application/json", body.clone())
            .with_status(http::StatusCode::UNAUTHORIZED)
            .with_header("request-id", "req_auth_1"),
    );
    let client = client(&server);
    let error = client.messages().create(request("hi")).await.unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.status, 401);
    assert_eq!(api.error_type, Some(ErrorType::Authentication));
    assert_eq!(api.body, body);
    assert_eq!(error.request_id(), Some("req_auth_1"));
    assert!(error.is_auth() && !error.is_retryable());
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(KEY), "key leaked: {shown}");
    }
    assert_eq!(
        server.received_on(Route::Messages)[0].header("x-api-key"),
        Some(KEY),
        "it was sent"
    );
}

#[tokio::test]
async fn tool_use_replies_decode_both_ways() {
    let server = MockServer::start().await;
    let input = serde_json::json!({"location": "Paris", "unit": "celsius"});
    server.enqueue(MockResponse::tool_use("get_weather", input.clone()));
    server.enqueue(MockResponse::tool_use("get_weather", input.clone()));
    let client = client(&server);
    let whole = client.messages().create(request("weather?")).await.unwrap();
    let streamed = stream_to_end(&client, "weather?").await.unwrap();
    for message in [&whole, &streamed] {
        assert_eq!(message.stop_reason, Some(StopReason::ToolUse));
        let call = message.tool_uses().next().unwrap();
        assert_eq!(call.name, "get_weather");
        assert_eq!(call.input, input);
    }
    assert!(matches!(
        streamed.content.last(),
        Some(ContentBlock::ToolUse(_))
    ));
}

#[tokio::test]
async fn rate_limits_are_typed_on_answers_streams_and_errors() {
    // The mock counts down its limits as the API does: 50 requests, then 429.
    let limits = claude_rs_mock::RateLimits::per_window(3, 1_000_000, 1_000_000).enforced();
    let server = MockServer::builder().rate_limits(limits).start().await;
    let client = builder(&server).max_retries(0).build().unwrap();

    let whole = client
        .messages()
        .create(request("hi"))
        .with_response()
        .await
        .unwrap();
    let requests = whole.rate_limits().requests.expect("requests");
    assert_eq!((requests.limit, requests.remaining), (Some(3), Some(2)));
    assert!(requests.reset_at().is_some(), "{requests:?}");
    assert!(whole.rate_limits().output_tokens.is_some());

    let stream = client.messages().stream(request("hi")).await.unwrap();
    assert_eq!(stream.rate_limits().requests.unwrap().remaining, Some(1));
    stream.final_message().await.unwrap();

    client.messages().create(request("hi")).await.unwrap();
    let error = client.messages().create(request("hi")).await.unwrap_err();
    assert!(error.is_rate_limit(), "{error:?}");
    let limits = error.api().unwrap().rate_limits();
    assert!(limits.retry_after.is_some(), "{limits:?}");
    assert_eq!(limits.requests.unwrap().remaining, Some(0));
}
