//! Bedrock InvokeModel and Mantle on the mock.

use std::time::Duration;

use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Platform, Route};
use claude_rs_types::error::ErrorType;
use serde_json::{Value, json};

use crate::common::{self, request, say};
use crate::wire::*;

#[tokio::test]
async fn bedrock_invoke_answers_json_with_the_paths_model() {
    let server = MockServer::start().await;
    let raw = bedrock(
        &server,
        &format!("/model/{MODEL}/invoke"),
        &bedrock_body("Hello there"),
    )
    .await;
    assert_eq!(raw.status, 200, "{}", raw.text());
    let message = raw.json();
    assert_eq!(message["model"], "claude-haiku-4-5-20251001");
    assert_eq!(message["content"][0]["text"], "Hello there");
    let input = message["usage"]["input_tokens"]
        .as_u64()
        .unwrap()
        .to_string();
    assert_eq!(
        raw.header("x-amzn-bedrock-input-token-count"),
        Some(input.as_str())
    );
    assert!(raw.header("x-amzn-requestid").is_some());
    assert_eq!(raw.header("anthropic-ratelimit-requests-limit"), None);
    let seen = &server.received_on(Route::Messages)[0];
    assert_eq!(seen.platform, Platform::Bedrock);
    assert_eq!(seen.path, format!("/model/{MODEL}/invoke"));
    assert!(
        seen.json.as_ref().unwrap().get("model").is_none(),
        "recorded as sent"
    );
}

#[tokio::test]
async fn bedrock_refuses_bodies_as_bedrock_does() {
    let server = MockServer::start().await;
    let path = format!("/model/{MODEL}/invoke");
    let mut with_model: Value = serde_json::from_slice(&bedrock_body("Hi")).unwrap();
    with_model["model"] = json!("claude-haiku-4-5");
    let mut unversioned: Value = serde_json::from_slice(&bedrock_body("Hi")).unwrap();
    unversioned
        .as_object_mut()
        .unwrap()
        .remove("anthropic_version");
    let mut streamed: Value = serde_json::from_slice(&bedrock_body("Hi")).unwrap();
    streamed["stream"] = json!(true);
    for (body, needle) in [
        (with_model, "extraneous key [model]"),
        (unversioned, "required key [anthropic_version]"),
        (streamed, "extraneous key [stream]"),
    ] {
        let raw = bedrock(&server, &path, &serde_json::to_vec(&body).unwrap()).await;
        assert_eq!(raw.status, 400);
        assert_eq!(raw.header("x-amzn-errortype"), Some("ValidationException"));
        let message = raw.json()["message"].as_str().unwrap().to_owned();
        assert!(message.contains(needle), "{message}");
        assert!(
            raw.json().get("type").is_none(),
            "Bedrock's shape, not the API's"
        );
    }
    // The first-party checks still apply, in Bedrock's shape.
    let mut no_tokens: Value = serde_json::from_slice(&bedrock_body("Hi")).unwrap();
    no_tokens.as_object_mut().unwrap().remove("max_tokens");
    let raw = bedrock(&server, &path, &serde_json::to_vec(&no_tokens).unwrap()).await;
    assert_eq!(raw.status, 400);
    assert_eq!(raw.json()["message"], "max_tokens: Field required");
    // An unknown model.
    let raw = bedrock(
        &server,
        "/model/anthropic.claude-nope-v1:0/invoke",
        &bedrock_body("Hi"),
    )
    .await;
    assert_eq!(raw.status, 404);
    assert_eq!(
        raw.header("x-amzn-errortype"),
        Some("ResourceNotFoundException")
    );
}

#[tokio::test]
async fn bedrock_streams_are_eventstream_chunks_of_the_messages_events() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("Streamed over eventstream"));
    let path = format!("/model/{MODEL}/invoke-with-response-stream");
    let raw = bedrock(&server, &path, &bedrock_body("Hi")).await;
    assert_eq!(raw.status, 200);
    assert!(raw.complete);
    assert_eq!(
        raw.header("content-type"),
        Some("application/vnd.amazon.eventstream")
    );
    let frames = frames(&raw.body);
    let mut text = String::new();
    let mut types = Vec::new();
    for frame in &frames {
        assert_eq!(frame.header(":event-type"), Some("chunk"));
        assert_eq!(frame.header(":message-type"), Some("event"));
        assert_eq!(frame.header(":content-type"), Some("application/json"));
        let event = frame.event();
        if let Some(piece) = event.pointer("/delta/text").and_then(Value::as_str) {
            text.push_str(piece);
        }
        types.push(event["type"].as_str().unwrap().to_owned());
    }
    assert_eq!(text, "Streamed over eventstream");
    assert_eq!(types.first().map(String::as_str), Some("message_start"));
    assert_eq!(types.last().map(String::as_str), Some("message_stop"));
}

