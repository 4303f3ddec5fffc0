//! `POST /v1/messages`: the default reply (JSON and SSE), scripts, handlers,
//! replay, recording, and `count_tokens`.

mod common;

use claude_rs_mock::{MockResponse, MockServer, Route};
use claude_rs_types::stream::ContentBlockDelta;
use claude_rs_types::{
    content::ContentBlock, message::Message, message::StopReason, stream::MessageStreamEvent,
};
use common::{Raw, get, post, request, say, say_streaming};
use serde_json::json;

/// Decodes every event, checks it against its `event:` name and the API's
/// order, and rebuilds the text and tool inputs of each block.
fn check_stream(raw: &Raw) -> (Vec<MessageStreamEvent>, Vec<String>) {
    assert_eq!(raw.header("content-type"), Some("text/event-stream"));
    let mut events = Vec::new();
    for (name, data) in raw.events() {
        let event: MessageStreamEvent =
            serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
        assert_eq!(event.type_str(), name, "event name and data type differ");
        assert!(!event.is_unknown(), "unknown event {data}");
        events.push(event);
    }
    // message_start, blocks (start, deltas, stop), message_delta, message_stop.
    let kinds: Vec<&str> = events
        .iter()
        .map(MessageStreamEvent::type_str)
        .filter(|k| *k != "ping")
        .collect();
    assert_eq!(kinds.first(), Some(&"message_start"));
    assert_eq!(&kinds[kinds.len() - 2..], ["message_delta", "message_stop"]);
    let mut open: Option<usize> = None;
    let mut next_index = 0;
    let mut blocks: Vec<String> = Vec::new();
    for event in &events {
        match event {
            MessageStreamEvent::ContentBlockStart(start) => {
                assert_eq!(open, None, "block started inside another");
                assert_eq!(start.index, next_index);
                open = Some(start.index);
                next_index += 1;
                blocks.push(start.content_block.as_text().unwrap_or("").to_owned());
            }
            MessageStreamEvent::ContentBlockDelta(delta) => {
                assert_eq!(open, Some(delta.index));
                match &delta.delta {
                    ContentBlockDelta::Text(t) => blocks[delta.index].push_str(&t.text),
                    ContentBlockDelta::InputJson(j) => {
                        blocks[delta.index].push_str(&j.partial_json)
                    }
                    other => panic!("unexpected delta {other:?}"),
                }
            }
            MessageStreamEvent::ContentBlockStop(stop) => {
                assert_eq!(open.take(), Some(stop.index));
            }
            MessageStreamEvent::MessageDelta(_) => assert_eq!(open, None),
            _ => {}
        }
    }
    assert!(
        events
            .iter()
            .any(|e| matches!(e, MessageStreamEvent::Ping(_)))
    );
    (events, blocks)
}

fn message_of(raw: &Raw) -> Message {
    assert_eq!(raw.status, 200, "{}", raw.text());
    assert_eq!(raw.header("content-type"), Some("application/json"));
    serde_json::from_slice(&raw.body).unwrap_or_else(|e| panic!("{e}: {}", raw.text()))
}

#[tokio::test]
async fn default_json_reply_echoes_the_last_user_turn() {
    let server = MockServer::start().await;
    let raw = post(&server, "/v1/messages", &say("Hello there, mock")).await;
    assert!(
        raw.header("request-id")
            .is_some_and(|id| id.starts_with("req_"))
    );
    let message = message_of(&raw);
    assert!(message.id.starts_with("msg_mock_"));
    assert_eq!(message.kind, "message");
    assert_eq!(message.model.as_str(), "claude-haiku-4-5");
    assert_eq!(message.text(), "Hello there, mock");
    assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
    assert_eq!(message.usage.output_tokens, 3);
    assert!(message.usage.input_tokens > 3);
    // The API writes `stop_sequence: null` explicitly.
    assert_eq!(raw.json()["stop_sequence"], json!(null));

    // Deterministic: the same request gets the same reply but a new id.
    let again = message_of(&post(&server, "/v1/messages", &say("Hello there, mock")).await);
    assert_eq!(again.content, message.content);
    assert_eq!(again.usage, message.usage);
    assert_ne!(again.id, message.id);
}

