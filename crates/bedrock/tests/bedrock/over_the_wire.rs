//! The client on the Bedrock backend against the loopback Bedrock: paths,
//! rewritten bodies, signatures checked by the far side on every attempt,
//! eventstream answers, retries, typed errors and refused calls.

use std::time::Duration;

use bytes::Bytes;
use claude_rs_bedrock::{Bedrock, Credentials};
use claude_rs_client::{ApiVersion, Client, Error};
use claude_rs_types::{error::ErrorType, request::CreateMessageRequest, request::MessageParam};
use serde_json::json;

use crate::support::*;

fn bedrock(server: &Server) -> Bedrock {
    Bedrock::builder()
        .region("us-east-1")
        .base_url(&server.url)
        .credentials(Credentials::new(
            ACCESS_KEY,
            SECRET_KEY,
            Some("SESSIONTOKEN".into()),
        ))
        .env_lookup(|_| None)
        .build()
        .unwrap()
}

/// What the body carries for the client's version: Bedrock's own for
/// `2023-06-01`, else the version as it is (`2026-10-21` by default).
fn body_version(client: &Client) -> &str {
    match client.api_version() {
        ApiVersion::V2023_06_01 => claude_rs_bedrock::BEDROCK_API_VERSION,
        version => version.as_str(),
    }
}

fn client(server: &Server) -> Client {
    Client::builder().backend(bedrock(server)).build().unwrap()
}

fn request(model: &str) -> CreateMessageRequest {
    CreateMessageRequest::new(model, 64, vec![MessageParam::user("Hi")])
}

fn message_json() -> serde_json::Value {
    json!({
        "id": "msg_bdrk_01", "type": "message", "role": "assistant",
        "model": "claude-3-5-sonnet-20241022",
        "content": [{"type": "text", "text": "Hello"}],
        "stop_reason": "end_turn", "stop_sequence": null,
        "usage": {"input_tokens": 8, "output_tokens": 2}
    })
}

#[tokio::test]
async fn create_goes_to_invoke_with_the_body_rewritten_and_signed() {
    let server = Server::start(|_, _| json_answer(200, message_json())).await;
    let client = Client::builder()
        .backend(bedrock(&server))
        .api_version(claude_rs_client::ApiVersion::V2023_06_01)
        .beta("a")
        .beta("b")
        .build()
        .unwrap();
    let message = client.messages().create(request(MODEL)).await.unwrap();
    assert_eq!(message.text(), "Hello");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let seen = &seen[0];
    assert_eq!(seen.path, format!("/model/{MODEL}/invoke"));
    assert!(seen.signature_valid, "{:?}", seen.headers);
    assert_eq!(seen.header("x-amz-security-token"), Some("SESSIONTOKEN"));
    assert_eq!(seen.header("anthropic-version"), None);
    let body = seen.json();
    assert_eq!(body["anthropic_version"], "bedrock-2023-05-31");
    assert_eq!(body["anthropic_beta"], json!(["a", "b"]));
    assert!(
        body.get("model").is_none() && body.get("stream").is_none(),
        "{body}"
    );
    assert_eq!(body["max_tokens"], 64);
}

#[tokio::test]
async fn the_default_api_version_goes_into_the_body_as_it_is() {
    let server = Server::start(|_, _| json_answer(200, message_json())).await;
    let client = Client::builder().backend(bedrock(&server)).build().unwrap();
    client.messages().create(request(MODEL)).await.unwrap();
    assert_eq!(
        server.seen()[0].json()["anthropic_version"],
        body_version(&client)
    );
}

#[tokio::test]
async fn an_inference_profile_arn_is_encoded_and_its_signature_holds() {
    let server = Server::start(|_, _| json_answer(200, message_json())).await;
    let arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0";
    client(&server)
        .messages()
        .create(request(arn))
        .await
        .unwrap();
    let seen = &server.seen()[0];
    assert_eq!(
        seen.path,
        "/model/arn:aws:bedrock:us-east-1:123456789012:inference-profile%2Fus.anthropic.claude-sonnet-4-20250514-v1:0/invoke"
    );
    assert!(seen.signature_valid);
}

#[tokio::test]
async fn streams_decode_eventstream_frames_with_every_helper() {
    let server = Server::start(|_, _| eventstream_answer(fixture("bedrock_stream_ok.bin"))).await;
    let client = client(&server);
    let mut text = client
        .messages()
        .stream(request(MODEL))
        .await
        .unwrap()
        .text_stream();
    let mut streamed = String::new();
    while let Some(piece) = text.next().await {
        streamed.push_str(&piece.unwrap());
    }
    assert_eq!(streamed, "Hello");
    let message = client
        .messages()
        .stream(request(MODEL))
        .await
        .unwrap()
        .final_message()
        .await;
    let message = message.unwrap();
    assert_eq!(message.id, "msg_bdrk_01");
    assert_eq!(message.usage.output_tokens, 2);
    let seen = server.seen();
    assert_eq!(
        seen[0].path,
        format!("/model/{MODEL}/invoke-with-response-stream")
    );
    assert!(seen.iter().all(|s| s.signature_valid));
    assert!(seen[0].json().get("stream").is_none());
}

