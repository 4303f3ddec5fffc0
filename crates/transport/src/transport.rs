//! The transport service.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::header::PROXY_AUTHORIZATION;
use http::{Request, Response, Uri};
use hyper_util::client::legacy::{self, Client};
use tower::Service;

use crate::body::Body;
use crate::builder::Builder;
use crate::connector::{Connector, host_port, take_connect_error};
use crate::error::{Error, find_source};
use crate::proxy::ProxyMatcher;
use crate::request_body::RequestBody;

/// An HTTP client as a [`tower::Service`]: pooled connections, HTTPS with
/// rustls, HTTP/2 when the server offers it, proxies, and streaming bodies.
///
/// Cloning is cheap (one reference count) and clones share the connection
/// pool, so build one transport and clone it wherever it is needed.
/// [`poll_ready`](Service::poll_ready) is always ready: the pool queues
/// nothing, each call opens or reuses a connection.
///
/// Requests must carry an absolute `http://` or `https://` URI. The response
/// future resolves once the status and headers have arrived; the body then
/// streams (see [`Body`]).
#[derive(Clone)]
pub struct HttpTransport {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) client: Client<Connector, RequestBody>,
    pub(crate) proxy: Option<Arc<ProxyMatcher>>,
    pub(crate) read_idle_timeout: Option<Duration>,
    pub(crate) https_only: bool,
}

impl HttpTransport {
    /// A transport with the default settings (see [`Builder`]).
    ///
    /// Fails only if the environment holds an invalid proxy variable, or if
    /// no root certificates are available for the enabled features.
    pub fn new() -> Result<HttpTransport, Error> {
        Builder::new().build()
    }

    /// Starts configuring a transport.
    pub fn builder() -> Builder {
        Builder::new()
    }

    pub(crate) fn from_inner(inner: Inner) -> HttpTransport {
        HttpTransport {
            inner: Arc::new(inner),
        }
    }

    /// Sends `request`; the same as [`Service::call`], without needing
    /// `&mut self` or `tower::ServiceExt`.
    pub fn send(&self, mut request: Request<RequestBody>) -> ResponseFuture {
        if let Err(err) = self.check_uri(request.uri()) {
            return ResponseFuture::new(async move { Err(err) });
        }
        self.add_forward_proxy_auth(&mut request);
        let addr = host_port(request.uri());
        let idle = self.inner.read_idle_timeout;
        let responding = self.inner.client.request(request);
        ResponseFuture::new(async move {
            match responding.await {
                Ok(response) => Ok(response.map(|incoming| Body::incoming(incoming, idle))),
                Err(err) => Err(classify(err, addr)),
            }
        })
    }

    fn check_uri(&self, uri: &Uri) -> Result<(), Error> {
        let invalid = |reason: &str| Error::InvalidUri {
            uri: redact_uri(uri),
            reason: reason.to_owned(),
        };
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") if self.inner.https_only => {
                return Err(invalid("plain http is disabled by `https_only`"));
            }
            Some("http") => {}
            Some(_) => return Err(invalid("unsupported scheme (use http or https)")),
            None => {
                return Err(invalid(
                    "not an absolute URI (scheme and host are required)",
                ));
            }
        }
        if uri.host().is_none_or(str::is_empty) {
            return Err(invalid("missing host"));
        }
        Ok(())
    }

    /// A forward proxy (plain `http` destinations) sees the request itself,
    /// so its credentials go in the request; CONNECT tunnels carry them in
    /// the CONNECT request instead, out of reach of the destination.
    fn add_forward_proxy_auth(&self, request: &mut Request<RequestBody>) {
        if request.uri().scheme_str() != Some("http") {
            return;
        }
        let auth = self
            .inner
            .proxy
            .as_ref()
            .and_then(|p| p.route(request.uri()))
            .and_then(|route| route.auth);
        if let Some(auth) = auth {
            request
                .headers_mut()
                .entry(PROXY_AUTHORIZATION)
                .or_insert(auth);
        }
    }
}

