//! Loopback servers for the integration tests. Everything binds 127.0.0.1:0.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use claude_rs_transport::{Error, HttpTransport};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// The body type test handlers answer with.
pub(crate) type TestBody = UnsyncBoxBody<Bytes, Infallible>;

/// Upper bound on any single await in a test, so a bug hangs nothing.
pub(crate) const HANG_GUARD: Duration = Duration::from_secs(20);

/// Awaits `fut`, failing the test if it takes longer than [`HANG_GUARD`].
pub(crate) async fn guard<F: Future>(fut: F) -> F::Output {
    tokio::time::timeout(HANG_GUARD, fut)
        .await
        .expect("test step hung")
}

pub(crate) fn full(bytes: impl Into<Bytes>) -> TestBody {
    Full::new(bytes.into()).boxed_unsync()
}

/// A server body fed through a channel, so a test decides when each chunk
/// is sent (and can stall the body by holding the sender).
pub(crate) fn channel_body() -> (mpsc::Sender<Bytes>, TestBody) {
    let (tx, rx) = mpsc::channel(8);
    (tx, StreamBody::new(ChannelStream(rx)).boxed_unsync())
}

struct ChannelStream(mpsc::Receiver<Bytes>);

impl futures_core::Stream for ChannelStream {
    type Item = Result<Frame<Bytes>, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .poll_recv(cx)
            .map(|chunk| chunk.map(|b| Ok(Frame::data(b))))
    }
}

/// A running test server.
pub(crate) struct TestServer {
    pub(crate) addr: SocketAddr,
    connections: Arc<AtomicUsize>,
}

impl TestServer {
    /// How many TCP connections the server has accepted.
    pub(crate) fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub(crate) fn url(&self, scheme: &str, path: &str) -> String {
        format!("{scheme}://{}{path}", self.addr)
    }
}

/// Serves `handler` over plain HTTP/1.1.
pub(crate) async fn http_server<F, Fut>(handler: F) -> TestServer
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Response<TestBody>> + Send + 'static,
{
    serve(handler, None).await
}

/// Serves `handler` over TLS (HTTP/2 or HTTP/1.1 by ALPN) with a fresh
/// self-signed certificate for `127.0.0.1` and `localhost`; returns the
/// certificate's DER for the client to trust.
pub(crate) async fn https_server<F, Fut>(handler: F) -> (TestServer, Vec<u8>)
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Response<TestBody>> + Send + 'static,
{
    https_server_for(
        vec!["127.0.0.1".to_owned(), "localhost".to_owned()],
        handler,
    )
    .await
}

/// Like [`https_server`], with a certificate for `names` only.
pub(crate) async fn https_server_for<F, Fut>(
    names: Vec<String>,
    handler: F,
) -> (TestServer, Vec<u8>)
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Response<TestBody>> + Send + 'static,
{
    let (config, der) = self_signed_server_config(names);
    (serve(handler, Some(config)).await, der)
}

/// A server configuration builder on the default provider (aws-lc-rs), with
/// only `groups` as key exchange when given.
#[cfg(feature = "aws-lc-rs")]
pub(crate) fn server_builder(
    groups: Option<Vec<&'static dyn rustls::crypto::SupportedKxGroup>>,
) -> rustls::ConfigBuilder<rustls::ServerConfig, rustls::WantsVerifier> {
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    if let Some(groups) = groups {
        provider.kx_groups = groups;
    }
    rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .unwrap()
}

/// A server configuration builder on rustls' provider from its crate
/// features (`ring` alone here).
#[cfg(not(feature = "aws-lc-rs"))]
pub(crate) fn server_builder(
    groups: Option<Vec<&'static dyn rustls::crypto::SupportedKxGroup>>,
) -> rustls::ConfigBuilder<rustls::ServerConfig, rustls::WantsVerifier> {
    assert!(groups.is_none(), "key exchange groups need aws-lc-rs here");
    rustls::ServerConfig::builder()
}

/// Like [`https_server`], with a server that offers only the key exchange
/// `groups` (TLS 1.3 and 1.2 as the provider allows).
#[cfg(feature = "aws-lc-rs")]
pub(crate) async fn https_server_with_groups<F, Fut>(
    groups: Vec<&'static dyn rustls::crypto::SupportedKxGroup>,
    handler: F,
) -> (TestServer, Vec<u8>)
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Response<TestBody>> + Send + 'static,
{
    let names = vec!["127.0.0.1".to_owned(), "localhost".to_owned()];
    let (config, der) = self_signed_server_config_with(names, Some(groups));
    (serve(handler, Some(config)).await, der)
}

fn self_signed_server_config(names: Vec<String>) -> (Arc<rustls::ServerConfig>, Vec<u8>) {
    self_signed_server_config_with(names, None)
}

fn self_signed_server_config_with(
    names: Vec<String>,
    groups: Option<Vec<&'static dyn rustls::crypto::SupportedKxGroup>>,
) -> (Arc<rustls::ServerConfig>, Vec<u8>) {
    let certified = rcgen::generate_simple_self_signed(names).expect("certificate generation");
    let der = certified.cert.der().to_vec();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let mut config = server_builder(groups)
        .with_no_client_auth()
        .with_single_cert(vec![der.clone().into()], key)
        .expect("server TLS config");
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    (Arc::new(config), der)
}

async fn serve<F, Fut>(handler: F, tls: Option<Arc<rustls::ServerConfig>>) -> TestServer
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Response<TestBody>> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let handler = handler.clone();
            let tls = tls.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let fut = handler(req);
                    async move { Ok::<_, Infallible>(fut.await) }
                });
                let builder = auto::Builder::new(TokioExecutor::new());
                // Errors (clients hanging up mid-test) are expected.
                let _ = match tls {
                    Some(config) => {
                        let Ok(stream) = tokio_rustls::TlsAcceptor::from(config).accept(tcp).await
                        else {
                            return;
                        };
                        builder
                            .serve_connection(TokioIo::new(stream), service)
                            .await
                    }
                    None => builder.serve_connection(TokioIo::new(tcp), service).await,
                };
            });
        }
    });
    TestServer { addr, connections }
}

/// A transport that ignores the environment's proxies.
pub(crate) fn transport() -> HttpTransport {
    HttpTransport::builder().no_proxy().build().unwrap()
}

/// Unwraps the error of `result`, with a helpful panic otherwise.
/// An error and its causes, joined as `a: b: c` (each level says only
/// what failed there).
pub(crate) fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut cause = err.source();
    while let Some(next) = cause {
        out.push_str(": ");
        out.push_str(&next.to_string());
        cause = next.source();
    }
    out
}

pub(crate) fn expect_err<T: std::fmt::Debug>(result: Result<T, Error>) -> Error {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(err) => err,
    }
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
pub(crate) async fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap()
}
