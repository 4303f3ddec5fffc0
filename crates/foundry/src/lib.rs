//! Claude on Microsoft Foundry (Azure AI Foundry): a
//! [`Backend`] for [`claude_rs_client`].
//!
//! Foundry serves the first-party Messages API under
//! `https://{resource}.services.ai.azure.com/anthropic/`, with the
//! `anthropic-version` header and server-sent events as usual; only the
//! address and credentials differ, and the Message Batches and Models APIs
//! are not offered (refused with
//! [`Error::Unsupported`] before anything
//! is sent).
//!
//! ```
//! use claude_rs_client::Client;
//! use claude_rs_foundry::Foundry;
//!
//! let foundry = Foundry::builder()
//!     .resource("my-resource")
//!     .api_key("foundry-key")
//!     .env_lookup(|_| None)
//!     .build()?;
//! assert_eq!(
//!     claude_rs_client::backend::Backend::base_url(&foundry),
//!     "https://my-resource.services.ai.azure.com/anthropic"
//! );
//! let client = Client::builder().backend(foundry).build()?;
//! # Ok::<(), claude_rs_client::Error>(())
//! ```
//!
//! Credentials, first found: [`FoundryBuilder::token_provider`] (Microsoft
//! Entra ID tokens, scope [`ENTRA_SCOPE`], sent as `Authorization: Bearer`
//! and asked for on every attempt; it wins over a key, as in the official
//! Python SDK), then [`FoundryBuilder::api_key`] or
//! `ANTHROPIC_FOUNDRY_API_KEY`, sent as `x-api-key` and, as the official
//! Python SDK also does, `api-key`. This crate has no Azure credential chain:
//! wrap `azure_identity` or any token source in a
//! [`TokenProvider`].
//!
//! # Features
//!
//! The client's:
//!
//! | Feature | Default | Gives |
//! |---|---|---|
//! | `webpki-roots` | on | the client's `webpki-roots`: TLS trusts the Mozilla roots compiled in |
//! | `native-roots` | off | the client's `native-roots`: TLS trusts the operating system's store |
//! | `tracing` | off | the client's `tracing`: a span per call |
//! | `schemars` | off | the client's `schemars`: typed tools and structured outputs from Rust types |
//!
//! They pass through to `claude-rs-client`, which this crate depends on
//! without its default features: with `default-features = false` here and
//! in your own `claude-rs-client` dependency, nothing you did not ask for
//! is built (give the client a TLS roots feature, or roots of your own).

use std::fmt;
use std::sync::Arc;

use claude_rs_client::backend::{Backend, FirstParty, Operation, TokenProvider};
use claude_rs_client::{ConfigKind, Error};
use claude_rs_transport::RequestBody;
use futures_util::future::BoxFuture;
use http::{HeaderName, HeaderValue, Request};

/// The Entra ID scope of Foundry's tokens.
pub const ENTRA_SCOPE: &str = "https://ai.azure.com/.default";

type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Claude on Microsoft Foundry, as a [`Backend`] of the client; see the
/// [crate docs](crate).
#[derive(Clone)]
pub struct Foundry {
    upstream: FirstParty,
    /// The key again as `api-key`, when authenticating with a key.
    api_key: Option<HeaderValue>,
}

impl fmt::Debug for Foundry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Foundry")
            .field("upstream", &self.upstream)
            .finish_non_exhaustive()
    }
}

/// Settings of a [`Foundry`] backend. Anything not given is read from the
/// environment when [`build`](Self::build) runs: the base URL from
/// [`base_url`](Self::base_url) or `ANTHROPIC_FOUNDRY_BASE_URL`, else from
/// [`resource`](Self::resource) or `ANTHROPIC_FOUNDRY_RESOURCE` (giving both
/// a base URL and a resource is an error); the key from `ANTHROPIC_FOUNDRY_API_KEY`.
#[derive(Clone)]
pub struct FoundryBuilder {
    resource: Option<String>,
    base_url: Option<String>,
    api_key: Option<String>,
    tokens: Option<Arc<dyn TokenProvider>>,
    env: Lookup,
}

impl fmt::Debug for FoundryBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FoundryBuilder")
            .field("resource", &self.resource)
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("tokens", &self.tokens)
            .finish_non_exhaustive()
    }
}

