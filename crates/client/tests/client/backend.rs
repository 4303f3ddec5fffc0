//! The backend seam: a custom backend (a gateway that moves every path
//! under `/gw`, adds a header and signs each attempt) and one with its own
//! stream framing run the shared machinery unchanged: create, streams with
//! their helpers and partial messages, retries re-signed per attempt, tools.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use claude_rs_client::backend::{
    Backend, EventSource, FirstParty, Framing, Operation, edit_json_body,
};
use claude_rs_client::{Client, ClientBuilder, Error};
use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Route};
use claude_rs_sse::{EventStream, EventStreamError};
use claude_rs_transport::{Body, HttpTransport, RequestBody};
use claude_rs_types::error::ErrorType;
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode};
use serde_json::json;
use tower::{Service, ServiceExt};

use crate::support::{KEY, fixture, request, stream_to_end};

/// FNV-1a over the parts of a request the gateway checks.
fn signature(request: &Request<RequestBody>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
        hash = (hash ^ 0xff).wrapping_mul(0x0100_0000_01b3);
    };
    feed(request.method().as_str().as_bytes());
    feed(request.uri().path().as_bytes());
    for name in ["x-gw-team", "x-attempt", "anthropic-version", "x-api-key"] {
        feed(
            request
                .headers()
                .get(name)
                .map_or(&b""[..], |v| v.as_bytes()),
        );
    }
    feed(request.body().as_bytes().map_or(&b""[..], |b| &b[..]));
    format!("{hash:016x}")
}

#[derive(Debug)]
struct Gateway {
    upstream: FirstParty,
}

impl Backend for Gateway {
    fn name(&self) -> &'static str {
        "the test gateway"
    }

    fn base_url(&self) -> &str {
        self.upstream.base_url()
    }

    fn prepare(
        &self,
        operation: Operation,
        request: &mut Request<RequestBody>,
    ) -> Result<(), Error> {
        if operation == Operation::Files {
            return Err(Error::Unsupported {
                operation,
                platform: self.name(),
            });
        }
        *request.uri_mut() = format!("/gw{}", request.uri()).parse().unwrap();
        let team = HeaderValue::from_static("search");
        request.headers_mut().insert("x-gw-team", team);
        edit_json_body(request, |body| {
            body.insert("metadata".to_owned(), json!({"user_id": "team-search"}));
        })?;
        self.upstream.prepare(operation, request)
    }

    /// The gateway's own errors: `{"message": ...}` with the type in a header.
    fn error_details(
        &self,
        _: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Option<(Option<ErrorType>, String)> {
        let body: serde_json::Value = serde_json::from_slice(body).ok()?;
        let message = body.get("message")?.as_str()?.to_owned();
        let kind = headers.get("x-gw-error").and_then(|v| v.to_str().ok());
        Some((kind.map(ErrorType::from), message))
    }

    fn authorize<'a>(
        &'a self,
        request: &'a mut Request<RequestBody>,
    ) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            self.upstream.authorize(request).await?;
            let signed = HeaderValue::try_from(signature(request)).unwrap();
            request.headers_mut().insert("x-gw-signature", signed);
            Ok(())
        })
    }
}

/// What the gateway hop saw of each attempt.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    attempt: String,
    signature: String,
}

/// The far side of the gateway: checks each signature (401 when it does
/// not match the request as it arrived), strips `/gw`, forwards to the mock.
#[derive(Clone)]
struct Hop {
    http: HttpTransport,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Service<Request<RequestBody>> for Hop {
    type Response = Response<Body>;
    type Error = claude_rs_transport::Error;
    type Future = BoxFuture<'static, Result<Response<Body>, claude_rs_transport::Error>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.http.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<RequestBody>) -> Self::Future {
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .map_or(String::new(), |v| v.to_str().unwrap().to_owned())
        };
        let seen = Seen {
            path: request.uri().path().to_owned(),
            attempt: header("x-attempt"),
            signature: header("x-gw-signature"),
        };
        let valid = seen.signature == signature(&request);
        self.seen.lock().unwrap().push(seen);
        if !valid {
            let refusal = Response::builder()
                .status(StatusCode::UNAUTHORIZED)
                .body(Body::from(Bytes::from_static(b"bad gateway signature")))
                .unwrap();
            return Box::pin(async move { Ok(refusal) });
        }
        let uri = request.uri().to_string().replacen("/gw/", "/", 1);
        *request.uri_mut() = uri.parse().unwrap();
        Box::pin(self.http.clone().oneshot(request))
    }
}

