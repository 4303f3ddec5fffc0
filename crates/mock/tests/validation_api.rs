//! The checks a test would notice, each answered with the API's status,
//! error type and message (recorded API messages where they exist).

mod common;

use claude_rs_mock::{MockResponse, MockServer};
use claude_rs_types::error::{ErrorResponse, ErrorType};
use common::{Raw, post, say};
use serde_json::{Value, json};

fn error_of(raw: &Raw, status: u16, kind: ErrorType) -> String {
    assert_eq!(raw.status, status, "{}", raw.text());
    let error: ErrorResponse = serde_json::from_slice(&raw.body).expect("ErrorResponse");
    assert_eq!(error.error.kind, kind);
    error.error.message
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

fn turns(messages: Value) -> Value {
    with(say("x"), "messages", messages)
}

#[tokio::test]
async fn unknown_model_is_404_with_the_apis_message() {
    let server = MockServer::start().await;
    let raw = post(
        &server,
        "/v1/messages",
        &with(say("x"), "model", json!("bad model")),
    )
    .await;
    // The recorded body: {"type":"not_found_error","message":"model: bad model"}.
    assert_eq!(error_of(&raw, 404, ErrorType::NotFound), "model: bad model");
    let count = json!({"model": "claude-nope", "messages": [{"role": "user", "content": "x"}]});
    let raw = post(&server, "/v1/messages/count_tokens", &count).await;
    assert_eq!(
        error_of(&raw, 404, ErrorType::NotFound),
        "model: claude-nope"
    );
    // Aliases and snapshots both resolve.
    for model in [
        "claude-opus-4-5",
        "claude-opus-4-5-20251101",
        "claude-haiku-5-5",
    ] {
        let raw = post(
            &server,
            "/v1/messages",
            &with(say("x"), "model", json!(model)),
        )
        .await;
        assert_eq!(raw.status, 200, "{model}: {}", raw.text());
    }
}

#[tokio::test]
async fn parameters_out_of_range_are_400() {
    let server = MockServer::start().await;
    let opus = with(
        with(say("x"), "model", json!("claude-opus-4-5")),
        "max_tokens",
        json!(128_001),
    );
    let cases = [
        (
            opus,
            "max_tokens: 128001 > 64000, which is the maximum allowed number of output tokens for claude-opus-4-5-20251101",
        ),
        (
            with(say("x"), "temperature", json!(5)),
            "temperature: Input should be less than or equal to 1",
        ),
        (
            with(say("x"), "temperature", json!(-0.5)),
            "temperature: Input should be greater than or equal to 0",
        ),
        (
            with(say("x"), "top_p", json!(1.5)),
            "top_p: Input should be less than or equal to 1",
        ),
        (
            with(say("x"), "context_windo", json!(1)),
            "context_windo: Extra inputs are not permitted",
        ),
        (
            with(
                say("x"),
                "thinking",
                json!({"type": "enabled", "budget_tokens": 512}),
            ),
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
        ),
        (
            with(
                say("x"),
                "thinking",
                json!({"type": "enabled", "budget_tokens": 1024}),
            ),
            "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size",
        ),
    ];
    for (body, expected) in cases {
        server.enqueue(MockResponse::text("not used"));
        let raw = post(&server, "/v1/messages", &body).await;
        assert_eq!(error_of(&raw, 400, ErrorType::InvalidRequest), expected);
    }
    // count_tokens takes no max_tokens.
    let count = with(say("x"), "stream", json!(false));
    let raw = post(&server, "/v1/messages/count_tokens", &count).await;
    assert_eq!(
        error_of(&raw, 400, ErrorType::InvalidRequest),
        "max_tokens: Extra inputs are not permitted"
    );
    // Within range is fine, and the queued replies were not used up.
    let fine = with(with(say("x"), "temperature", json!(1.0)), "top_p", json!(0));
    let raw = post(&server, "/v1/messages", &fine).await;
    assert_eq!(raw.json()["content"][0]["text"], "not used");
}

#[tokio::test]
async fn content_mistakes_are_400() {
    let server = MockServer::start().await;
    let image = |data: &str| {
        json!([{"role": "user", "content": [{"type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": data}}]}])
    };
    let cases = [
        (
            turns(json!([{"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_x", "content": "42"}]}])),
            "messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_x. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.",
        ),
        (
            turns(json!([
                {"role": "user", "content": "go"},
                {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_a", "name": "f", "input": {}}]},
                {"role": "user", "content": "never mind"}])),
            "messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_a. Each `tool_use` block must have a corresponding `tool_result` block in the next message.",
        ),
        (
            turns(image("")),
            "messages.0.content.0.image.source.base64: image cannot be empty",
        ),
        (
            turns(image("not base64!")),
            "messages.0.content.0.image.source.base64.data: invalid base64 data",
        ),
        (
            turns(json!([{"role": "user", "content": [{"type": "document",
                "source": {"type": "file", "file_id": "file_missing"}}]}])),
            "messages.0.content.0.source.file_id: File not found: file_missing",
        ),
    ];
    for (body, expected) in cases {
        let raw = post(&server, "/v1/messages", &body).await;
        assert_eq!(error_of(&raw, 400, ErrorType::InvalidRequest), expected);
    }
    // Two tools of one name: the API's error code says which rule broke.
    let tool = json!({"name": "f", "input_schema": {"type": "object"}});
    let clash = with(say("x"), "tools", json!([tool, tool]));
    let raw = post(&server, "/v1/messages", &clash).await;
    assert_eq!(raw.status, 400);
    assert_eq!(
        raw.json()["error"]["details"]["error_code"],
        "tool_name_conflict"
    );
    assert_eq!(
        raw.json()["error"]["message"],
        "tools.1.name: the tool name \"f\" is already taken by tools.0"
    );

    // A proper round trip of a tool call, and a valid image, pass.
    let round_trip = turns(json!([
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_a", "name": "f", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_a", "content": "done"}]}]));
    assert_eq!(post(&server, "/v1/messages", &round_trip).await.status, 200);
    assert_eq!(
        post(&server, "/v1/messages", &turns(image("aGVsbG8=")))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn validation_off_accepts_anything_well_formed() {
    let server = MockServer::builder().validation(false).start().await;
    let body = with(with(say("x"), "model", json!("m")), "temperature", json!(5));
    assert_eq!(post(&server, "/v1/messages", &body).await.status, 200);
}

#[tokio::test]
async fn anthropic_version_is_checked_and_2026_10_21_drops_sampling() {
    let server = MockServer::start().await;
    let body = serde_json::to_vec(&with(say("x"), "temperature", json!(0.5))).expect("json");
    let send = |version: &'static str| {
        let body = body.clone();
        let server = &server;
        async move {
            let headers = [
                ("anthropic-version", version),
                ("content-type", "application/json"),
            ];
            common::request(server, "POST", "/v1/messages", &headers, &body).await
        }
    };
    let unknown = send("2024-01-01").await;
    let message = error_of(&unknown, 400, ErrorType::InvalidRequest);
    assert!(
        message.starts_with("anthropic-version: \"2024-01-01\""),
        "{message}"
    );
    assert_eq!(send("2023-06-01").await.status, 200);
    assert_eq!(send("2023-01-01").await.status, 200);
    // The newest version removed the sampling parameters.
    let newest = send("2026-10-21").await;
    assert_eq!(
        error_of(&newest, 400, ErrorType::InvalidRequest),
        "temperature: Extra inputs are not permitted"
    );
}

