//! Configuration of an [`HttpTransport`].

use std::sync::Arc;
use std::time::Duration;

use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::pki_types::CertificateDer;

use crate::connector::Connector;
use crate::error::Error;
use crate::proxy::Proxy;
use crate::tls::{self, TlsSettings};
use crate::transport::{HttpTransport, Inner};

/// The default connect timeout: 5 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default time an unused pooled connection is kept: 90 seconds.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);
/// The default TCP keepalive interval: 60 seconds.
pub const DEFAULT_TCP_KEEPALIVE: Duration = Duration::from_secs(60);

/// Builds an [`HttpTransport`]; obtained from [`HttpTransport::builder`].
///
/// Every setting has a default suited to the Claude API, so
/// `HttpTransport::builder().build()` (or [`HttpTransport::new`]) is a
/// complete configuration. Nothing is validated until [`build`](Self::build),
/// which reports every problem as a typed [`Error`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct Builder {
    connect_timeout: Duration,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: usize,
    tcp_keepalive: Option<Duration>,
    tcp_nodelay: bool,
    read_idle_timeout: Option<Duration>,
    https_only: bool,
    proxy: ProxySetting,
    tls: TlsSettings,
}

#[derive(Debug, Clone)]
enum ProxySetting {
    Env,
    Disabled,
    Explicit(Proxy),
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            pool_idle_timeout: Some(DEFAULT_POOL_IDLE_TIMEOUT),
            pool_max_idle_per_host: usize::MAX,
            tcp_keepalive: Some(DEFAULT_TCP_KEEPALIVE),
            tcp_nodelay: true,
            read_idle_timeout: None,
            https_only: false,
            proxy: ProxySetting::Env,
            tls: TlsSettings::default(),
        }
    }
}

impl Builder {
    /// A builder with the default settings.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Bounds the whole connection establishment: DNS, TCP, proxy tunnel and
    /// TLS handshake. Default: [`DEFAULT_CONNECT_TIMEOUT`].
    ///
    /// Failing fast here is cheap because nothing was sent yet, so the
    /// request can be retried on a fresh connection; it is separate from any
    /// total request deadline, which the caller layers on top.
    pub fn connect_timeout(mut self, timeout: Duration) -> Builder {
        self.connect_timeout = timeout;
        self
    }

    /// How long an unused pooled connection is kept before being closed;
    /// `None` keeps it until the server closes it. Default:
    /// [`DEFAULT_POOL_IDLE_TIMEOUT`], below the idle limits of common load
    /// balancers, so we rarely pick a connection the server is closing.
    pub fn pool_idle_timeout(mut self, timeout: Option<Duration>) -> Builder {
        self.pool_idle_timeout = timeout;
        self
    }

