//! The platforms' wire shapes: Bedrock InvokeModel (eventstream streams,
//! its errors and count-tokens), Mantle, Vertex and Foundry, their
//! credential checks, and the mock's faults on each.

mod common;

use std::time::Duration;

use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Platform, Route};
use claude_rs_types::ErrorType;
use common::{Raw, request, say};
use serde_json::{Value, json};

const MODEL: &str = "anthropic.claude-sonnet-4-5-20250929-v1:0";

/// A Bedrock InvokeModel body: no model, no stream, the body version.
fn bedrock_body(text: &str) -> Vec<u8> {
    let mut body = say(text);
    body.as_object_mut().unwrap().remove("model");
    body["anthropic_version"] = json!("bedrock-2023-05-31");
    serde_json::to_vec(&body).unwrap()
}

async fn bedrock(server: &MockServer, path: &str, body: &[u8]) -> Raw {
    request(
        server,
        "POST",
        path,
        &[("content-type", "application/json")],
        body,
    )
    .await
}

/// One decoded eventstream frame: its string headers and payload.
#[derive(Debug)]
struct Frame {
    headers: Vec<(String, String)>,
    payload: Vec<u8>,
}

impl Frame {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A chunk's event JSON (its `bytes`, base64-decoded).
    fn event(&self) -> Value {
        let payload: Value = serde_json::from_slice(&self.payload).unwrap();
        let bytes = base64_decode(payload["bytes"].as_str().unwrap());
        serde_json::from_slice(&bytes).unwrap()
    }
}

/// Decodes a whole body of frames, checking both CRCs of each.
fn frames(mut body: &[u8]) -> Vec<Frame> {
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let mut out = Vec::new();
    while !body.is_empty() {
        let total = be32(body) as usize;
        let headers_len = be32(&body[4..]) as usize;
        let frame = &body[..total];
        assert_eq!(crc32(&frame[..8]), be32(&frame[8..]), "prelude CRC");
        assert_eq!(
            crc32(&frame[..total - 4]),
            be32(&frame[total - 4..]),
            "message CRC"
        );
        let mut headers = Vec::new();
        let mut h = &frame[12..12 + headers_len];
        while !h.is_empty() {
            let name_len = h[0] as usize;
            let name = String::from_utf8(h[1..1 + name_len].to_vec()).unwrap();
            assert_eq!(h[1 + name_len], 7, "string header");
            let at = 2 + name_len;
            let value_len = u16::from_be_bytes([h[at], h[at + 1]]) as usize;
            let value = String::from_utf8(h[at + 2..at + 2 + value_len].to_vec()).unwrap();
            headers.push((name, value));
            h = &h[at + 2 + value_len..];
        }
        out.push(Frame {
            headers,
            payload: frame[12 + headers_len..total - 4].to_vec(),
        });
        body = &body[total..];
    }
    out
}

/// CRC-32/IEEE, bit by bit (the definition, not the mock's table).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_decode(text: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|&c| c != b'=') {
        bits = bits << 6 | B64.iter().position(|&a| a == c).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let v = chunk.iter().fold(0u32, |v, &b| v << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                B64[(v >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

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
    assert_eq!(message["model"], "claude-sonnet-4-5-20250929");
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
    with_model["model"] = json!("claude-sonnet-4-5");
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
    let model = "claude-sonnet-4-5@20250929";
    let raw = request(
        &server,
        "POST",
        &vertex_path(model, "rawPredict"),
        &auth,
        &vertex_body("Hi there", false),
    )
    .await;
    assert_eq!(raw.status, 200, "{}", raw.text());
    assert_eq!(raw.json()["model"], "claude-sonnet-4-5-20250929");
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

#[tokio::test]
async fn foundry_keys_and_tokens() {
    let server = MockServer::builder()
        .foundry_api_key("foundry-key")
        .foundry_token("entra-token")
        .start()
        .await;
    assert_eq!(
        server.platform_base_url(Platform::Foundry),
        format!("{}/anthropic", server.base_url())
    );
    let body = serde_json::to_vec(&say("Hi")).unwrap();
    let path = "/anthropic/v1/messages";
    let version = common::VERSION;
    for (headers, status) in [
        (vec![version, ("api-key", "foundry-key")], 200),
        (vec![version, ("x-api-key", "foundry-key")], 200),
        (vec![version, ("authorization", "Bearer entra-token")], 200),
        (vec![version, ("api-key", "wrong")], 401),
        (vec![version], 401),
    ] {
        let raw = request(&server, "POST", path, &headers, &body).await;
        assert_eq!(raw.status, status, "{headers:?}: {}", raw.text());
    }
    // Foundry sends the version header, and it is checked.
    let raw = request(&server, "POST", path, &[("api-key", "foundry-key")], &body).await;
    assert_eq!(raw.status, 400);
    let listed = common::get(&server, "/_mock/requests").await.json();
    assert_eq!(listed["data"][0]["platform"], "foundry");
    assert_eq!(listed["data"][0]["headers"]["api-key"], "[redacted]");
    // Scripts apply per route on every platform.
    server.enqueue(MockResponse::text("scripted"));
    let raw = request(
        &server,
        "POST",
        path,
        &[version, ("api-key", "foundry-key")],
        &body,
    )
    .await;
    assert_eq!(raw.json()["content"][0]["text"], "scripted");
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