#[tokio::test]
async fn every_recorded_sse_stream_reframed_accumulates_to_the_same_message() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/recorded");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".sse"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        let sse = recorded(&name);
        let frames = reframe(&sse);
        let sse_body = Bytes::from(sse);
        let over_sse =
            Server::start(move |_, _| answer(200, "text/event-stream", sse_body.clone())).await;
        let over_frames = Server::start(move |_, _| eventstream_answer(frames.clone())).await;
        let first_party = Client::builder()
            .api_key("sk-test")
            .base_url(&over_sse.url)
            .max_retries(0)
            .build()
            .unwrap();
        let on_bedrock = Client::builder()
            .backend(bedrock(&over_frames))
            .max_retries(0)
            .build()
            .unwrap();
        let outcome = |result: Result<claude_rs_types::message::Message, Error>| match result {
            Ok(message) => Ok(serde_json::to_value(message).unwrap()),
            Err(error) => Err((
                error
                    .partial_message()
                    .map(|m| serde_json::to_value(m).unwrap()),
                error
                    .api()
                    .map(|a| (a.error_type.clone(), a.message.clone())),
            )),
        };
        let expected = match first_party.messages().stream(request(MODEL)).await {
            Ok(stream) => outcome(stream.final_message().await),
            Err(error) => outcome(Err(error)),
        };
        let got = match on_bedrock.messages().stream(request(MODEL)).await {
            Ok(stream) => outcome(stream.final_message().await),
            Err(error) => outcome(Err(error)),
        };
        assert_eq!(got, expected, "{name}");
    }
}

#[tokio::test]
async fn a_retry_is_signed_again_with_a_new_date() {
    let server = Server::start(|n, _| {
        if n == 1 {
            let mut answer = json_answer(500, json!({"message": "internal"}));
            answer
                .headers_mut()
                .insert("retry-after", "1".parse().unwrap());
            answer
        } else {
            json_answer(200, message_json())
        }
    })
    .await;
    client(&server)
        .messages()
        .create(request(MODEL))
        .await
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s.signature_valid));
    assert_ne!(seen[0].header("x-amz-date"), seen[1].header("x-amz-date"));
    assert_ne!(
        seen[0].header("authorization"),
        seen[1].header("authorization")
    );
}

#[tokio::test]
async fn a_throttling_exception_before_any_content_is_retried_like_a_429() {
    let throttled = exception_frame("throttlingException", "Too many requests");
    let server = Server::start(move |n, _| {
        if n == 1 {
            eventstream_answer(throttled.clone())
        } else {
            eventstream_answer(fixture("bedrock_stream_ok.bin"))
        }
    })
    .await;
    let stream = client(&server)
        .messages()
        .stream(request(MODEL))
        .await
        .unwrap();
    assert_eq!(stream.final_text().await.unwrap(), "Hello");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].signature_valid);

    // Without retries it is the typed rate-limit error.
    let frame = exception_frame("throttlingException", "Too many requests");
    let server = Server::start(move |_, _| eventstream_answer(frame.clone())).await;
    let client = Client::builder()
        .backend(bedrock(&server))
        .max_retries(0)
        .build()
        .unwrap();
    let error = client.messages().stream(request(MODEL)).await.unwrap_err();
    assert!(error.is_rate_limit(), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.api().unwrap().message, "Too many requests");
    assert_eq!(
        error.request_id(),
        Some("req-bedrock-1"),
        "Bedrock's request id"
    );
}

#[tokio::test]
async fn an_exception_mid_stream_keeps_the_partial_message_and_is_not_retried() {
    let server =
        Server::start(|_, _| eventstream_answer(fixture("bedrock_stream_exception.bin"))).await;
    let stream = client(&server)
        .messages()
        .stream(request(MODEL))
        .await
        .unwrap();
    let error = stream.final_message().await.unwrap_err();
    assert_eq!(
        error.partial_message().map(|m| m.id.as_str()),
        Some("msg_bdrk_01")
    );
    assert!(error.is_rate_limit());
    assert_eq!(server.seen().len(), 1);

    for (kind, status) in [
        ("modelStreamErrorException", 424),
        ("validationException", 400),
        ("internalServerException", 500),
        ("serviceUnavailableException", 503),
        ("modelTimeoutException", 408),
    ] {
        let mut body = Vec::new();
        body.extend(chunk_frame(&recorded_first_event()));
        body.extend(exception_frame(kind, "it broke"));
        let server = Server::start(move |_, _| eventstream_answer(body.clone())).await;
        let stream = client(&server)
            .messages()
            .stream(request(MODEL))
            .await
            .unwrap();
        let error = stream.final_message().await.unwrap_err();
        let api = error.api().unwrap_or_else(|| panic!("{kind}: {error:?}"));
        assert_eq!(api.status.as_u16(), status, "{kind}");
        assert_eq!(api.error_type, Some(ErrorType::from(kind)));
        assert!(error.partial_message().is_some(), "{kind}");
    }
}

