//! Vertex AI's paths on the mock.

use claude_rs_mock::{Fault, MockServer, Platform};
use claude_rs_types::error::ErrorType;
use serde_json::{Value, json};

use crate::common::{request, say};

fn vertex_path(model: &str, verb: &str) -> String {
    format!("/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/{model}:{verb}")
}

fn vertex_body(text: &str, stream: bool) -> Vec<u8> {
    let mut body = say(text);
    body.as_object_mut().unwrap().remove("model");
    body["anthropic_version"] = json!("vertex-2023-10-16");
    if stream {
        body["stream"] = json!(true);
    }
    serde_json::to_vec(&body).unwrap()
}

#[tokio::test]
async fn vertex_raw_predict_stream_and_count_tokens() {
    let server = MockServer::builder()
        .vertex_token("ya29.token")
        .start()
        .await;
    let auth = [("authorization", "Bearer ya29.token")];
    let model = "claude-haiku-4-5@20251001";
    let raw = request(
        &server,
        "POST",
        &vertex_path(model, "rawPredict"),
        &auth,
        &vertex_body("Hi there", false),
    )
    .await;
    assert_eq!(raw.status, 200, "{}", raw.text());
    assert_eq!(raw.json()["model"], "claude-haiku-4-5-20251001");
    assert_eq!(raw.json()["content"][0]["text"], "Hi there");

    let raw = request(
        &server,
        "POST",
        &vertex_path(model, "streamRawPredict"),
        &auth,
        &vertex_body("Hi", true),
    )
    .await;
    assert_eq!(raw.header("content-type"), Some("text/event-stream"));
    assert_eq!(
        raw.events().last().map(|(e, _)| e.as_str()),
        Some("message_stop")
    );

    let mut count = say("Hi");
    count.as_object_mut().unwrap().remove("max_tokens");
    count["model"] = json!(model);
    count["anthropic_version"] = json!("vertex-2023-10-16");
    let raw = request(
        &server,
        "POST",
        &vertex_path("count-tokens", "rawPredict"),
        &auth,
        &serde_json::to_vec(&count).unwrap(),
    )
    .await;
    assert_eq!(raw.status, 200, "{}", raw.text());
    assert!(raw.json()["input_tokens"].as_u64().unwrap() > 0);
    assert_eq!(server.requests()[0].platform, Platform::Vertex);

    // The body rules, in the API's error shape.
    let mut with_model: Value = serde_json::from_slice(&vertex_body("Hi", false)).unwrap();
    with_model["model"] = json!(model);
    let raw = request(
        &server,
        "POST",
        &vertex_path(model, "rawPredict"),
        &auth,
        &serde_json::to_vec(&with_model).unwrap(),
    )
    .await;
    assert_eq!(raw.status, 400);
    assert_eq!(
        raw.json()["error"]["message"],
        "model: Extra inputs are not permitted"
    );
    let raw = request(
        &server,
        "POST",
        &vertex_path(model, "rawPredict"),
        &auth,
        &serde_json::to_vec(&say("Hi")).unwrap(),
    )
    .await;
    assert_eq!(
        raw.json()["error"]["message"],
        "anthropic_version: Field required"
    );

    // The token.
    let raw = request(
        &server,
        "POST",
        &vertex_path(model, "rawPredict"),
        &[("authorization", "Bearer other")],
        &vertex_body("Hi", false),
    )
    .await;
    assert_eq!(raw.status, 401);
    assert_eq!(raw.json()["error"]["status"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn vertex_streams_take_the_mid_stream_fault() {
    let server = MockServer::start().await;
    server.fail_next(Fault::sse_error_at(2, ErrorType::Overloaded));
    let raw = request(
        &server,
        "POST",
        &vertex_path("claude-opus-4-6", "streamRawPredict"),
        &[],
        &vertex_body("Hi", true),
    )
    .await;
    let events = raw.events();
    assert_eq!(events.len(), 3);
    assert_eq!(events[2].0, "error");
}