/// A client whose calls go through the gateway to `server`, with a user
/// layer that stamps every attempt (after the backend's prepare, before its
/// signature).
fn gateway_client(server: &MockServer) -> (ClientBuilder, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let hop = Hop {
        http: HttpTransport::builder().build().unwrap(),
        seen: seen.clone(),
    };
    let upstream = FirstParty::new(server.base_url()).unwrap().api_key(KEY);
    let counter = Arc::new(AtomicU32::new(0));
    let stamp = tower::util::MapRequestLayer::new(move |mut request: Request<RequestBody>| {
        let n = counter.fetch_add(1, Ordering::Relaxed) + 1;
        request
            .headers_mut()
            .insert("x-attempt", HeaderValue::from(n));
        request
    });
    let builder = Client::builder()
        .backend(Gateway { upstream })
        .transport(hop)
        .layer(stamp);
    (builder, seen)
}

#[tokio::test]
async fn create_goes_through_the_gateway_rewritten_and_signed() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("via the gateway"));
    let (builder, seen) = gateway_client(&server);
    let client = builder.build().unwrap();
    let message = client.messages().create(request("hi")).await.unwrap();
    assert_eq!(message.text(), "via the gateway");

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/gw/v1/messages");
    let received = server.received_on(Route::Messages);
    let headers = &received[0].headers;
    assert_eq!(headers.get("x-gw-team").unwrap(), "search");
    let body = received[0].json.as_ref().unwrap();
    assert_eq!(body["metadata"], json!({"user_id": "team-search"}));
    assert_eq!(body["messages"][0]["content"], "hi", "the rest is kept");
    assert_eq!(headers.get("x-api-key").unwrap(), KEY);
    assert_eq!(headers.get("x-gw-signature").unwrap(), &seen[0].signature);
}

#[tokio::test]
async fn retries_are_signed_again_after_the_last_header_change() {
    let server = MockServer::start().await;
    server.inject(FaultRule::times(2, Fault::overloaded().retry_after_ms(1)));
    server.enqueue(MockResponse::text("third time"));
    let (builder, seen) = gateway_client(&server);
    let client = builder.build().unwrap();
    let message = client.messages().create(request("hi")).await.unwrap();
    assert_eq!(message.text(), "third time");

    // Each attempt carries its own stamp and a signature over it: had the
    // signature been made before the user layer's change, the hop would
    // have refused it with 401 (not retried).
    let seen = seen.lock().unwrap().clone();
    let attempts: Vec<&str> = seen.iter().map(|s| s.attempt.as_str()).collect();
    assert_eq!(attempts, ["1", "2", "3"]);
    let mut signatures: Vec<&str> = seen.iter().map(|s| s.signature.as_str()).collect();
    signatures.dedup();
    assert_eq!(signatures.len(), 3, "a new signature per attempt");
    assert_eq!(server.received_on(Route::Messages).len(), 3);
}

#[tokio::test]
async fn streams_and_their_helpers_run_unchanged_through_the_gateway() {
    let server = MockServer::start().await;
    server.enqueue(MockResponse::text("streamed through"));
    let (builder, _) = gateway_client(&server);
    let client = builder.build().unwrap();
    let mut text = client
        .messages()
        .stream(request("hi"))
        .await
        .unwrap()
        .text_stream();
    let mut pieces = String::new();
    while let Some(piece) = text.next().await {
        pieces.push_str(&piece.unwrap());
    }
    assert_eq!(pieces, "streamed through");
    let message = text.into_inner().snapshot().cloned().unwrap();
    assert_eq!(message.text(), "streamed through");
}

#[tokio::test]
async fn a_stream_cut_midway_keeps_its_partial_message_through_the_gateway() {
    let server = MockServer::start().await;
    let body = std::fs::read(fixture("sse_text_basic.sse")).unwrap();
    server.enqueue(MockResponse::sse_bytes(body).with_fault(Fault::truncated_sse(4)));
    let (builder, _) = gateway_client(&server);
    let client = builder.max_retries(0).build().unwrap();
    let error = stream_to_end(&client, "hi").await.unwrap_err();
    let partial = error.partial_message().expect("the partial message");
    assert_eq!(partial.content.len(), 1);
}