#[tokio::test]
async fn a_mid_stream_error_is_an_exception_frame() {
    let server = MockServer::start().await;
    let path = format!("/model/{MODEL}/invoke-with-response-stream");
    for (error_type, kind) in [
        (ErrorType::Overloaded, "serviceUnavailableException"),
        (ErrorType::RateLimit, "throttlingException"),
    ] {
        server.fail_next(Fault::sse_error_at(3, error_type));
        let raw = bedrock(&server, &path, &bedrock_body("one two three four")).await;
        let frames = frames(&raw.body);
        assert_eq!(frames.len(), 4, "three chunks, then the exception");
        let last = &frames[3];
        assert_eq!(last.header(":message-type"), Some("exception"));
        assert_eq!(last.header(":exception-type"), Some(kind));
        let payload: Value = serde_json::from_slice(&last.payload).unwrap();
        assert!(payload["message"].is_string(), "{payload}");
    }
}

#[tokio::test]
async fn status_faults_resets_and_drips_work_on_bedrock() {
    let server = MockServer::start().await;
    let path = format!("/model/{MODEL}/invoke-with-response-stream");
    server.inject(FaultRule::once(Fault::rate_limited().retry_after(2)).on(Route::Messages));
    let raw = bedrock(&server, &path, &bedrock_body("Hi")).await;
    assert_eq!(raw.status, 429);
    assert_eq!(raw.header("x-amzn-errortype"), Some("ThrottlingException"));
    assert_eq!(raw.header("retry-after"), Some("2"));
    assert!(raw.json()["message"].is_string());

    server.fail_next(Fault::overloaded());
    let raw = bedrock(&server, &path, &bedrock_body("Hi")).await;
    assert_eq!(raw.status, 529);
    assert_eq!(
        raw.header("x-amzn-errortype"),
        Some("ServiceUnavailableException")
    );

    server.fail_next(Fault::reset_after(40));
    let raw = bedrock(&server, &path, &bedrock_body("Hi")).await;
    assert!(!raw.complete);
    assert_eq!(raw.body.len(), 40);

    server.fail_next(Fault::drip_bytes(7, Duration::from_millis(1)));
    let raw = bedrock(&server, &path, &bedrock_body("drip drip")).await;
    assert!(raw.complete);
    assert_eq!(
        frames(&raw.body).last().unwrap().event()["type"],
        "message_stop"
    );

    server.fail_next(Fault::truncated_sse(2));
    let raw = bedrock(&server, &path, &bedrock_body("cut short")).await;
    assert!(raw.complete, "ends cleanly, mid-frame");
    // Two whole frames, then part of a third that announces more bytes
    // than follow.
    let body = &raw.body;
    let len_at = |at: usize| {
        u32::from_be_bytes([body[at], body[at + 1], body[at + 2], body[at + 3]]) as usize
    };
    let two = len_at(0) + len_at(len_at(0));
    assert_eq!(frames(&body[..two]).len(), 2);
    let rest = body.len() - two;
    assert!(rest > 0 && rest < len_at(two), "{rest} of {}", len_at(two));
}

#[tokio::test]
async fn bedrock_count_tokens_opens_the_envelope() {
    let server = MockServer::start().await;
    let inner = bedrock_body("Count these tokens please");
    let envelope = json!({"input": {"invokeModel": {"body": base64_encode(&inner)}}});
    let raw = bedrock(
        &server,
        &format!("/model/{MODEL}/count-tokens"),
        &serde_json::to_vec(&envelope).unwrap(),
    )
    .await;
    assert_eq!(raw.status, 200, "{}", raw.text());
    let bedrock_count = raw.json()["inputTokens"].as_u64().unwrap();
    let mut first_party = say("Count these tokens please");
    first_party.as_object_mut().unwrap().remove("max_tokens");
    let raw = common::post(&server, "/v1/messages/count_tokens", &first_party).await;
    assert_eq!(raw.json()["input_tokens"].as_u64(), Some(bedrock_count));
    let raw = bedrock(&server, &format!("/model/{MODEL}/count-tokens"), b"{}").await;
    assert_eq!(raw.status, 400);
    assert_eq!(raw.header("x-amzn-errortype"), Some("ValidationException"));
}

