//! HTTP transport for the Claude SDK: the only crate that opens sockets.
//!
//! [`HttpTransport`] is a [`tower::Service`] from `http::Request<`[`RequestBody`]`>`
//! to `http::Response<`[`Body`]`>`, built on hyper 1.x, hyper-util's pooled
//! client and rustls. It knows nothing about the Claude API: retries,
//! deadlines, authentication headers and the user agent belong to the client
//! that wraps it in tower layers.
//!
//! ```
//! use claude_rs_transport::{DEFAULT_BODY_LIMIT, HttpTransport, RequestBody};
//! # use hyper::server::conn::http1;
//! # use hyper_util::rt::TokioIo;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # // A throwaway loopback server standing in for the API.
//! # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! # let addr = listener.local_addr()?;
//! # tokio::spawn(async move {
//! #     let (tcp, _) = listener.accept().await.unwrap();
//! #     let svc = hyper::service::service_fn(|_req| async {
//! #         Ok::<_, std::convert::Infallible>(hyper::Response::new(
//! #             http_body_util::Full::new(bytes::Bytes::from_static(b"{\"ok\":true}")),
//! #         ))
//! #     });
//! #     http1::Builder::new().serve_connection(TokioIo::new(tcp), svc).await.unwrap();
//! # });
//! let transport = HttpTransport::builder()
//!     .read_idle_timeout(Some(std::time::Duration::from_secs(60)))
//!     .build()?;
//!
//! // The client keeps the serialized JSON as `Bytes`; building a body from
//! // it is a reference-count bump, so every retry attempt can rebuild the
//! // request cheaply.
//! let json = bytes::Bytes::from_static(b"{\"model\":\"claude\"}");
//! let request = http::Request::post(format!("http://{addr}/v1/messages"))
//!     .header("content-type", "application/json")
//!     .body(RequestBody::from(json))?;
//!
//! let response = transport.send(request).await?;
//! assert_eq!(response.status(), 200);
//! // The body streams; collect it with a bound on memory.
//! let bytes = response.into_body().collect_limited(DEFAULT_BODY_LIMIT).await?;
//! assert_eq!(bytes, "{\"ok\":true}");
//! # Ok(())
//! # }
//! ```
//!
//! # What it does
//!
//! * **HTTPS by default** with rustls and the `ring` provider (configured
//!   explicitly, so no process-wide provider is needed). Roots come from the
//!   `webpki-roots` feature (default) and/or the `native-roots` feature, plus
//!   any [`Builder::add_root_certificate`]. HTTP/2 is negotiated by ALPN,
//!   HTTP/1.1 otherwise. Plain `http://` is allowed (the mock server and
//!   debugging proxies need it) unless [`Builder::https_only`] is set.
//! * **Pooling**: idle connections are reused, with a configurable idle
//!   timeout and per-host cap; `TCP_NODELAY` and TCP keepalive are on.
//! * **Connect timeout** (5 s by default) covering DNS, TCP, proxy tunnel and
//!   TLS handshake together.
//! * **Proxies**: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` by default, or an
//!   explicit [`Proxy`]; HTTPS goes through `CONNECT` tunnels.
//! * **Bodies** stream frame by frame; [`Body::collect_limited`] buffers with
//!   a size limit and each body can have an idle-read timeout.
//! * **Errors** ([`Error`]) say which phase failed, so callers can tell what
//!   is safe to retry, and never contain headers or credentials.
//!
//! # Features
//!
//! | Feature | Default | Pulls in | Gives |
//! |---|---|---|---|
//! | `webpki-roots` | on | `webpki-roots` | the Mozilla root set compiled into the binary (reproducible, no OS access) |
//! | `native-roots` | off | `rustls-native-certs` | the operating system's certificate store (corporate CAs, intercepting proxies) |
//!
//! Both may be on (their roots are merged). With neither, [`Builder::build`]
//! fails unless roots are added with [`Builder::add_root_certificate`].
//! TLS is always rustls with the `ring` provider; there is no OpenSSL or
//! aws-lc option.

mod body;
mod builder;
mod connector;
mod error;
mod proxy;
mod request_body;
mod sync_box;
mod tls;
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
mod tls_ring;
mod transport;
mod tunnel;

pub use body::{Body, CollectLimited, DEFAULT_BODY_LIMIT};
pub use builder::{
    Builder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_POOL_IDLE_TIMEOUT, DEFAULT_TCP_KEEPALIVE,
};
pub use error::{BoxError, Error};
pub use proxy::Proxy;
pub use request_body::RequestBody;
pub use transport::{HttpTransport, ResponseFuture};