#[tokio::test]
async fn default_stream_has_the_api_event_order_and_the_same_content() {
    let server = MockServer::start().await;
    let text = "The quick brown fox jumps over the lazy dog";
    let json = message_of(&post(&server, "/v1/messages", &say(text)).await);
    let raw = post(&server, "/v1/messages", &say_streaming(text)).await;
    assert_eq!(raw.status, 200);
    assert!(raw.complete);
    let (events, blocks) = check_stream(&raw);
    assert_eq!(blocks, [text]);
    let deltas = events
        .iter()
        .filter(|e| matches!(e, MessageStreamEvent::ContentBlockDelta(_)))
        .count();
    assert!(deltas >= 3, "text split into several deltas, got {deltas}");
    let Some(MessageStreamEvent::MessageDelta(delta)) = events.iter().rev().nth(1) else {
        panic!("no message_delta before message_stop");
    };
    assert_eq!(delta.delta.stop_reason, Some(StopReason::EndTurn));
    assert_eq!(delta.usage.output_tokens, json.usage.output_tokens);
    let MessageStreamEvent::MessageStart(start) = &events[0] else {
        panic!("first event is not message_start");
    };
    assert!(start.message.content.is_empty());
    assert_eq!(start.message.stop_reason, None);
    assert_eq!(start.message.usage.input_tokens, json.usage.input_tokens);
}

#[tokio::test]
async fn small_max_tokens_and_stop_sequences_stop_like_the_api() {
    let server = MockServer::start().await;
    let mut body = say("one two three four five");
    body["max_tokens"] = json!(2);
    let message = message_of(&post(&server, "/v1/messages", &body).await);
    assert_eq!(message.stop_reason, Some(StopReason::MaxTokens));
    assert_eq!(message.usage.output_tokens, 2);
    assert_eq!(message.text(), "one two ");

    let mut body = say("one two three four five");
    body["stop_sequences"] = json!(["four"]);
    let message = message_of(&post(&server, "/v1/messages", &body).await);
    assert_eq!(message.stop_reason, Some(StopReason::StopSequence));
    assert_eq!(message.stop_sequence.as_deref(), Some("four"));
    assert_eq!(message.text(), "one two three ");
}

#[tokio::test]
async fn count_tokens_agrees_with_usage() {
    let server = MockServer::start().await;
    let body = say("How many tokens is this sentence?");
    let message = message_of(&post(&server, "/v1/messages", &body).await);
    let mut count_body = body.clone();
    count_body.as_object_mut().map(|o| o.remove("max_tokens"));
    let counted = post(&server, "/v1/messages/count_tokens", &count_body).await;
    assert_eq!(counted.status, 200);
    let counted: claude_rs_types::request::CountTokensResponse =
        serde_json::from_slice(&counted.body).expect("CountTokensResponse");
    assert_eq!(counted.input_tokens, message.usage.input_tokens);
}

#[tokio::test]
async fn queued_replies_are_served_in_order_then_the_default() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("first"));
    server.enqueue(MockResponse::text("second"));
    assert_eq!(server.queued(Route::Messages), 2);
    let texts = [
        message_of(&post(&server, "/v1/messages", &say("a")).await).text(),
        message_of(&post(&server, "/v1/messages", &say("b")).await).text(),
        message_of(&post(&server, "/v1/messages", &say("c")).await).text(),
    ];
    assert_eq!(texts, ["first", "second", "c"]);
    assert_eq!(server.queued(Route::Messages), 0);
}

#[tokio::test]
async fn one_tool_use_script_serves_both_streaming_and_json() {
    let server = MockServer::start().await;
    let input = json!({"city": "Paris", "units": "celsius", "days": [1, 2, 3]});
    for stream in [true, false] {
        server.enqueue(MockResponse::tool_use("get_weather", input.clone()));
        server.enqueue(MockResponse::text("It is sunny"));
        let first = if stream {
            say_streaming("weather?")
        } else {
            say("weather?")
        };
        let raw = post(&server, "/v1/messages", &first).await;
        let call = if stream {
            let (events, blocks) = check_stream(&raw);
            let fragments = events
                .iter()
                .filter(|e| matches!(e, MessageStreamEvent::ContentBlockDelta(_)))
                .count();
            assert!(fragments > 2, "input split into fragments");
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&blocks[0]).ok(),
                Some(input.clone())
            );
            let Some(MessageStreamEvent::ContentBlockStart(start)) = events.get(1) else {
                panic!("no content_block_start");
            };
            start.content_block.as_tool_use().expect("tool_use").clone()
        } else {
            let message = message_of(&raw);
            assert_eq!(message.stop_reason, Some(StopReason::ToolUse));
            let call = message.tool_uses().next().expect("tool_use").clone();
            assert_eq!(call.input, input);
            call
        };
        assert_eq!(call.name, "get_weather");
        assert!(call.id.starts_with("toolu_mock_"));
        let second = message_of(&post(&server, "/v1/messages", &say("result")).await);
        assert_eq!(second.text(), "It is sunny");
    }
}