#[tokio::test]
async fn an_inference_profile_arn_is_decoded_from_the_path() {
    let server = MockServer::start().await;
    let arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile%2Fus.anthropic.claude-haiku-4-5-20251001-v1:0";
    let raw = bedrock(
        &server,
        &format!("/model/{arn}/invoke"),
        &bedrock_body("Hi"),
    )
    .await;
    assert_eq!(raw.status, 200, "{}", raw.text());
    assert_eq!(raw.json()["model"], "claude-haiku-4-5-20251001");
    assert!(server.requests()[0].path.contains("%2F"));
}

#[tokio::test]
async fn bedrock_credentials_are_checked_when_given() {
    let server = MockServer::builder()
        .aws_credentials("AKIDEXAMPLE", "secret")
        .bedrock_api_key("bedrock-key")
        .start()
        .await;
    let path = format!("/model/{MODEL}/invoke");
    let body = bedrock_body("Hi");
    let unsigned = bedrock(&server, &path, &body).await;
    assert_eq!(unsigned.status, 403);
    assert_eq!(
        unsigned.header("x-amzn-errortype"),
        Some("MissingAuthenticationTokenException")
    );
    let forged = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/bedrock/aws4_request, \
                  SignedHeaders=host;x-amz-date, Signature=00";
    let now = "20240102T030405Z";
    let headers = [("authorization", forged), ("x-amz-date", now)];
    let raw = request(&server, "POST", &path, &headers, &body).await;
    assert_eq!(raw.status, 403);
    assert_eq!(
        raw.header("x-amzn-errortype"),
        Some("InvalidSignatureException")
    );
    assert!(
        raw.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature expired")
    );
    let wrong_key = [("authorization", "Bearer nope")];
    let raw = request(&server, "POST", &path, &wrong_key, &body).await;
    assert_eq!(
        raw.header("x-amzn-errortype"),
        Some("UnrecognizedClientException")
    );
    let key = [("authorization", "Bearer bedrock-key")];
    let raw = request(&server, "POST", &path, &key, &body).await;
    assert_eq!(raw.status, 200, "{}", raw.text());
    // A SigV4 request under /anthropic is Mantle's, checked for bedrock-mantle.
    let raw = request(&server, "POST", "/anthropic/v1/messages", &headers, b"{}").await;
    assert_eq!(raw.status, 403);
    assert_eq!(
        server.requests().last().unwrap().platform,
        Platform::BedrockMantle
    );
    // Recorded credentials are redacted in the control API.
    let listed = common::get(&server, "/_mock/requests").await.json();
    let last = &listed["data"][3];
    assert_eq!(last["platform"], "bedrock");
    assert_eq!(last["headers"]["authorization"], "[redacted]");
}

#[tokio::test]
async fn json_scripts_drive_bedrock_streams_too() {
    let server = MockServer::start().await;
    let script = json!({
        "replies": {"messages": [{"text": "from the script"}]},
        "faults": [{"fault": {"kind": "sse_error_at", "index": 5, "error_type": "rate_limit_error"}, "route": "messages"}]
    });
    let raw = common::post(&server, "/_mock/script", &script).await;
    assert_eq!(raw.status, 200, "{}", raw.text());
    let path = format!("/model/{MODEL}/invoke-with-response-stream");
    let raw = bedrock(&server, &path, &bedrock_body("Hi")).await;
    let frames = frames(&raw.body);
    assert_eq!(frames.len(), 6);
    let text: String = frames[..5]
        .iter()
        .filter_map(|f| {
            f.event()
                .pointer("/delta/text")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    assert!(
        "from the script".starts_with(&text) && !text.is_empty(),
        "{text}"
    );
    assert_eq!(
        frames[5].header(":exception-type"),
        Some("throttlingException")
    );
}