fn recorded_first_event() -> Vec<u8> {
    serde_json::to_vec(&json!({"type": "message_start", "message": {
        "id": "msg_bdrk_02", "type": "message", "role": "assistant", "model": "m",
        "content": [], "stop_reason": null, "stop_sequence": null,
        "usage": {"input_tokens": 1, "output_tokens": 0}}}))
    .unwrap()
}

#[tokio::test]
async fn http_errors_are_typed_by_x_amzn_errortype() {
    let server = Server::start(|_, _| {
        let mut answer = json_answer(400, json!({"message": "Malformed input request"}));
        answer.headers_mut().insert(
            "x-amzn-errortype",
            "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"
                .parse()
                .unwrap(),
        );
        answer.headers_mut().insert(
            "x-amzn-requestid",
            "3f1c6e2a-0000-4000-8000-000000000000".parse().unwrap(),
        );
        answer
    })
    .await;
    let error = client(&server)
        .messages()
        .create(request(MODEL))
        .await
        .unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(
        api.request_id.as_deref(),
        Some("3f1c6e2a-0000-4000-8000-000000000000"),
        "Bedrock's request id header"
    );
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.error_type, Some(ErrorType::from("ValidationException")));
    assert_eq!(api.message, "Malformed input request");
    assert_eq!(server.seen().len(), 1, "a 400 is not retried");
}

#[tokio::test]
async fn count_tokens_uses_bedrocks_own_endpoint() {
    let server = Server::start(|_, _| json_answer(200, json!({"inputTokens": 12}))).await;
    let mut request = CreateMessageRequest::new(MODEL, 64, vec![MessageParam::user("Count me")]);
    request.system = Some("Be brief.".into());
    let count = client(&server)
        .messages()
        .count_tokens(&request)
        .await
        .unwrap();
    assert_eq!(count.input_tokens, 12);
    let seen = &server.seen()[0];
    assert_eq!(seen.path, format!("/model/{MODEL}/count-tokens"));
    assert!(seen.signature_valid);
    let body = seen.json();
    use base64::Engine as _;
    let inner = base64::engine::general_purpose::STANDARD
        .decode(body["input"]["invokeModel"]["body"].as_str().unwrap())
        .unwrap();
    let inner: serde_json::Value = serde_json::from_slice(&inner).unwrap();
    assert_eq!(inner["anthropic_version"], body_version(&client(&server)));
    assert_eq!(inner["system"], "Be brief.");
    assert_eq!(inner["messages"][0]["content"], "Count me");
    assert!(inner.get("model").is_none(), "{inner}");
    assert_eq!(inner["max_tokens"], 1);
}

#[tokio::test]
async fn batches_models_and_files_are_refused_before_any_request() {
    let server = Server::start(|_, _| json_answer(200, json!({}))).await;
    let client = client(&server);
    let errors = [
        client.batches().list().await.unwrap_err(),
        client.models().list().await.unwrap_err(),
        client.files().list().await.unwrap_err(),
    ];
    for error in errors {
        assert!(
            matches!(
                error,
                Error::Unsupported {
                    platform: "Amazon Bedrock",
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .contains("not supported on Amazon Bedrock"),
            "{error}"
        );
    }
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn an_api_key_is_a_bearer_token_without_sigv4() {
    let server = Server::start(|_, _| json_answer(200, message_json())).await;
    let bedrock = Bedrock::builder()
        .base_url(&server.url)
        .api_key("ABSKbedrock-key")
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(bedrock).build().unwrap();
    client.messages().create(request(MODEL)).await.unwrap();
    let seen = &server.seen()[0];
    assert_eq!(seen.header("authorization"), Some("Bearer ABSKbedrock-key"));
    assert_eq!(seen.header("x-amz-date"), None);
}

#[tokio::test]
async fn a_failing_credentials_provider_is_retried_when_transient() {
    use std::sync::atomic::{AtomicU32, Ordering};
    #[derive(Debug, Default)]
    struct Flaky(AtomicU32);
    impl claude_rs_bedrock::CredentialsProvider for Flaky {
        fn credentials(&self) -> futures_util::future::BoxFuture<'_, Result<Credentials, Error>> {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                if n == 0 {
                    Err(Error::Credentials {
                        message: "the vault was down".into(),
                        transient: true,
                        source: None,
                    })
                } else {
                    Ok(Credentials::new(ACCESS_KEY, SECRET_KEY, None))
                }
            })
        }
    }
    let server = Server::start(|_, _| json_answer(200, message_json())).await;
    let bedrock = Bedrock::builder()
        .region("us-east-1")
        .base_url(&server.url)
        .credentials_provider(Flaky::default())
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(bedrock).build().unwrap();
    tokio::time::timeout(
        Duration::from_secs(30),
        client.messages().create(request(MODEL)),
    )
    .await
    .unwrap()
    .unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "the failed attempt sent nothing");
    assert!(seen[0].signature_valid);
}

