//! Requests the API would reject get the API's error status and body.

mod common;

use claude_rs_mock::{MockResponse, MockServer};
use claude_rs_types::error::{ErrorResponse, ErrorType};
use common::{Raw, VERSION, post, request, say};
use serde_json::json;

fn error_of(raw: &Raw, status: u16, kind: ErrorType) -> String {
    assert_eq!(raw.status, status, "{}", raw.text());
    let error: ErrorResponse = serde_json::from_slice(&raw.body).expect("ErrorResponse");
    assert_eq!(error.kind.as_deref(), Some("error"));
    assert_eq!(error.error.kind, kind);
    assert!(error.request_id.is_some());
    error.error.message
}

#[tokio::test]
async fn invalid_bodies_name_the_problem() {
    let server = MockServer::start().await;
    let cases = [
        (
            json!({"model": "claude-haiku-4-5", "messages": [{"role": "user", "content": "hi"}]}),
            "max_tokens: Field required",
        ),
        (
            json!({"model": "claude-haiku-4-5", "max_tokens": 0, "messages": [{"role": "user", "content": "hi"}]}),
            "max_tokens: Input should be greater than or equal to 1",
        ),
        (
            json!({"model": "claude-haiku-4-5", "max_tokens": 9, "messages": []}),
            "messages: at least one message is required",
        ),
        (
            json!({"model": "claude-haiku-4-5", "max_tokens": 9}),
            "messages: Field required",
        ),
        (
            json!({"model": "claude-haiku-4-5", "max_tokens": 9, "messages": [{"role": "developer", "content": "x"}]}),
            "messages.0.role: Input should be 'user', 'assistant' or 'system'",
        ),
        (
            json!({"max_tokens": 9, "messages": [{"role": "user", "content": "x"}]}),
            "model: Field required",
        ),
    ];
    for (body, expected) in cases {
        // A queued reply is not consumed by an invalid request.
        server.enqueue(MockResponse::text("scripted"));
        let raw = post(&server, "/v1/messages", &body).await;
        assert_eq!(error_of(&raw, 400, ErrorType::InvalidRequest), expected);
    }
    let raw = request(&server, "POST", "/v1/messages", &[VERSION], b"{not json").await;
    let message = error_of(&raw, 400, ErrorType::InvalidRequest);
    assert!(message.contains("parsing the body"), "{message}");

    // Same-role turns are accepted, as by the API; the queue is intact.
    let body = json!({"model": "claude-haiku-4-5", "max_tokens": 9, "messages": [
        {"role": "user", "content": "a"}, {"role": "user", "content": "b"}]});
    let raw = post(&server, "/v1/messages", &body).await;
    assert_eq!(raw.status, 200);
    assert_eq!(raw.json()["content"][0]["text"], "scripted");
}

#[tokio::test]
async fn missing_version_header_is_rejected() {
    let server = MockServer::start().await;
    let body = serde_json::to_vec(&say("hi")).expect("json");
    let raw = request(&server, "POST", "/v1/messages", &[], &body).await;
    let message = error_of(&raw, 400, ErrorType::InvalidRequest);
    assert!(message.contains("anthropic-version"), "{message}");
    // Unless validation is off.
    let lenient = MockServer::builder().validation(false).start().await;
    assert_eq!(
        request(&lenient, "POST", "/v1/messages", &[], &body)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn api_key_is_checked_when_configured() {
    let server = MockServer::builder().api_key("sk-right").start().await;
    let body = serde_json::to_vec(&say("hi")).expect("json");
    let path = "/v1/messages";
    let missing = request(&server, "POST", path, &[VERSION], &body).await;
    assert!(error_of(&missing, 401, ErrorType::Authentication).contains("x-api-key"));
    let wrong = request(
        &server,
        "POST",
        path,
        &[VERSION, ("x-api-key", "sk-wrong")],
        &body,
    )
    .await;
    assert_eq!(
        error_of(&wrong, 401, ErrorType::Authentication),
        "invalid x-api-key"
    );
    let right = request(
        &server,
        "POST",
        path,
        &[VERSION, ("x-api-key", "sk-right")],
        &body,
    )
    .await;
    assert_eq!(right.status, 200);
    let bearer = [VERSION, ("authorization", "Bearer sk-right")];
    assert_eq!(
        request(&server, "POST", path, &bearer, &body).await.status,
        200
    );
    let bad_bearer = [VERSION, ("authorization", "Bearer nope")];
    let raw = request(&server, "POST", path, &bad_bearer, &body).await;
    error_of(&raw, 401, ErrorType::Authentication);
}

#[tokio::test]
async fn unknown_paths_are_not_found() {
    let server = MockServer::start().await;
    for (method, path) in [
        ("GET", "/v1/nothing"),
        ("GET", "/v1/messages"),
        ("PUT", "/v1/files"),
    ] {
        let raw = request(&server, method, path, &[VERSION], b"").await;
        error_of(&raw, 404, ErrorType::NotFound);
    }
}

#[tokio::test]
async fn weird_requests_never_kill_the_server() {
    let server = MockServer::start().await;
    let weird: [&[u8]; 5] = [b"", b"null", b"[]", b"\xff\xfe", br#"{"messages":"x"}"#];
    for body in weird {
        for path in [
            "/v1/messages",
            "/v1/messages/count_tokens",
            "/v1/messages/batches",
            "/v1/files",
        ] {
            let raw = request(
                &server,
                "POST",
                path,
                &[VERSION, ("content-type", "multipart/form-data; boundary=x")],
                body,
            )
            .await;
            assert_eq!(raw.status, 400, "{path} {body:?}: {}", raw.text());
        }
    }
    assert_eq!(
        post(&server, "/v1/messages", &say("still alive"))
            .await
            .status,
        200
    );
}
