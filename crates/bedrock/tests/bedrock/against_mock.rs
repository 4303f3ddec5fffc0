//! The Bedrock backend against the embedded mock, which verifies every
//! attempt's SigV4 signature with its own implementation (the backend signs
//! with aws-sigv4): create, streams and their helpers, count tokens,
//! retries re-signed, mid-stream exceptions, Mantle and the API key.

use std::time::Duration;

use claude_rs_bedrock::{Bedrock, Credentials};
use claude_rs_client::backend::Operation;
use claude_rs_client::{Client, Error};
use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Platform, Route};
use claude_rs_types::{error::ErrorType, request::CreateMessageRequest, request::MessageParam};

use crate::support::{ACCESS_KEY, SECRET_KEY};

/// A Bedrock model id whose first-party model the mock's catalogue knows.
const MODEL: &str = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
const TOKEN: &str = "SESSIONTOKEN";

async fn mock() -> MockServer {
    MockServer::builder()
        .aws_credentials(ACCESS_KEY, SECRET_KEY)
        .aws_session_token(TOKEN)
        .start()
        .await
}

fn client(server: &MockServer) -> Client {
    let bedrock = Bedrock::builder()
        .region("us-east-1")
        .base_url(server.platform_base_url(Platform::Bedrock))
        .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, Some(TOKEN.into())))
        .env_lookup(|_| None)
        .build()
        .unwrap();
    Client::builder().backend(bedrock).build().unwrap()
}

fn request(text: &str) -> CreateMessageRequest {
    CreateMessageRequest::new(MODEL, 64, vec![MessageParam::user(text)])
}

#[tokio::test]
async fn create_is_signed_and_answered() {
    let server = mock().await;
    let message = client(&server)
        .messages()
        .create(request("Hello Bedrock"))
        .await
        .unwrap();
    assert_eq!(message.text(), "Hello Bedrock");
    assert_eq!(message.model.as_str(), "claude-haiku-4-5-20251001");
    let seen = &server.received_on(Route::Messages)[0];
    assert_eq!(seen.platform, Platform::Bedrock);
    assert_eq!(seen.path, format!("/model/{MODEL}/invoke"));
    assert_eq!(seen.header("x-amz-security-token"), Some(TOKEN));
}

#[tokio::test]
async fn a_wrong_secret_is_refused_with_bedrocks_error() {
    let server = mock().await;
    let bedrock = Bedrock::builder()
        .region("us-east-1")
        .base_url(server.base_url())
        .credentials(Credentials::new(
            ACCESS_KEY,
            "not-the-secret",
            Some(TOKEN.into()),
        ))
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(bedrock).build().unwrap();
    let error = client.messages().create(request("Hi")).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403), "{error:?}");
    let api = error.api().unwrap();
    assert_eq!(
        api.error_type,
        Some(ErrorType::from("InvalidSignatureException"))
    );
    assert!(
        api.message
            .starts_with("The request signature we calculated does not match")
    );
    assert_eq!(server.requests().len(), 1, "a 403 is not retried");
}

#[tokio::test]
async fn streams_over_eventstream_with_the_text_and_final_message() {
    let server = mock().await;
    server.enqueue(MockResponse::text("Streamed from the mock"));
    server.enqueue(MockResponse::text("Streamed again"));
    let client = client(&server);
    let text = client
        .messages()
        .stream(request("Hi"))
        .await
        .unwrap()
        .final_text()
        .await
        .unwrap();
    assert_eq!(text, "Streamed from the mock");
    let message = client
        .messages()
        .stream(request("Hi"))
        .await
        .unwrap()
        .final_message()
        .await
        .unwrap();
    assert_eq!(message.text(), "Streamed again");
    assert!(message.usage.output_tokens > 0);
    let seen = server.received_on(Route::Messages);
    assert_eq!(seen.len(), 2);
    assert!(seen[0].path.ends_with("/invoke-with-response-stream"));
}

