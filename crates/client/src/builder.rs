//! [`ClientBuilder`]: every setting of a [`Client`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use claude_transport::{Body, HttpTransport, RequestBody};
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response};
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service, ServiceExt};

use crate::Error;
use crate::client::{Client, Inner, Stack};
use crate::config::{
    Auth, Config, DEFAULT_API_VERSION, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES, DEFAULT_STREAM_IDLE_TIMEOUT, DEFAULT_TIMEOUT, EnvSettings,
};
use crate::layers::{RetryLayer, TimeoutLayer};
use claude_types::config::Secret;

type LayerFn = Box<dyn FnOnce(Stack) -> Stack + Send>;

/// Builds a [`Client`]. Starts from the environment (`ANTHROPIC_API_KEY`,
/// `ANTHROPIC_AUTH_TOKEN`, `ANTHROPIC_BASE_URL`); every setting can be
/// overridden.
pub struct ClientBuilder {
    env: EnvSettings,
    auth: Option<Auth>,
    base_url: Option<String>,
    api_version: String,
    default_headers: HeaderMap,
    betas: Vec<String>,
    max_retries: u32,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    stream_idle_timeout: Option<Duration>,
    transport: Option<Stack>,
    layers: Vec<LayerFn>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("auth", &self.auth.as_ref().or(self.env.auth.as_ref()))
            .field(
                "base_url",
                &self.base_url.as_ref().or(self.env.base_url.as_ref()),
            )
            .field("api_version", &self.api_version)
            .field("betas", &self.betas)
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("custom_transport", &self.transport.is_some())
            .field("layers", &self.layers.len())
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// A builder starting from the process environment.
    pub fn new() -> Self {
        Self::from_env_lookup(|name| std::env::var(name).ok())
    }

    /// A builder starting from the variables `lookup` returns, instead of
    /// the process environment (useful in tests and for other config sources).
    pub fn from_env_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            env: EnvSettings::read(lookup),
            auth: None,
            base_url: None,
            api_version: DEFAULT_API_VERSION.to_owned(),
            default_headers: HeaderMap::new(),
            betas: Vec::new(),
            max_retries: DEFAULT_MAX_RETRIES,
            timeout: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            stream_idle_timeout: Some(DEFAULT_STREAM_IDLE_TIMEOUT),
            transport: None,
            layers: Vec::new(),
        }
    }

    /// Authenticates with an API key (`x-api-key`).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.auth = Some(Auth::ApiKey(Secret::new(key)));
        self
    }

    /// Authenticates with a bearer token (`Authorization: Bearer`).
    pub fn auth_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Some(Auth::Bearer(Secret::new(token)));
        self
    }

    /// The API's address (default `https://api.anthropic.com`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The `anthropic-version` header (default `2023-06-01`).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.default_headers.insert(name, value);
        self
    }

    /// An `anthropic-beta` value sent with every request.
    pub fn beta(mut self, beta: impl Into<String>) -> Self {
        self.betas.push(beta.into());
        self
    }

    /// Retries after the first attempt (default 2).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Per-attempt deadline (default 10 minutes). Setting it switches off the
    /// guard against long non-streaming requests.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Connect deadline of the built-in transport (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a stream may go without a byte (default 10 minutes; `None`
    /// for no limit).
    pub fn stream_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.stream_idle_timeout = timeout;
        self
    }

    /// Sends requests through `transport` instead of the built-in
    /// [`HttpTransport`] (for a custom TLS or proxy setup, or a test double).
    pub fn transport<S>(mut self, transport: S) -> Self
    where
        S: Service<
                Request<RequestBody>,
                Response = Response<Body>,
                Error = claude_transport::Error,
            > + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
    {
        let service = transport.map_err(Error::from_transport);
        self.transport = Some(BoxCloneSyncService::new(service));
        self
    }

    /// Adds a tower layer around each attempt (inside the retry layer,
    /// outside the timeout). Layers added first are outermost.
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<Stack> + Send + 'static,
        L::Service: Service<Request<RequestBody>, Response = Response<Body>, Error = Error>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as Service<Request<RequestBody>>>::Future: Send + 'static,
    {
        self.layers.push(Box::new(move |inner| {
            BoxCloneSyncService::new(layer.layer(inner))
        }));
        self
    }

    /// Builds the client. Fails only on settings that cannot work (a bad
    /// base URL, API version or TLS setup); a missing API key is reported at
    /// the first request instead, so that clients can be built before keys
    /// are known.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self
            .base_url
            .or(self.env.base_url)
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let base_url = validate_base_url(&base_url)?;
        let api_version = HeaderValue::try_from(self.api_version.as_str())
            .map_err(|_| Error::Config(format!("invalid API version {:?}", self.api_version)))?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);

        let transport = match self.transport {
            Some(transport) => transport,
            None => {
                let http = HttpTransport::builder()
                    .connect_timeout(self.connect_timeout)
                    .read_idle_timeout(None)
                    .build()
                    .map_err(|e| Error::Config(format!("HTTP transport: {e}")))?;
                BoxCloneSyncService::new(http.map_err(Error::from_transport))
            }
        };
        let mut stack: Stack =
            BoxCloneSyncService::new(TimeoutLayer::new(timeout).layer(transport));
        for layer in self.layers.into_iter().rev() {
            stack = layer(stack);
        }
        let stack = BoxCloneSyncService::new(RetryLayer::new(self.max_retries).layer(stack));

        Ok(Client {
            inner: Arc::new(Inner {
                config: Config {
                    base_url,
                    auth: self.auth.or(self.env.auth),
                    api_version,
                    default_headers: self.default_headers,
                    betas: self.betas,
                    max_retries: self.max_retries,
                    timeout,
                    timeout_is_explicit: self.timeout.is_some(),
                    stream_idle_timeout: self.stream_idle_timeout,
                },
                service: stack,
            }),
        })
    }
}

fn validate_base_url(url: &str) -> Result<String, Error> {
    let trimmed = url.trim().trim_end_matches('/');
    let uri: http::Uri = trimmed
        .parse()
        .map_err(|e| Error::Config(format!("invalid base URL {trimmed:?}: {e}")))?;
    match (uri.scheme_str(), uri.authority()) {
        (Some("http" | "https"), Some(_)) if uri.query().is_none() => Ok(trimmed.to_owned()),
        _ => Err(Error::Config(format!(
            "invalid base URL {trimmed:?}: expected http(s)://host[:port][/path]"
        ))),
    }
}