    /// The maximum number of idle connections kept per host; `0` disables
    /// pooling. Default: unlimited (bounded in practice by concurrency).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Builder {
        self.pool_max_idle_per_host = max;
        self
    }

    /// TCP keepalive probe interval, `None` to disable. Default:
    /// [`DEFAULT_TCP_KEEPALIVE`]; it detects peers that vanished without a
    /// FIN during long streaming responses and keeps NAT entries alive.
    pub fn tcp_keepalive(mut self, interval: Option<Duration>) -> Builder {
        self.tcp_keepalive = interval;
        self
    }

    /// Sets `TCP_NODELAY`. Default: on, since requests are written in one go
    /// and Nagle's algorithm would only add latency.
    pub fn tcp_nodelay(mut self, enabled: bool) -> Builder {
        self.tcp_nodelay = enabled;
        self
    }

    /// The default idle-read timeout of response bodies: reading fails with
    /// [`Error::IdleTimeout`] when no data arrives for this long. Default:
    /// none. Overridable per body with
    /// [`Body::with_idle_timeout`](crate::Body::with_idle_timeout).
    pub fn read_idle_timeout(mut self, timeout: Option<Duration>) -> Builder {
        self.read_idle_timeout = timeout;
        self
    }

    /// Refuses plain `http://` requests with [`Error::InvalidUri`]. Default:
    /// off, because the local mock server and debugging proxies speak plain
    /// HTTP on loopback.
    pub fn https_only(mut self, enabled: bool) -> Builder {
        self.https_only = enabled;
        self
    }

    /// Speaks only HTTP/1.1, by not offering `h2` in TLS ALPN. By default
    /// HTTP/2 is used whenever the server selects it.
    pub fn http1_only(mut self) -> Builder {
        self.tls.http2 = false;
        self
    }

    /// Uses this proxy configuration instead of the environment variables.
    pub fn proxy(mut self, proxy: Proxy) -> Builder {
        self.proxy = ProxySetting::Explicit(proxy);
        self
    }

    /// Connects directly, ignoring proxy environment variables.
    pub fn no_proxy(mut self) -> Builder {
        self.proxy = ProxySetting::Disabled;
        self
    }

    /// Reads proxies from the environment (the default): `HTTPS_PROXY` for
    /// `https` destinations, `HTTP_PROXY` for `http` ones (lowercase names
    /// too), with `NO_PROXY` exceptions. Loopback destinations (`localhost`,
    /// `127.0.0.0/8`, `::1`) are always reached directly, so a machine-wide
    /// proxy never intercepts a local mock server. A malformed or unsupported
    /// proxy variable makes [`build`](Self::build) fail rather than silently
    /// bypassing a proxy the user meant to go through.
    pub fn proxy_from_env(mut self) -> Builder {
        self.proxy = ProxySetting::Env;
        self
    }

    /// Trusts `der`, a DER-encoded certificate, as a root in addition to the
    /// built-in roots; for private CAs and self-signed test servers.
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Builder {
        self.tls.extra_roots.push(CertificateDer::from(der.into()));
        self
    }

    /// Whether the roots enabled by the `webpki-roots` / `native-roots`
    /// features are trusted (default: yes). Turn off to trust only the
    /// certificates given to [`add_root_certificate`](Self::add_root_certificate).
    pub fn tls_built_in_roots(mut self, enabled: bool) -> Builder {
        self.tls.built_in_roots = enabled;
        self
    }

    /// Builds the transport.
    ///
    /// Fails with [`Error::Config`] for unusable TLS settings and with
    /// [`Error::Proxy`] for an invalid proxy (explicit or from the
    /// environment). The TLS configuration itself (crypto provider, root
    /// store) is built on the first HTTPS connection, so a transport that
    /// only talks plain HTTP never pays for it; an operating system store
    /// with no usable certificate (`native-roots` alone) is reported then,
    /// as the [`Error::Config`] of that connection. Building needs no runtime; sending requests needs a
    /// Tokio runtime with the I/O and time drivers enabled.
    pub fn build(self) -> Result<HttpTransport, Error> {
        let proxy = match self.proxy {
            ProxySetting::Env => Proxy::from_env()?,
            ProxySetting::Disabled => None,
            ProxySetting::Explicit(proxy) => Some(proxy),
        }
        .map(|p| Arc::new(p.into_matcher()));
        let tls = Arc::new(tls::LazyConfig::check(self.tls)?);

        let mut http = HttpConnector::new();
        // The URI's scheme is handled by the layers above; this one only
        // opens TCP connections, also for `https` destinations.
        http.enforce_http(false);
        http.set_nodelay(self.tcp_nodelay);
        http.set_keepalive(self.tcp_keepalive);
        // Per-address bound (hyper-util splits it across resolved
        // addresses); `Connector` bounds the whole establishment.
        http.set_connect_timeout(Some(self.connect_timeout));

        let connector = Connector::new(http, tls, proxy.clone(), self.connect_timeout);
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .build(connector);
        Ok(HttpTransport::from_inner(Inner {
            client,
            proxy,
            read_idle_timeout: self.read_idle_timeout,
            https_only: self.https_only,
        }))
    }
}