#[tokio::test]
async fn count_tokens_matches_the_messages_input_count() {
    let server = mock().await;
    let client = client(&server);
    let count = client
        .messages()
        .count_tokens(&request("Count these words for me"))
        .await
        .unwrap();
    let message = client
        .messages()
        .create(request("Count these words for me"))
        .await
        .unwrap();
    assert_eq!(count.input_tokens, message.usage.input_tokens);
    assert!(count.input_tokens > 0);
    assert_eq!(
        server.received_on(Route::CountTokens)[0].path,
        format!("/model/{MODEL}/count-tokens")
    );
}

#[tokio::test]
async fn an_overload_is_retried_and_signed_again_with_a_new_date() {
    let server = mock().await;
    // retry-after: 1 puts the second attempt in another second.
    server.fail_next(Fault::overloaded().retry_after(1));
    let message = client(&server)
        .messages()
        .create(request("Again"))
        .await
        .unwrap();
    assert_eq!(message.text(), "Again");
    let seen = server.received_on(Route::Messages);
    assert_eq!(seen.len(), 2, "the mock accepted both signatures");
    assert_ne!(seen[0].header("x-amz-date"), seen[1].header("x-amz-date"));
    assert_ne!(
        seen[0].header("authorization"),
        seen[1].header("authorization")
    );
}

#[tokio::test]
async fn throttling_before_any_content_is_retried_and_signed_again() {
    let server = mock().await;
    server.fail_next(Fault::sse_error_at(0, ErrorType::RateLimit).retry_after_ms(10));
    let text = client(&server)
        .messages()
        .stream(request("After the throttle"))
        .await
        .unwrap()
        .final_text()
        .await
        .unwrap();
    assert_eq!(text, "After the throttle");
    assert_eq!(server.received_on(Route::Messages).len(), 2);
}

#[tokio::test]
async fn status_and_first_frame_retries_share_one_budget() {
    // A 503, then a throttling exception as the first frame, then a 429:
    // three failures, each re-signed and retried within one budget of two.
    let faults = || {
        [
            Fault::overloaded().retry_after_ms(1),
            Fault::sse_error_at(0, ErrorType::RateLimit).retry_after_ms(1),
            Fault::rate_limited().retry_after_ms(1),
        ]
    };
    let server = mock().await;
    for (n, fault) in faults().into_iter().enumerate() {
        server.inject(FaultRule::nth(n + 1, fault));
    }
    let error = client_for_retries(&server, 2)
        .messages()
        .stream(request("Never"))
        .await
        .unwrap_err();
    assert!(error.is_rate_limit(), "{error}");
    assert_eq!(server.received_on(Route::Messages).len(), 3);

    let server = mock().await;
    for (n, fault) in faults().into_iter().enumerate() {
        server.inject(FaultRule::nth(n + 1, fault));
    }
    let text = client_for_retries(&server, 3)
        .messages()
        .stream(request("After three failures"))
        .await
        .unwrap()
        .final_text()
        .await
        .unwrap();
    assert_eq!(text, "After three failures");
    assert_eq!(server.received_on(Route::Messages).len(), 4);
}

fn client_for_retries(server: &MockServer, max_retries: u32) -> Client {
    let bedrock = Bedrock::builder()
        .region("us-east-1")
        .base_url(server.platform_base_url(Platform::Bedrock))
        .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, Some(TOKEN.into())))
        .env_lookup(|_| None)
        .build()
        .unwrap();
    Client::builder()
        .backend(bedrock)
        .max_retries(max_retries)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_mid_stream_exception_is_typed_with_the_partial_message_kept() {
    let server = mock().await;
    server.fail_next(Fault::sse_error_at(4, ErrorType::Overloaded));
    let error = client(&server)
        .messages()
        .stream(request("one two three four five six"))
        .await
        .unwrap()
        .final_message()
        .await
        .unwrap_err();
    let api = error.api().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!(api.status.as_u16(), 503, "serviceUnavailableException");
    assert_eq!(
        api.error_type,
        Some(ErrorType::from("serviceUnavailableException"))
    );
    let partial = error.partial_message().unwrap();
    assert!(partial.id.starts_with("msg_mock_"), "{partial:?}");
    assert!(!partial.text().is_empty(), "the text that arrived is kept");
    assert_eq!(
        server.received_on(Route::Messages).len(),
        1,
        "not retried mid-stream"
    );
}

