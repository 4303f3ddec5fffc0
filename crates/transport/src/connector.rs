//! Connection establishment: TCP, proxies, TLS, and the connect timeout.
//!
//! The layers, outermost first:
//!
//! 1. [`Connector`] bounds the whole establishment (TCP + proxy tunnel + TLS
//!    handshake) by the connect timeout and turns every failure into a
//!    classified [`Error`].
//! 2. hyper-rustls' `HttpsConnector` performs the TLS handshake for `https`
//!    destinations, with ALPN deciding between HTTP/2 and HTTP/1.1.
//! 3. [`TcpConnector`] opens the byte stream the handshake runs over: a
//!    direct TCP connection, a `CONNECT` tunnel through a proxy, or a plain
//!    connection to a forward proxy for `http` destinations.
//!
//! hyper-util's pooled client reports connector failures as an opaque
//! `legacy::Error`; [`ConnectorError`] smuggles our classified error through
//! it so the transport can take it back out intact (see [`take_connect_error`]).

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower::Service;

use crate::error::{BoxError, Error, find_source};
use crate::proxy::{ProxyMatcher, Route};
use crate::tls::LazyConfig;
use crate::tunnel;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// The connector given to hyper-util's pooled client.
#[derive(Clone)]
pub(crate) struct Connector {
    tcp: TcpConnector,
    /// Built on the first `https` destination (plain `http` never needs it).
    tls: Arc<LazyConfig>,
    proxy: Option<Arc<ProxyMatcher>>,
    timeout: Duration,
}

impl Connector {
    pub(crate) fn new(
        http: HttpConnector,
        tls: Arc<LazyConfig>,
        proxy: Option<Arc<ProxyMatcher>>,
        timeout: Duration,
    ) -> Connector {
        let tcp = TcpConnector {
            http,
            proxy: proxy.clone(),
            timeout,
        };
        Connector {
            tcp,
            tls,
            proxy,
            timeout,
        }
    }

    /// The connection attempt: TLS over the stream for `https`, the stream
    /// itself for `http`.
    fn connecting(&mut self, dst: Uri) -> Result<BoxFuture<ConnectResult>, ConnectorError> {
        if dst.scheme_str() != Some("https") {
            let tcp = self.tcp.call(dst);
            return Ok(Box::pin(async move {
                tcp.await
                    .map(MaybeHttpsStream::Http)
                    .map_err(|e| Box::new(e) as BoxError)
            }));
        }
        let config = self.tls.get().map_err(ConnectorError::new)?;
        Ok(Box::pin(
            HttpsConnector::from((self.tcp.clone(), config)).call(dst),
        ))
    }
}

type ConnectResult = Result<MaybeHttpsStream<Conn>, BoxError>;

impl Service<Uri> for Connector {
    type Response = MaybeHttpsStream<Conn>;
    type Error = ConnectorError;
    type Future = BoxFuture<Result<Self::Response, ConnectorError>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), ConnectorError>> {
        // Neither inner connector has back-pressure; they are always ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let addr = host_port(&dst);
        let host = dst.host().unwrap_or_default().to_owned();
        let described = match self.proxy.as_ref().and_then(|p| p.route(&dst)) {
            Some(route) => format!("{addr} via proxy {}", route.redacted),
            None => addr,
        };
        let timeout = self.timeout;
        let connecting = match self.connecting(dst) {
            Ok(connecting) => connecting,
            Err(error) => return Box::pin(std::future::ready(Err(error))),
        };
        Box::pin(async move {
            match tokio::time::timeout(timeout, connecting).await {
                Ok(Ok(conn)) => Ok(conn),
                Ok(Err(err)) => Err(ConnectorError::new(match classify(err, host) {
                    // hyper-util's per-address timeout fired first; report it
                    // like our own, naming the destination.
                    Error::ConnectTimeout { timeout, .. } => Error::ConnectTimeout {
                        addr: described,
                        timeout,
                    },
                    other => other,
                })),
                Err(_elapsed) => Err(ConnectorError::new(Error::ConnectTimeout {
                    addr: described,
                    timeout,
                })),
            }
        })
    }
}

/// Errors from the TCP layer are already classified; anything else the TLS
/// layer produced is a handshake failure.
fn classify(err: BoxError, host: String) -> Error {
    match err.downcast::<ConnectorError>() {
        Ok(classified) => classified.take(),
        Err(other) => Error::Tls {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            source: other,
        },
    }
}