/// Maps the pooled client's error to ours. Connect failures carry their
/// classification from the connector; the rest happened on an established
/// connection and are sorted by the hyper error inside.
fn classify(err: legacy::Error, addr: String) -> Error {
    if let Some(classified) = take_connect_error(&err) {
        return classified;
    }
    if err.is_connect() {
        return Error::Connect {
            addr,
            source: Box::new(err),
        };
    }
    let protocol = match find_source::<hyper::Error>(&err) {
        Some(h) if h.is_parse() || h.is_parse_status() => true,
        Some(h) if h.is_user() || h.is_canceled() || h.is_closed() || h.is_incomplete_message() => {
            false
        }
        // HTTP/2 protocol errors have no predicate; they are the hyper errors
        // that are not I/O failures.
        Some(_) => find_source::<std::io::Error>(&err).is_none(),
        None => false,
    };
    let source = Box::new(err);
    if protocol {
        Error::Protocol { source }
    } else {
        Error::Request { source }
    }
}

/// `scheme://host[:port]/path`, dropping user-info and the query string,
/// either of which may hold secrets.
pub(crate) fn redact_uri(uri: &Uri) -> String {
    let mut out = String::new();
    if let Some(scheme) = uri.scheme_str() {
        out.push_str(scheme);
        out.push_str("://");
    }
    if let Some(host) = uri.host() {
        out.push_str(host);
    }
    if let Some(port) = uri.port_u16() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(uri.path());
    if uri.query().is_some() {
        out.push_str("?…");
    }
    out
}

impl fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpTransport")
            .field("proxy", &self.inner.proxy)
            .field("read_idle_timeout", &self.inner.read_idle_timeout)
            .field("https_only", &self.inner.https_only)
            .finish_non_exhaustive()
    }
}

impl Service<Request<RequestBody>> for HttpTransport {
    type Response = Response<Body>;
    type Error = Error;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<RequestBody>) -> ResponseFuture {
        self.send(request)
    }
}

/// The future returned by [`HttpTransport::send`] and [`Service::call`];
/// resolves when the response head has arrived.
#[must_use = "futures do nothing unless awaited"]
pub struct ResponseFuture {
    inner: Pin<Box<dyn Future<Output = Result<Response<Body>, Error>> + Send>>,
}

impl ResponseFuture {
    fn new(fut: impl Future<Output = Result<Response<Body>, Error>> + Send + 'static) -> Self {
        ResponseFuture {
            inner: Box::pin(fut),
        }
    }
}

impl Future for ResponseFuture {
    type Output = Result<Response<Body>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx)
    }
}

impl fmt::Debug for ResponseFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport(https_only: bool) -> HttpTransport {
        HttpTransport::builder()
            .no_proxy()
            .https_only(https_only)
            .build()
            .unwrap()
    }

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn public_types_are_send_and_sync() {
        assert_send_sync::<HttpTransport>();
        assert_send_sync::<Error>();
        assert_send_sync::<Body>();
    }

    #[tokio::test]
    async fn rejects_unusable_uris_without_panicking() {
        let t = transport(false);
        for (uri, needle) in [
            ("/relative", "not an absolute URI"),
            ("ftp://example.com/x", "unsupported scheme"),
        ] {
            let req = Request::get(uri).body(RequestBody::empty()).unwrap();
            let err = t.send(req).await.unwrap_err();
            assert!(matches!(err, Error::InvalidUri { .. }), "{err:?}");
            assert!(err.to_string().contains(needle), "{err}");
        }
    }

    #[tokio::test]
    async fn https_only_refuses_plain_http() {
        let req = Request::get("http://127.0.0.1:9/v1?key=secret")
            .body(RequestBody::empty())
            .unwrap();
        let err = transport(true).send(req).await.unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("https_only") && !msg.contains("secret"),
            "{msg}"
        );
        assert!(!err.is_retryable());
    }

    #[test]
    fn redaction_drops_userinfo_and_query() {
        let uri: Uri = "https://user:pw@api.example.com:8443/v1/messages?token=abc"
            .parse()
            .unwrap();
        assert_eq!(
            redact_uri(&uri),
            "https://api.example.com:8443/v1/messages?…"
        );
    }
}
