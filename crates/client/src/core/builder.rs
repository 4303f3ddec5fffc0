//! [`ClientBuilder`]: every setting of a [`Client`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use claude_rs_transport::{Body, RequestBody};
use claude_rs_types::Secret;
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response};
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service, ServiceExt};

use crate::core::admin::{ADMIN_KEY_VARIABLE, AdminKey};
use crate::core::backend::{Backend, redact_userinfo};
use crate::core::client::{Client, Stack};
use crate::core::config;
use crate::core::config::{
    Config, DEFAULT_MAX_RETRIES, DEFAULT_STREAM_IDLE_TIMEOUT, DEFAULT_TIMEOUT,
};
use crate::core::credentials::{self, Env, Explicit};
use crate::core::error::{ConfigKind, Error};
use crate::core::layers::AuthorizeLayer;
use crate::core::transport_settings::TransportSettings;
use crate::core::version::ApiVersion;

type LayerFn = Box<dyn FnOnce(Stack) -> Stack + Send>;

/// Builds a [`Client`]. Starts from the environment (the credential chain
/// of [`credentials`](crate::credentials): `ANTHROPIC_API_KEY`,
/// `ANTHROPIC_AUTH_TOKEN`, profiles, workload identity federation; the
/// admin key `ANTHROPIC_ADMIN_KEY`; and `ANTHROPIC_BASE_URL`); every
/// setting can be overridden.
///
/// Settings come in three groups: where calls go and how they authenticate
/// (`api_key`, `auth_token`, `admin_key`, `base_url`, or a whole [`backend`](Self::backend)),
/// what every request carries (`api_version`, `default_header`, `beta`), and
/// how calls behave (`max_retries`, `timeout`, `stream_idle_timeout`,
/// `layer`), and how the built-in transport connects (`connect_timeout`,
/// `proxy`, `no_proxy`, `add_root_certificate`; or a whole
/// [`transport`](Self::transport) of your own).
///
/// ```
/// use std::time::Duration;
/// use claude_rs_client::ClientBuilder;
/// use claude_rs_client::http::{HeaderName, HeaderValue};
/// # use claude_rs_types::request::{CreateMessageRequest, MessageParam};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// // `Client::builder()` starts from the process environment; this one
/// // starts from an empty one.
/// let client = ClientBuilder::from_env_lookup(|_| None)
///     // Where calls go and how they authenticate.
///     .base_url(server.base_url())
///     .api_key("sk-ant-...")
///     // What every request carries.
///     .default_header(HeaderName::from_static("x-team"), HeaderValue::from_static("search"))
///     .beta("files-api-2025-04-14")
///     // How calls behave.
///     .max_retries(4)
///     .timeout(Duration::from_secs(120))
///     .stream_idle_timeout(Some(Duration::from_secs(60)))
///     .build()?;
///
/// # let request = CreateMessageRequest::new("claude-sonnet-5", 64, vec![MessageParam::user("Hi")]);
/// client.messages().create(request).await?;
/// let sent = &server.requests()[0];
/// assert_eq!(sent.header("x-api-key"), Some("sk-ant-..."));
/// assert_eq!(sent.header("anthropic-version"), Some("2026-10-21"));
/// assert_eq!(sent.header("anthropic-beta"), Some("files-api-2025-04-14"));
/// assert_eq!(sent.header("x-team"), Some("search"));
/// # Ok(())
/// # }
/// ```
pub struct ClientBuilder {
    env: Env,
    auth: Option<Explicit>,
    admin_key: Option<Secret>,
    base_url: Option<String>,
    backend: Option<Arc<dyn Backend>>,
    api_version: ApiVersion,
    default_headers: HeaderMap,
    betas: Vec<String>,
    max_retries: u32,
    timeout: Option<Duration>,
    http: TransportSettings,
    stream_idle_timeout: Option<Duration>,
    transport: Option<Stack>,
    layers: Vec<LayerFn>,
    #[cfg(feature = "tracing")]
    telemetry: crate::telemetry::Telemetry,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("auth", &self.auth)
            .field("admin_key", &self.admin_key)
            .field("env", &self.env)
            .field("backend", &self.backend)
            .field(
                "base_url",
                &self.base_url.as_ref().map(|u| redact_userinfo(u)),
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

impl Client {
    /// A client configured from the environment; see [`ClientBuilder`].
    pub fn new() -> Result<Self, Error> {
        ClientBuilder::new().build()
    }

    /// A builder starting from the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
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
        Self::with_env(|name| std::env::var(name).ok(), true)
    }

    /// A builder starting from the variables `lookup` returns, instead of
    /// the process environment (useful in tests and for other config sources).
    ///
    /// The config directory of profiles is found through `lookup` too
    /// (`ANTHROPIC_CONFIG_DIR`, else `HOME`), so a lookup that returns
    /// nothing reads no file.
    pub fn from_env_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        Self::with_env(lookup, false)
    }