#[tokio::test]
async fn mantle_sends_the_first_party_request_signed_for_bedrock_mantle() {
    let server = Server::start(|_, _| json_answer(200, message_json())).await;
    let mantle = Bedrock::mantle_builder()
        .region("us-east-1")
        .base_url(format!("{}/anthropic", server.url))
        .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, None))
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(mantle).build().unwrap();
    client.messages().create(request(MODEL)).await.unwrap();
    let seen = &server.seen()[0];
    assert_eq!(seen.path, "/anthropic/v1/messages");
    assert!(seen.signature_valid);
    assert!(
        seen.header("authorization")
            .unwrap()
            .contains("/us-east-1/bedrock-mantle/aws4_request")
    );
    assert!(seen.header("anthropic-version").is_some());
    assert_eq!(seen.json()["model"], MODEL);
    assert!(seen.json().get("anthropic_version").is_none());
}

#[tokio::test]
async fn a_stalled_eventstream_hits_the_idle_timeout_with_the_partial_kept() {
    let first = chunk_frame(&recorded_first_event());
    let server = Server::start(move |_, _| stalled_eventstream(first.clone())).await;
    let client = Client::builder()
        .backend(bedrock(&server))
        .stream_idle_timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    let stream = client.messages().stream(request(MODEL)).await.unwrap();
    let error = tokio::time::timeout(Duration::from_secs(20), stream.final_message())
        .await
        .expect("the idle guard ends the stream")
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(
        error.partial_message().map(|m| m.id.as_str()),
        Some("msg_bdrk_02")
    );
}

fn tool_use_message() -> serde_json::Value {
    json!({
        "id": "msg_bdrk_tool", "type": "message", "role": "assistant", "model": "m",
        "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"location": "Paris"}}],
        "stop_reason": "tool_use", "stop_sequence": null,
        "usage": {"input_tokens": 5, "output_tokens": 5}
    })
}

/// The same reply as eventstream chunk frames.
fn tool_use_frames() -> Vec<u8> {
    let mut start = tool_use_message();
    start["content"] = json!([]);
    start["stop_reason"] = serde_json::Value::Null;
    let events = [
        json!({"type": "message_start", "message": start}),
        json!({"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": "{\"location\": \"Paris\"}"}}),
        json!({"type": "content_block_stop", "index": 0}),
        json!({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null}, "usage": {"output_tokens": 5}}),
        json!({"type": "message_stop"}),
    ];
    events
        .iter()
        .flat_map(|e| chunk_frame(e.to_string().as_bytes()))
        .collect()
}

#[tokio::test]
async fn the_tool_runner_runs_on_bedrock_streamed_or_not() {
    use claude_rs_client::tools::{RunStop, ToolRunner, TypedTool};
    for streaming in [false, true] {
        let server = Server::start(move |n, _| match (n, streaming) {
            (1, false) => json_answer(200, tool_use_message()),
            (1, true) => eventstream_answer(tool_use_frames()),
            (_, false) => json_answer(200, message_json()),
            (_, true) => eventstream_answer(fixture("bedrock_stream_ok.bin")),
        })
        .await;
        let weather = TypedTool::for_definition(
            claude_rs_types::tool::Tool::custom(
                "get_weather",
                "Weather",
                json!({"type": "object"}),
            ),
            |input: serde_json::Value| async move {
                Ok::<_, String>(format!(
                    "21°C in {}",
                    input["location"].as_str().unwrap_or("?")
                ))
            },
        );
        let runner = ToolRunner::builder(client(&server), request(MODEL))
            .tool(weather)
            .streaming(streaming)
            .build();
        let outcome = runner.until_done().await.unwrap();
        assert_eq!(outcome.stop, RunStop::Finished, "streaming: {streaming}");
        assert_eq!(outcome.message.text(), "Hello");
        let seen = server.seen();
        assert_eq!(seen.len(), 2);
        assert!(seen.iter().all(|s| s.signature_valid));
        let second = seen[1].json();
        assert_eq!(second["messages"][2]["content"][0]["type"], "tool_result");
        assert_eq!(
            second["messages"][2]["content"][0]["content"],
            "21°C in Paris"
        );
        assert!(second.get("model").is_none() && second.get("stream").is_none());
    }
}