/// Opens the stream the (optional) TLS handshake runs over.
#[derive(Clone)]
pub(crate) struct TcpConnector {
    http: HttpConnector,
    proxy: Option<Arc<ProxyMatcher>>,
    timeout: Duration,
}

impl Service<Uri> for TcpConnector {
    type Response = Conn;
    type Error = ConnectorError;
    type Future = BoxFuture<Result<Conn, ConnectorError>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), ConnectorError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let route = self.proxy.as_ref().and_then(|p| p.route(&dst));
        let mut http = self.http.clone();
        let timeout = self.timeout;
        Box::pin(async move {
            let result = match route {
                None => {
                    let addr = host_port(&dst);
                    http.call(dst)
                        .await
                        .map(|io| Conn::new(io, false))
                        .map_err(|e| tcp_error(addr, e.into(), timeout))
                }
                Some(route) if dst.scheme_str() == Some("https") => {
                    tunnel(http, route, dst, timeout).await
                }
                Some(route) => {
                    let addr = host_port(&route.uri);
                    http.call(route.uri)
                        .await
                        .map(|io| Conn::new(io, true))
                        .map_err(|e| tcp_error(addr, e.into(), timeout))
                }
            };
            result.map_err(ConnectorError::new)
        })
    }
}

async fn tunnel(
    mut http: HttpConnector,
    route: Route,
    dst: Uri,
    timeout: Duration,
) -> Result<Conn, Error> {
    let proxy_addr = host_port(&route.uri);
    let io = http
        .call(route.uri)
        .await
        .map_err(|e| tcp_error(proxy_addr, e.into(), timeout))?;
    let host = dst.host().unwrap_or_default();
    let port = dst.port_u16().unwrap_or(443);
    match tunnel::connect(io.into_inner(), host, port, route.auth.as_ref()).await {
        Ok(tcp) => Ok(Conn::new(TokioIo::new(tcp), false)),
        Err(err) => Err(Error::Proxy {
            proxy: route.redacted,
            reason: err.describe(),
            // The reason already says what the tunnel error says; only an
            // I/O cause is worth a link in the chain.
            source: err.into_io().map(|io| Box::new(io) as BoxError),
        }),
    }
}

/// A TCP failure: a timed-out attempt (hyper-util's per-address share of the
/// connect timeout, or the OS giving up) is a connect timeout, anything else a
/// connect error.
fn tcp_error(addr: String, source: BoxError, timeout: Duration) -> Error {
    let timed_out = find_source::<io::Error>(source.as_ref())
        .is_some_and(|io| io.kind() == io::ErrorKind::TimedOut);
    if timed_out {
        Error::ConnectTimeout { addr, timeout }
    } else {
        Error::Connect { addr, source }
    }
}

/// `host:port` of a URI, with the scheme's default port filled in.
pub(crate) fn host_port(uri: &Uri) -> String {
    let host = uri.host().unwrap_or("<no host>");
    let port = uri.port_u16().unwrap_or(match uri.scheme_str() {
        Some("https") => 443,
        _ => 80,
    });
    format!("{host}:{port}")
}

/// A connector failure carrying its classified [`Error`] through hyper-util,
/// which only keeps it as the `source` of its own error type.
pub(crate) struct ConnectorError(Mutex<Option<Error>>);

impl ConnectorError {
    fn new(err: Error) -> ConnectorError {
        ConnectorError(Mutex::new(Some(err)))
    }

    fn take(&self) -> Error {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_else(|| Error::Connect {
                addr: "<unknown>".into(),
                source: "connection failed (error already reported)".into(),
            })
    }
}

/// Takes the classified error out of a connect failure reported by the
/// pooled client, if that is what `err` contains.
pub(crate) fn take_connect_error(err: &(dyn StdError + 'static)) -> Option<Error> {
    find_source::<ConnectorError>(err).map(ConnectorError::take)
}

impl fmt::Debug for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let guard = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_tuple("ConnectorError").field(&*guard).finish()
    }
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0.lock().unwrap_or_else(PoisonError::into_inner) {
            Some(err) => fmt::Display::fmt(err, f),
            None => f.write_str("connection failed"),
        }
    }
}

impl StdError for ConnectorError {}

/// A TCP stream, knowing whether it leads to a forward proxy (which makes
/// hyper send absolute-form request URIs).
pub(crate) struct Conn {
    io: TokioIo<TcpStream>,
    forward_proxy: bool,
}

impl Conn {
    fn new(io: TokioIo<TcpStream>, forward_proxy: bool) -> Conn {
        Conn { io, forward_proxy }
    }
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.forward_proxy)
    }
}

impl Read for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl Write for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}