    /// `live`: the variables come from the process (see [`Env::read`]).
    fn with_env(lookup: impl Fn(&str) -> Option<String>, live: bool) -> Self {
        Self {
            #[cfg(feature = "tracing")]
            telemetry: crate::telemetry::Telemetry::from_env_lookup(&lookup),
            env: Env::read(lookup, live),
            auth: None,
            admin_key: None,
            base_url: None,
            backend: None,
            api_version: ApiVersion::builder_default(),
            default_headers: HeaderMap::new(),
            betas: Vec::new(),
            max_retries: DEFAULT_MAX_RETRIES,
            timeout: None,
            http: TransportSettings::default(),
            stream_idle_timeout: Some(DEFAULT_STREAM_IDLE_TIMEOUT),
            transport: None,
            layers: Vec::new(),
        }
    }

    /// Authenticates with an API key (`x-api-key`). Default is the
    /// credential chain (see [`credentials`](crate::credentials)); this
    /// replaces it, as do [`auth_token`](Self::auth_token) and
    /// [`profile`](Self::profile) (the last one called wins).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.auth = Some(Explicit::ApiKey(Secret::new(key)));
        self
    }

    /// Authenticates with a bearer token (`Authorization: Bearer`), which
    /// replaces the credential chain.
    pub fn auth_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Some(Explicit::AuthToken(Secret::new(token)));
        self
    }

    /// The admin key (`sk-ant-admin...`) of Admin API calls
    /// (`/v1/organizations/...`), sent as `x-api-key` on those calls only.
    /// Default is `ANTHROPIC_ADMIN_KEY`. It is kept apart from the
    /// credential chain: the API key is never sent on an Admin API call, and
    /// the admin key never on another call (see
    /// [`credentials`](crate::credentials#the-admin-key)).
    pub fn admin_key(mut self, key: impl Into<String>) -> Self {
        self.admin_key = Some(Secret::new(key));
        self
    }

    /// Authenticates with the profile `name` of the config directory
    /// (`ANTHROPIC_CONFIG_DIR`, else `~/.config/anthropic`), which
    /// replaces the rest of the credential chain: its base URL (unless
    /// [`base_url`](Self::base_url) or `ANTHROPIC_BASE_URL` is set), its
    /// workspace header and its tokens, exchanged and refreshed as the
    /// profile says. An unreadable or invalid profile fails
    /// [`build`](Self::build).
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.auth = Some(Explicit::Profile(name.into()));
        self
    }

    /// Sends calls through `backend` (a cloud platform, a gateway) instead
    /// of the first-party API; `api_key`, `auth_token`, `base_url` and the
    /// `ANTHROPIC_*` variables are then not used. See [`crate::backend`].
    pub fn backend(mut self, backend: impl Backend) -> Self {
        self.backend = Some(Arc::new(backend));
        self
    }

    /// The API's address. Default is `ANTHROPIC_BASE_URL`, else the
    /// profile's `base_url`, else `https://api.anthropic.com`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API version (`anthropic-version`): [`ApiVersion::V2026_10_21`]
    /// by default, as in today's official SDKs, or
    /// [`ApiVersion::V2023_06_01`]. Requests that the chosen version
    /// refuses fail before they are sent; see [`ApiVersion`].
    pub fn api_version(mut self, version: impl Into<ApiVersion>) -> Self {
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
    /// guard against long non-streaming requests. On a stream it bounds the
    /// silence between chunks when it is shorter than the
    /// [`stream_idle_timeout`](Self::stream_idle_timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long the built-in transport may take to connect: DNS, TCP, a
    /// proxy tunnel and the TLS handshake together. A connection that takes
    /// longer fails with [`Error::Timeout`] of kind
    /// [`TimeoutKind::Connect`](crate::TimeoutKind::Connect), and is retried.
    /// Default is [`DEFAULT_CONNECT_TIMEOUT`](crate::transport::DEFAULT_CONNECT_TIMEOUT)
    /// (5 seconds).
    ///
    /// Like [`proxy`](Self::proxy) and
    /// [`add_root_certificate`](Self::add_root_certificate), it cannot apply
    /// to a [`transport`](Self::transport) of your own, so
    /// [`build`](Self::build) refuses the two together.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.http.connect_timeout(timeout);
        self
    }

    /// Sends every request through the HTTP proxy at `url` (such as
    /// `http://proxy.internal:3128`; credentials in it are sent as
    /// `Proxy-Authorization` and never printed). HTTPS goes through a
    /// `CONNECT` tunnel, so TLS stays end to end. Only `http://` proxies are
    /// supported: another URL makes [`build`](Self::build) fail with
    /// [`ConfigKind::Transport`].
    ///
    /// Default is the `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` variables
    /// (lowercase too) of the process, never applied to loopback
    /// addresses.
    ///
    /// ```
    /// use claude_rs_client::{Client, ConfigKind, Error};
    ///
    /// let client = Client::builder().api_key("sk-ant-...").proxy("http://proxy.internal:3128").build()?;
    /// # let _ = client;
    /// let error = Client::builder().proxy("socks5://proxy.internal:1080").build().unwrap_err();
    /// assert!(matches!(error, Error::Config { kind: ConfigKind::Transport, .. }));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn proxy(mut self, url: impl AsRef<str>) -> Self {
        self.http.proxy(url.as_ref());
        self
    }

    /// Connects directly, ignoring the proxy variables of the process.
    /// Default is to honour them (see [`proxy`](Self::proxy)).
    pub fn no_proxy(mut self) -> Self {
        self.http.no_proxy();
        self
    }

    /// Trusts `der`, a DER-encoded X.509 certificate, as a TLS root in
    /// addition to the built-in ones: a corporate CA, a TLS-inspecting
    /// proxy, a test server's own certificate. Can be called many times. A
    /// certificate that does not parse makes [`build`](Self::build) fail
    /// with [`ConfigKind::Transport`].
    ///
    /// Default is the roots of the `webpki-roots` and `native-roots`
    /// features only (see the crate's features).
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.http.add_root_certificate(der.into());
        self
    }

    /// How long a stream may go without a byte (default 10 minutes; `None`
    /// for no limit).
    pub fn stream_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.stream_idle_timeout = timeout;
        self
    }

    /// Sends requests through `transport` instead of the built-in
    /// [`HttpTransport`](claude_rs_transport::HttpTransport), for settings
    /// the builder does not offer, or a test double. Default is the
    /// built-in transport.
    ///
    /// The transport is built already, so [`connect_timeout`](Self::connect_timeout),
    /// [`proxy`](Self::proxy), [`no_proxy`](Self::no_proxy) and
    /// [`add_root_certificate`](Self::add_root_certificate) cannot reach
    /// it: [`build`](Self::build) fails with [`ConfigKind::Transport`] when
    /// one of them is set too. Give them to the transport's own builder.
    pub fn transport<S>(mut self, transport: S) -> Self
    where
        S: Service<
                Request<RequestBody>,
                Response = Response<Body>,
                Error = claude_rs_transport::Error,
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

    /// What the client's OpenTelemetry GenAI spans record: content or
    /// metadata only, the content budget, a conversation id, trace context
    /// propagation (see [`crate::telemetry`]). Default is
    /// [`Telemetry::from_env_lookup`](crate::telemetry::Telemetry::from_env_lookup)
    /// of the builder's environment; a value given here ignores it.
    #[cfg(feature = "tracing")]
    pub fn telemetry(mut self, telemetry: crate::telemetry::Telemetry) -> Self {
        self.telemetry = telemetry;
        self
    }

    /// Adds a tower layer around each attempt (inside the retry loop and
    /// the attempt's deadline, outside the credentials). Layers added first
    /// are outermost.
    ///
    /// Stock tower middleware works as it is: its errors (`tower::BoxError`)
    /// become [`Error::Other`], or this crate's own error when that is what
    /// the box holds.
    ///
    /// ```
    /// use std::time::Duration;
    /// use claude_rs_client::Client;
    /// use tower::limit::ConcurrencyLimitLayer;
    /// use tower::timeout::TimeoutLayer;
    ///
    /// let client = Client::builder()
    ///     .api_key("sk-ant-...")
    ///     .layer(ConcurrencyLimitLayer::new(8))
    ///     .layer(TimeoutLayer::new(Duration::from_secs(30)))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), claude_rs_client::Error>(())
    /// ```
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<Stack> + Send + 'static,
        L::Service: Service<Request<RequestBody>, Response = Response<Body>>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as Service<Request<RequestBody>>>::Error: Into<Error>,
        <L::Service as Service<Request<RequestBody>>>::Future: Send + 'static,
    {
        self.layers.push(Box::new(move |inner| {
            BoxCloneSyncService::new(layer.layer(inner).map_err(Into::into))
        }));
        self
    }

    /// Builds the client. Fails only on settings that cannot work (a bad
    /// base URL, API version, proxy or TLS setup, or built-in transport
    /// settings given with a custom transport; a profile that cannot be
    /// read, see [`credentials`](crate::credentials)); a missing API key is
    /// reported at the first request instead, so that clients can be built
    /// before keys are known.
    pub fn build(mut self) -> Result<Client, Error> {
        for beta in &self.betas {
            config::header_value("beta", beta)?;
        }
        let api_version = HeaderValue::try_from(self.api_version.as_str()).map_err(|_| {
            Error::config(
                ConfigKind::InvalidApiVersion,
                format!("invalid API version {:?}", self.api_version),
            )
        })?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let admin_key = AdminKey::resolve(self.admin_key.take(), self.env.get(ADMIN_KEY_VARIABLE))?;

        let transport = match self.transport.take() {
            Some(transport) => {
                self.http.unused()?;
                transport
            }
            None => {
                let http = std::mem::take(&mut self.http).build()?;
                BoxCloneSyncService::new(http.map_err(Error::from_transport))
            }
        };
        let backend: Arc<dyn Backend> = match self.backend.take() {
            Some(backend) => backend,
            None => {
                let (auth, base_url) = (self.auth.take(), self.base_url.as_deref());
                let headers = &mut self.default_headers;
                Arc::new(credentials::first_party(
                    &self.env, auth, base_url, &transport, headers,
                )?)
            }
        };
        // One attempt, innermost first: credentials, then your layers. The
        // client's retry loop runs it, within the attempt's deadline; the
        // span of the whole call (with `tracing`) is the client's, around it.
        let mut stack: Stack =
            BoxCloneSyncService::new(AuthorizeLayer::new(backend.clone()).layer(transport));
        for layer in std::mem::take(&mut self.layers).into_iter().rev() {
            stack = layer(stack);
        }

        let config = Config {
            version: self.api_version.clone(),
            api_version,
            default_headers: std::mem::take(&mut self.default_headers),
            betas: std::mem::take(&mut self.betas),
            max_retries: self.max_retries,
            timeout,
            timeout_is_explicit: self.timeout.is_some(),
            stream_idle_timeout: self.stream_idle_timeout,
            admin_key,
            #[cfg(feature = "tracing")]
            telemetry: self.telemetry,
        };
        Ok(Client::from_parts(config, backend, stack))
    }
}