#[tokio::test]
async fn a_handler_answers_from_the_request() {
    let server = MockServer::start().await;
    server.respond_with(|request| {
        let asks_weather = request.body_text().contains("weather");
        if asks_weather {
            MockResponse::text("Sunny")
        } else {
            MockResponse::default_reply()
        }
    });
    server.enqueue(MockResponse::text("queued first"));
    let replies = [
        message_of(&post(&server, "/v1/messages", &say("weather?")).await).text(),
        message_of(&post(&server, "/v1/messages", &say("weather?")).await).text(),
        message_of(&post(&server, "/v1/messages", &say("echo me")).await).text(),
    ];
    assert_eq!(replies, ["queued first", "Sunny", "echo me"]);
}

#[tokio::test]
async fn recorded_vectors_replay_byte_for_byte() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/recorded/"
    );
    let server = MockServer::start().await;
    for name in [
        "sse_text_basic.sse",
        "sse_tool_use_only.sse",
        "msg_text.json",
    ] {
        let path = format!("{dir}{name}");
        let expected = std::fs::read(&path).expect("fixture");
        server.enqueue(MockResponse::replay_file(&path).expect("fixture"));
        let raw = post(&server, "/v1/messages", &say_streaming("x")).await;
        assert!(raw.complete);
        assert_eq!(raw.body, expected, "{name} not served verbatim");
    }
    let error = format!("{dir}err_529_overloaded_error.json");
    let status = http::StatusCode::from_u16(529).expect("status");
    server.enqueue(
        MockResponse::replay_file(&error)
            .expect("fixture")
            .with_status(status),
    );
    let raw = post(&server, "/v1/messages", &say("x")).await;
    assert_eq!(raw.status, 529);
    assert_eq!(raw.body, std::fs::read(&error).expect("fixture"));
}

#[tokio::test]
async fn scripted_events_and_messages_are_served_as_given() {
    let server = MockServer::start().await;
    let message: Message = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/recorded/msg_tool_use.json"
        ))
        .expect("fixture"),
    )
    .expect("Message");
    server.enqueue(MockResponse::message(message.clone()));
    assert_eq!(
        message_of(&post(&server, "/v1/messages", &say("x")).await),
        message
    );

    let events = claude_rs_mock::message_events(&message);
    server.enqueue(MockResponse::events(events.clone()));
    // Served as SSE although the request did not ask for a stream.
    let raw = post(&server, "/v1/messages", &say("x")).await;
    let (served, _) = check_stream(&raw);
    assert_eq!(served, events);
    assert!(events.iter().any(|e| matches!(
        e,
        MessageStreamEvent::ContentBlockStart(s) if matches!(s.content_block, ContentBlock::ToolUse(_))
    )));
}

#[tokio::test]
async fn every_request_is_recorded() {
    let server = MockServer::start().await;
    let body = br#"{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#;
    let headers = [
        common::VERSION,
        ("x-api-key", "sk-test"),
        ("content-type", "application/json"),
    ];
    request(&server, "POST", "/v1/messages", &headers, body).await;
    get(&server, "/v1/models?limit=2").await;
    request(&server, "GET", "/nowhere", &[], b"").await;

    let all = server.requests();
    assert_eq!(all.len(), 3);
    let first = &all[0];
    assert_eq!(first.method, http::Method::POST);
    assert_eq!(first.path, "/v1/messages");
    assert_eq!(first.header("x-api-key"), Some("sk-test"));
    assert_eq!(&first.body[..], body);
    assert_eq!(
        first.json.as_ref().map(|j| j["max_tokens"].clone()),
        Some(json!(5))
    );
    assert_eq!(first.route, Some(Route::Messages));
    assert!(!first.is_stream());
    assert_eq!(first.message_request().map(|r| r.max_tokens), Some(5));
    assert_eq!(all[1].query.as_deref(), Some("limit=2"));
    assert_eq!(all[1].query_param("limit"), Some("2"));
    assert_eq!(all[2].route, None);
    assert_eq!(server.received("/v1/messages").len(), 1);
    assert_eq!(server.received_on(Route::ListModels).len(), 1);
    assert_eq!(
        server.last_request().map(|r| r.path),
        Some("/nowhere".to_owned())
    );
    server.reset();
    assert!(server.requests().is_empty());
}