#[tokio::test]
async fn version_2026_10_21_refuses_assistant_documents_and_user_citations() {
    let server = MockServer::start().await;
    let document = json!({"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "a"}});
    let cited = json!({"type": "text", "text": "q", "citations": []});
    let cases = [
        (
            json!([{"role": "user", "content": "x"}, {"role": "assistant", "content": [document.clone()]}, {"role": "user", "content": "y"}]),
            "messages.1.content.0: document blocks are not accepted in assistant messages in API version 2026-10-21",
        ),
        (
            json!([{"role": "user", "content": [{"type": "text", "text": "a"}, cited.clone()]}]),
            "messages.0.content.1: citations are not accepted in user text blocks in API version 2026-10-21",
        ),
    ];
    for (messages, expected) in cases {
        let body = serde_json::to_vec(&turns(messages)).expect("json");
        for (version, refused) in [("2026-10-21", true), ("2023-06-01", false)] {
            let headers = [
                ("anthropic-version", version),
                ("content-type", "application/json"),
            ];
            let raw = common::request(&server, "POST", "/v1/messages", &headers, &body).await;
            if refused {
                assert_eq!(error_of(&raw, 400, ErrorType::InvalidRequest), expected);
            } else {
                assert_eq!(raw.status, 200, "{version}");
            }
        }
    }
    // Documents from the user and citations the assistant wrote stay fine.
    let fine = turns(json!([
        {"role": "user", "content": [document]},
        {"role": "assistant", "content": [cited]},
        {"role": "user", "content": "more"}
    ]));
    let headers = [
        ("anthropic-version", "2026-10-21"),
        ("content-type", "application/json"),
    ];
    let body = serde_json::to_vec(&fine).expect("json");
    let raw = common::request(&server, "POST", "/v1/messages", &headers, &body).await;
    assert_eq!(raw.status, 200);
}