impl Foundry {
    /// Settings, read from the environment for anything not set.
    pub fn builder() -> FoundryBuilder {
        FoundryBuilder {
            resource: None,
            base_url: None,
            api_key: None,
            tokens: None,
            env: Arc::new(|name| std::env::var(name).ok()),
        }
    }

    /// The backend, everything from the environment.
    pub fn from_env() -> Result<Foundry, Error> {
        Self::builder().build()
    }
}

impl FoundryBuilder {
    /// The Foundry resource name (`{resource}.services.ai.azure.com`).
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }

    /// The whole base URL instead of a resource name.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The resource's API key.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Entra ID bearer tokens from a provider, asked on every attempt.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.tokens = Some(Arc::new(provider));
        self
    }

    /// Reads variables through `lookup` instead of the process environment.
    pub fn env_lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.env = Arc::new(lookup);
        self
    }

    /// Resolves every setting and builds the backend.
    pub fn build(self) -> Result<Foundry, Error> {
        let env = |name: &str| (self.env)(name).filter(|v| !v.trim().is_empty());
        if self.base_url.is_some() && self.resource.is_some() {
            return Err(config(
                ConfigKind::InvalidBaseUrl,
                "give a Foundry base URL or a resource, not both",
            ));
        }
        let base_url = match (self.base_url.clone(), self.resource.clone()) {
            (Some(url), _) => url,
            (None, Some(resource)) => resource_url(&resource),
            (None, None) => match (
                env("ANTHROPIC_FOUNDRY_BASE_URL"),
                env("ANTHROPIC_FOUNDRY_RESOURCE"),
            ) {
                (Some(url), _) => url,
                (None, Some(resource)) => resource_url(&resource),
                (None, None) => {
                    return Err(config(
                        ConfigKind::MissingSetting,
                        "no Foundry resource: call FoundryBuilder::resource or base_url, or set \
                         ANTHROPIC_FOUNDRY_RESOURCE or ANTHROPIC_FOUNDRY_BASE_URL",
                    ));
                }
            },
        };
        let upstream = FirstParty::new(&base_url)?;
        if let Some(tokens) = self.tokens.clone() {
            return Ok(Foundry {
                upstream: upstream.token_provider(ArcProvider(tokens)),
                api_key: None,
            });
        }
        let Some(key) = self
            .api_key
            .clone()
            .or_else(|| env("ANTHROPIC_FOUNDRY_API_KEY"))
        else {
            return Err(config(
                ConfigKind::MissingCredentials,
                "no Foundry credentials: call FoundryBuilder::api_key or token_provider, or set \
                 ANTHROPIC_FOUNDRY_API_KEY",
            ));
        };
        let mut header = HeaderValue::try_from(key.as_str()).map_err(|_| {
            config(
                ConfigKind::InvalidCredentials,
                "the Foundry API key has characters not allowed in an HTTP header",
            )
        })?;
        header.set_sensitive(true);
        Ok(Foundry {
            upstream: upstream.api_key(key),
            api_key: Some(header),
        })
    }
}

fn resource_url(resource: &str) -> String {
    format!(
        "https://{}.services.ai.azure.com/anthropic/",
        resource.trim()
    )
}

fn config(kind: ConfigKind, message: &str) -> Error {
    Error::Config {
        kind,
        message: message.to_owned(),
        source: None,
    }
}

/// A shared provider handed to the first-party backend.
#[derive(Debug)]
struct ArcProvider(Arc<dyn TokenProvider>);

impl TokenProvider for ArcProvider {
    fn token(&self) -> BoxFuture<'_, Result<claude_rs_types::Secret, Error>> {
        self.0.token()
    }
}

impl Backend for Foundry {
    fn name(&self) -> &'static str {
        "Microsoft Foundry"
    }

    fn base_url(&self) -> &str {
        self.upstream.base_url()
    }

    fn prepare(
        &self,
        operation: Operation,
        request: &mut Request<RequestBody>,
    ) -> Result<(), Error> {
        if matches!(
            operation,
            Operation::Batches | Operation::Models | Operation::Admin
        ) {
            return Err(Error::Unsupported {
                operation,
                platform: self.name(),
            });
        }
        self.upstream.prepare(operation, request)
    }

    fn authorize<'a>(
        &'a self,
        request: &'a mut Request<RequestBody>,
    ) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            self.upstream.authorize(request).await?;
            if let Some(key) = &self.api_key {
                let name = HeaderName::from_static("api-key");
                request.headers_mut().insert(name, key.clone());
            }
            Ok(())
        })
    }
}