#[tokio::test]
async fn a_stalled_stream_hits_the_idle_timeout() {
    let server = mock().await;
    // Past message_start and the first block's frames, within the text.
    server.fail_next(Fault::stall_after(1200, Duration::from_secs(30)));
    let bedrock = Bedrock::builder()
        .region("us-east-1")
        .base_url(server.base_url())
        .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, Some(TOKEN.into())))
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder()
        .backend(bedrock)
        .stream_idle_timeout(Some(Duration::from_millis(300)))
        .max_retries(0)
        .build()
        .unwrap();
    let stream = client
        .messages()
        .stream(request(&"stall ".repeat(40)))
        .await
        .unwrap();
    let error = tokio::time::timeout(Duration::from_secs(20), stream.final_message())
        .await
        .expect("the idle guard ends it")
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        error.partial_message().is_some(),
        "the frames before the stall are kept"
    );
}

#[tokio::test]
async fn mantle_is_signed_for_bedrock_mantle_and_streams_sse() {
    let server = mock().await;
    let mantle = Bedrock::mantle_builder()
        .region("us-east-1")
        .base_url(server.platform_base_url(Platform::BedrockMantle))
        .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, Some(TOKEN.into())))
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(mantle).build().unwrap();
    let request = CreateMessageRequest::new(
        "claude-sonnet-4-6",
        64,
        vec![MessageParam::user("Hello Mantle")],
    );
    let message = client.messages().create(request.clone()).await.unwrap();
    assert_eq!(message.text(), "Hello Mantle");
    let text = client
        .messages()
        .stream(request)
        .await
        .unwrap()
        .final_text()
        .await
        .unwrap();
    assert_eq!(text, "Hello Mantle");
    let seen = server.received_on(Route::Messages);
    assert!(seen.iter().all(|s| s.platform == Platform::BedrockMantle));
    assert_eq!(seen[0].path, "/anthropic/v1/messages");
}

#[tokio::test]
async fn mantle_refuses_the_admin_api_so_an_admin_key_never_reaches_it() {
    let server = mock().await;
    let mantle = Bedrock::mantle_builder()
        .region("us-east-1")
        .base_url(server.platform_base_url(Platform::BedrockMantle))
        .credentials(Credentials::new(ACCESS_KEY, SECRET_KEY, None))
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder()
        .admin_key("sk-ant-admin01-key")
        .backend(mantle)
        .build()
        .unwrap();
    let error = client.get("/v1/organizations/me").await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Unsupported {
                operation: Operation::Admin,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_api_key_is_accepted_as_a_bearer_token() {
    let server = MockServer::builder()
        .bedrock_api_key("bedrock-api-key")
        .start()
        .await;
    let bedrock = Bedrock::builder()
        .region("us-east-1")
        .base_url(server.base_url())
        .api_key("bedrock-api-key")
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(bedrock).build().unwrap();
    assert_eq!(
        client
            .messages()
            .create(request("Hi"))
            .await
            .unwrap()
            .text(),
        "Hi"
    );

    let wrong = Bedrock::builder()
        .region("us-east-1")
        .base_url(server.base_url())
        .api_key("another-key")
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(wrong).build().unwrap();
    let error = client.messages().create(request("Hi")).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
}

#[tokio::test]
async fn invocation_metrics_are_read_from_the_answers_headers() {
    use claude_rs_bedrock::BedrockMetricsExt;
    let server = mock().await;
    let client = client(&server);
    let answer = client
        .messages()
        .create(request("Count me"))
        .with_response()
        .await
        .unwrap();
    let metrics = answer.bedrock_metrics();
    assert_eq!(metrics.input_tokens, Some(answer.value.usage.input_tokens));
    assert_eq!(
        metrics.output_tokens,
        Some(answer.value.usage.output_tokens)
    );

    // A streamed answer's head carries no counts (Bedrock reports them in
    // the last chunk instead), so every field is None there.
    let stream = client
        .messages()
        .stream(request("Count me too"))
        .await
        .unwrap();
    assert_eq!(stream.bedrock_metrics(), Default::default());
}