#[tokio::test]
async fn an_overloaded_first_event_is_retried_within_the_budget_through_the_gateway() {
    let server = MockServer::start().await;
    server.inject(FaultRule::once(Fault::sse_error_at(
        0,
        ErrorType::Overloaded,
    )));
    // The faulted attempt consumes a reply too.
    server.enqueue(MockResponse::text("never seen"));
    server.enqueue(MockResponse::text("after the overload"));
    let (builder, seen) = gateway_client(&server);
    let client = builder.build().unwrap();
    let message = stream_to_end(&client, "hi").await.unwrap();
    assert_eq!(message.text(), "after the overload");
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn the_backend_reads_its_own_error_shape() {
    let server = MockServer::start().await;
    server.enqueue(
        MockResponse::raw("application/json", r#"{"message":"team quota used up"}"#)
            .with_status(StatusCode::TOO_MANY_REQUESTS)
            .with_header("x-gw-error", "rate_limit_error"),
    );
    let (builder, _) = gateway_client(&server);
    let client = builder.max_retries(0).build().unwrap();
    let error = client.messages().create(request("hi")).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.message, "team quota used up");
    assert_eq!(api.error_type, Some(ErrorType::RateLimit));
    assert!(error.is_rate_limit() && error.is_retryable());
}

#[tokio::test]
async fn calls_the_backend_does_not_offer_fail_before_sending() {
    let server = MockServer::start().await;
    let (builder, seen) = gateway_client(&server);
    let client = builder.build().unwrap();
    let error = client.files().list().await.unwrap_err();
    match &error {
        Error::Unsupported {
            operation,
            platform,
        } => {
            assert_eq!(*operation, Operation::Files);
            assert_eq!(*platform, "the test gateway");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "the Files API is not supported on the test gateway"
    );
    assert!(!error.is_retryable());
    assert!(seen.lock().unwrap().is_empty(), "nothing was sent");
    assert!(server.requests().is_empty());
}

#[cfg(feature = "schemars")]
#[tokio::test]
async fn the_tool_runner_runs_through_the_gateway() {
    use claude_rs_client::tools::{ToolRunner, TypedTool};

    #[derive(serde::Deserialize, schemars::JsonSchema)]
    struct Echo {
        text: String,
    }
    let server = MockServer::start().await;
    server.enqueue(MockResponse::tool_use(
        "echo",
        serde_json::json!({"text": "ping"}),
    ));
    server.enqueue(MockResponse::text("the tool said ping"));
    let (builder, seen) = gateway_client(&server);
    let client = builder.build().unwrap();
    let echo = TypedTool::new("echo", "Echoes its input", |input: Echo| async move {
        input.text
    })
    .unwrap();
    let outcome = ToolRunner::builder(client, request("use the tool"))
        .tool(echo)
        .build()
        .until_done()
        .await
        .unwrap();
    assert_eq!(outcome.message.text(), "the tool said ping");
    let bodies = server.received_on(Route::Messages);
    let second = bodies[1].json.as_ref().unwrap();
    let result = &second["messages"][2]["content"][0];
    assert_eq!(result["type"], "tool_result");
    assert_eq!(result["content"], "ping");
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .all(|s| s.path == "/gw/v1/messages")
    );
}

/// A backend with its own framing: it reads the server-sent events itself
/// and hands the client each event's JSON (as a platform decoding another
/// framing would).
#[derive(Debug)]
struct OwnFraming {
    upstream: FirstParty,
}

impl Backend for OwnFraming {
    fn name(&self) -> &'static str {
        "a backend with its own framing"
    }

    fn base_url(&self) -> &str {
        self.upstream.base_url()
    }

    fn prepare(
        &self,
        operation: Operation,
        request: &mut Request<RequestBody>,
    ) -> Result<(), Error> {
        self.upstream.prepare(operation, request)
    }

    fn authorize<'a>(
        &'a self,
        request: &'a mut Request<RequestBody>,
    ) -> BoxFuture<'a, Result<(), Error>> {
        self.upstream.authorize(request)
    }

    fn stream_framing(&self, _: &HeaderMap, body: Body) -> Framing {
        let events: EventSource = Box::pin(EventStream::from_body(body).map(|item| match item {
            Ok(event) => Ok(event.data_bytes().clone()),
            Err(EventStreamError::Source(error)) => Err(Error::Other(Box::new(error))),
            Err(other) => Err(Error::Other(Box::new(other))),
        }));
        Framing::Events(events)
    }
}

fn own_framing_client(server: &MockServer) -> Client {
    let upstream = FirstParty::new(server.base_url()).unwrap().api_key(KEY);
    Client::builder()
        .backend(OwnFraming { upstream })
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_backend_framing_accumulates_like_sse() {
    let server = MockServer::start().await;
    for name in [
        "sse_thinking_then_tool_use.sse",
        "sse_web_search_no_ping.sse",
    ] {
        let body = std::fs::read(fixture(name)).unwrap();
        server.enqueue(MockResponse::sse_bytes(body.clone()));
        server.enqueue(MockResponse::sse_bytes(body));
        let over_sse = stream_to_end(&crate::support::client(&server), "hi")
            .await
            .unwrap();
        let framed = stream_to_end(&own_framing_client(&server), "hi")
            .await
            .unwrap();
        assert_eq!(
            serde_json::to_value(&framed).unwrap(),
            serde_json::to_value(&over_sse).unwrap(),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_backend_framing_error_keeps_the_partial_message() {
    let server = MockServer::start().await;
    let body = std::fs::read(fixture("sse_text_basic.sse")).unwrap();
    server.enqueue(MockResponse::sse_bytes(body).with_fault(Fault::truncated_sse(4)));
    let error = stream_to_end(&own_framing_client(&server), "hi")
        .await
        .unwrap_err();
    assert_eq!(error.partial_message().expect("partial").content.len(), 1);
}
