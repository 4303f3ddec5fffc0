//! The Vertex backend against the embedded mock, which serves Vertex's
//! paths and checks the bearer token: create, streams, count tokens, a
//! retried overload asking the token provider again, and a mid-stream
//! error with the partial message kept.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use claude_rs_client::Client;
use claude_rs_client::backend::TokenProvider;
use claude_rs_mock::{Fault, MockResponse, MockServer, Platform, Route};
use claude_rs_types::Secret;
use claude_rs_types::{error::ErrorType, request::CreateMessageRequest, request::MessageParam};
use claude_rs_vertex::Vertex;
use futures_util::future::BoxFuture;

const MODEL: &str = "claude-haiku-4-5@20251001";
const TOKEN: &str = "ya29.mock-ACCESS-TOKEN";

async fn mock() -> MockServer {
    MockServer::builder().vertex_token(TOKEN).start().await
}

fn client(server: &MockServer, token: &str) -> Client {
    let vertex = Vertex::builder()
        .region("us-east5")
        .project("my-project")
        .base_url(server.platform_base_url(Platform::Vertex))
        .access_token(token)
        .env_lookup(|_| None)
        .build()
        .unwrap();
    Client::builder().backend(vertex).build().unwrap()
}

fn request(text: &str) -> CreateMessageRequest {
    CreateMessageRequest::new(MODEL, 64, vec![MessageParam::user(text)])
}

#[tokio::test]
async fn create_stream_and_count_tokens() {
    let server = mock().await;
    let client = client(&server, TOKEN);
    let message = client
        .messages()
        .create(request("Hello Vertex"))
        .await
        .unwrap();
    assert_eq!(message.text(), "Hello Vertex");
    assert_eq!(message.model.as_str(), "claude-haiku-4-5-20251001");

    server.enqueue(MockResponse::text("Streamed on Vertex"));
    let streamed = client
        .messages()
        .stream(request("Hi"))
        .await
        .unwrap()
        .final_message()
        .await
        .unwrap();
    assert_eq!(streamed.text(), "Streamed on Vertex");

    let count = client
        .messages()
        .count_tokens(&request("Hello Vertex"))
        .await
        .unwrap();
    assert_eq!(count.input_tokens, message.usage.input_tokens);

    let seen = server.requests();
    assert!(seen.iter().all(|r| r.platform == Platform::Vertex));
    assert_eq!(
        seen[0].path,
        format!(
            "/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/{MODEL}:rawPredict"
        )
    );
    assert!(seen[1].path.ends_with(":streamRawPredict"));
    assert!(seen[2].path.ends_with("/models/count-tokens:rawPredict"));
    assert_eq!(server.received_on(Route::CountTokens).len(), 1);
}

#[tokio::test]
async fn a_wrong_token_is_refused() {
    let server = mock().await;
    let error = client(&server, "ya29.stale")
        .messages()
        .create(request("Hi"))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error:?}");
}

#[derive(Debug, Default)]
struct Counting(AtomicU32);

impl TokenProvider for Counting {
    fn token(&self) -> BoxFuture<'_, Result<Secret, claude_rs_client::Error>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Secret::new(TOKEN)) })
    }
}

#[tokio::test]
async fn an_overload_is_retried_with_the_provider_asked_again() {
    let server = mock().await;
    server.fail_next(Fault::overloaded().retry_after_ms(10));
    let provider = Arc::new(Counting::default());
    let vertex = Vertex::builder()
        .region("us-east5")
        .project("my-project")
        .base_url(server.platform_base_url(Platform::Vertex))
        .token_provider(SharedProvider(provider.clone()))
        .env_lookup(|_| None)
        .build()
        .unwrap();
    let client = Client::builder().backend(vertex).build().unwrap();
    let message = client.messages().create(request("Again")).await.unwrap();
    assert_eq!(message.text(), "Again");
    assert_eq!(server.received_on(Route::Messages).len(), 2);
    assert_eq!(provider.0.load(Ordering::SeqCst), 2, "a token per attempt");
}

/// The test's handle on the provider the backend owns.
#[derive(Debug)]
struct SharedProvider(Arc<Counting>);

impl TokenProvider for SharedProvider {
    fn token(&self) -> BoxFuture<'_, Result<Secret, claude_rs_client::Error>> {
        self.0.token()
    }
}

#[tokio::test]
async fn a_mid_stream_error_keeps_the_partial_message() {
    let server = mock().await;
    server.fail_next(Fault::sse_error_at(4, ErrorType::Overloaded));
    let error = client(&server, TOKEN)
        .messages()
        .stream(request("one two three four five"))
        .await
        .unwrap()
        .final_message()
        .await
        .unwrap_err();
    let api = error.api().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!(api.error_type, Some(ErrorType::Overloaded));
    assert!(error.partial_message().is_some());
}
