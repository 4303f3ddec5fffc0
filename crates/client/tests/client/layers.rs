//! Stock tower middleware in the client's stack: `tower::timeout` and
//! `tower::limit` plug into `ClientBuilder::layer` as they are.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use claude_rs_client::Error;
use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Route};
use claude_rs_transport::{Body, RequestBody};
use futures_util::future::BoxFuture;
use http::{Request, Response};
use tower::limit::ConcurrencyLimitLayer;
use tower::timeout::TimeoutLayer;
use tower::{Layer, Service};

use crate::support::{Stamps, builder, request};

#[tokio::test]
async fn a_tower_timeout_is_a_timeout_and_is_retried() {
    let server = MockServer::start().await;
    server.inject(
        FaultRule::always(Fault::stall_before_headers(Duration::from_secs(30))).on(Route::Messages),
    );
    let stamps = Stamps::default();
    let client = builder(&server)
        .max_retries(1)
        .layer(stamps.clone())
        .layer(TimeoutLayer::new(Duration::from_millis(100)))
        .build()
        .unwrap();
    let error = client.messages().create(request("hi")).await.unwrap_err();
    match &error {
        Error::Other(source) => {
            assert!(source.is::<tower::timeout::error::Elapsed>(), "{source:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_timeout() && error.is_retryable());
    assert_eq!(stamps.count(), 2, "one retry after the tower timeout");
}

/// Counts attempts in flight at once, and the most seen.
#[derive(Clone, Default)]
struct InFlight {
    now: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
}

impl<S> Layer<S> for InFlight {
    type Service = Counted<S>;

    fn layer(&self, inner: S) -> Counted<S> {
        Counted {
            inner,
            counts: self.clone(),
        }
    }
}

#[derive(Clone)]
struct Counted<S> {
    inner: S,
    counts: InFlight,
}

impl<S> Service<Request<RequestBody>> for Counted<S>
where
    S: Service<Request<RequestBody>, Response = Response<Body>, Error = Error>,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = Error;
    type Future = BoxFuture<'static, Result<Response<Body>, Error>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<RequestBody>) -> Self::Future {
        let counts = self.counts.clone();
        let now = counts.now.fetch_add(1, Ordering::SeqCst) + 1;
        counts.most.fetch_max(now, Ordering::SeqCst);
        let call = self.inner.call(request);
        Box::pin(async move {
            let outcome = call.await;
            counts.now.fetch_sub(1, Ordering::SeqCst);
            outcome
        })
    }
}

#[tokio::test]
async fn a_concurrency_limit_holds_calls_back() {
    let server = MockServer::start().await;
    for _ in 0..4 {
        server.enqueue(
            MockResponse::text("slow")
                .with_fault(Fault::stall_before_headers(Duration::from_millis(50))),
        );
    }
    let counts = InFlight::default();
    let client = builder(&server)
        .layer(ConcurrencyLimitLayer::new(1))
        .layer(counts.clone())
        .build()
        .unwrap();
    let calls = (0..4).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.messages().create(request("hi")).await })
    });
    for call in calls.collect::<Vec<_>>() {
        assert_eq!(call.await.unwrap().unwrap().text(), "slow");
    }
    assert_eq!(counts.most.load(Ordering::SeqCst), 1, "one call at a time");
    assert_eq!(server.received_on(Route::Messages).len(), 4);
}
