//! Helpers shared by the integration tests.

#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use claude_rs_client::{Client, ClientBuilder, Error};
use claude_rs_mock::MockServer;
use claude_rs_transport::{Body, RequestBody};
use claude_rs_types::request::{CreateMessageRequest, MessageParam};
use http::{Request, Response};
use tower::{Layer, Service};

pub const KEY: &str = "sk-ant-api03-test-KEY-do-not-print";

/// A client for the mock, with the test key and no environment.
pub fn builder(server: &MockServer) -> ClientBuilder {
    ClientBuilder::from_env_lookup(|_| None)
        .api_key(KEY)
        .base_url(server.base_url())
}

pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("client")
}

/// A file of the recorded API responses (`tests/fixtures/recorded` at the
/// workspace root, with their provenance in `SOURCES.md`).
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/recorded")
        .join(name)
}

pub fn request(text: &str) -> CreateMessageRequest {
    CreateMessageRequest::new("claude-sonnet-4-6", 256, vec![MessageParam::user(text)])
}

/// Opens a stream of `text` and reads it to the end: the accumulated
/// message, or the error that ended it (the stream must at least open).
pub async fn stream_to_end(
    client: &Client,
    text: &str,
) -> Result<claude_rs_types::message::Message, Error> {
    client
        .messages()
        .stream(request(text))
        .await
        .expect("the stream opens")
        .final_message()
        .await
}

/// Records when each attempt starts: a user layer sits inside the retry
/// loop, so it sees every attempt.
#[derive(Clone, Default)]
pub struct Stamps(pub Arc<Mutex<Vec<Instant>>>);

impl Stamps {
    pub fn gaps(&self) -> Vec<Duration> {
        let times = self.0.lock().unwrap();
        times.windows(2).map(|w| w[1] - w[0]).collect()
    }

    pub fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

impl<S> Layer<S> for Stamps {
    type Service = Stamped<S>;

    fn layer(&self, inner: S) -> Stamped<S> {
        Stamped {
            inner,
            stamps: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Stamped<S> {
    inner: S,
    stamps: Stamps,
}

impl<S> Service<Request<RequestBody>> for Stamped<S>
where
    S: Service<Request<RequestBody>, Response = Response<Body>, Error = Error>,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<RequestBody>) -> Self::Future {
        self.stamps.0.lock().unwrap().push(Instant::now());
        Box::pin(self.inner.call(request))
    }
}
