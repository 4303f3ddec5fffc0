//! [`FirstParty`]: Anthropic's own API, the default backend.

use std::fmt;
use std::sync::Arc;

use claude_rs_transport::RequestBody;
use claude_rs_types::Secret;
use futures_util::future::BoxFuture;
use http::header::AUTHORIZATION;
use http::{HeaderName, HeaderValue, Request, Uri};

use super::token::TokenProvider;
use super::{Backend, Operation};
use crate::core::config::{DEFAULT_BASE_URL, OAUTH_BETA};
use crate::core::error::{ConfigKind, Error};

/// Anthropic's API (`https://api.anthropic.com`): the default backend.
///
/// Paths are the API's own, and credentials go in `x-api-key` or
/// `Authorization: Bearer`. A call that carries credentials of its own (an
/// `Authorization` or `x-api-key` header, such as the admin key of an
/// Admin API call) is sent with those alone. [`ClientBuilder`](crate::ClientBuilder) builds
/// one from its `api_key`, `auth_token` and `base_url` settings (and the
/// `ANTHROPIC_*` variables); build one yourself to wrap it in a backend of
/// your own (see the [module docs](super)).
///
/// ```
/// use claude_rs_client::backend::FirstParty;
///
/// let backend = FirstParty::new("https://api.anthropic.com")?.api_key("sk-ant-...");
/// assert_eq!(backend.base_url(), "https://api.anthropic.com");
/// assert!(!format!("{backend:?}").contains("sk-ant"));
/// # Ok::<(), claude_rs_client::Error>(())
/// ```
#[derive(Clone)]
pub struct FirstParty {
    base_url: String,
    auth: Option<Auth>,
}

/// How requests authenticate.
#[derive(Clone)]
enum Auth {
    /// `x-api-key: <key>` (`ANTHROPIC_API_KEY`).
    ApiKey(HeaderValue),
    /// `Authorization: Bearer <token>` (`ANTHROPIC_AUTH_TOKEN`).
    Bearer(HeaderValue),
    /// `Authorization: Bearer <token>`, the token asked for on every attempt.
    Provider(Arc<dyn TokenProvider>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Auth::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Auth::Provider(provider) => f.debug_tuple("Provider").field(provider).finish(),
        }
    }
}

impl fmt::Debug for FirstParty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FirstParty")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .finish()
    }
}

impl FirstParty {
    /// The API at `base_url` (`https://api.anthropic.com`, or a proxy of it),
    /// without credentials yet. Refuses URLs that cannot work: not http(s),
    /// or carrying a query, a fragment or user info (credentials in a URL
    /// would be neither sent nor kept secret).
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Ok(Self {
            base_url: validate_base_url(base_url)?,
            auth: None,
        })
    }

    /// Authenticates with an API key (`x-api-key`).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.auth = Some(Auth::ApiKey(secret_header(key.into())));
        self
    }

    /// Authenticates with a bearer token (`Authorization: Bearer`).
    pub fn auth_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Some(Auth::Bearer(secret_header(format!(
            "Bearer {}",
            token.into()
        ))));
        self
    }

    /// Authenticates with a bearer token asked of `provider` on every
    /// attempt (a token that expires and is refreshed), sent with the
    /// `oauth-2025-04-20` beta flag, as the official SDKs send exchanged
    /// tokens.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.auth = Some(Auth::Provider(Arc::new(provider)));
        self
    }

    /// The API's address.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Default for FirstParty {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            auth: None,
        }
    }
}

/// A credential as a header value, marked sensitive so that hyper and the
/// `Debug` of header maps do not show it. Invalid characters are caught in
/// [`FirstParty::prepare`], with the other settings errors, and the value is
/// never echoed.
fn secret_header(value: String) -> HeaderValue {
    let mut header = HeaderValue::try_from(value).unwrap_or_else(|_| HeaderValue::from_static(""));
    header.set_sensitive(true);
    header
}

impl Backend for FirstParty {
    fn name(&self) -> &'static str {
        "the Anthropic API"
    }

    fn base_url(&self) -> &str {
        &self.base_url
    }

    fn prepare(&self, _: Operation, request: &mut Request<RequestBody>) -> Result<(), Error> {
        match &self.auth {
            // A call with credentials of its own (an Admin API call with the
            // admin key) needs none of the backend's.
            _ if carries_credentials(request) => {}
            None => {
                return Err(Error::config(
                    ConfigKind::MissingCredentials,
                    "no credentials: set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN, \
                     ANTHROPIC_PROFILE, or workload identity federation), or call \
                     ClientBuilder::api_key",
                ));
            }
            Some(Auth::ApiKey(value) | Auth::Bearer(value)) if value.is_empty() => {
                return Err(Error::config(
                    ConfigKind::InvalidCredentials,
                    "the API key or auth token is empty or contains characters not allowed in \
                     an HTTP header",
                ));
            }
            Some(_) => {}
        }
        let path = request.uri().to_string();
        super::set_url(request, &self.base_url, &path)
    }

    fn authorize<'a>(
        &'a self,
        request: &'a mut Request<RequestBody>,
    ) -> BoxFuture<'a, Result<(), Error>> {
        if carries_credentials(request) {
            // A per-call credential (the admin key of an Admin API call)
            // wins, and is not joined by the backend's.
            return Box::pin(std::future::ready(Ok(())));
        }
        let (name, value) = match &self.auth {
            Some(Auth::ApiKey(value)) => (HeaderName::from_static("x-api-key"), value.clone()),
            Some(Auth::Bearer(value)) => (AUTHORIZATION, value.clone()),
            Some(Auth::Provider(provider)) => {
                let provider = provider.clone();
                return Box::pin(async move {
                    let token: Secret = provider.token().await?;
                    let value = super::bearer_header(token.expose())?;
                    request.headers_mut().insert(AUTHORIZATION, value);
                    add_beta(request.headers_mut(), OAUTH_BETA);
                    Ok(())
                });
            }
            None => return Box::pin(std::future::ready(Ok(()))),
        };
        request.headers_mut().insert(name, value);
        Box::pin(std::future::ready(Ok(())))
    }

    fn credentials_rejected(&self, request: &Request<RequestBody>) -> bool {
        match (&self.auth, bearer_token(request)) {
            (Some(Auth::Provider(provider)), Some(token)) => provider.rejected(&token),
            _ => false,
        }
    }
}

/// Whether a request carries credentials of its own (`Authorization` or
/// `x-api-key`), set per call.
fn carries_credentials(request: &Request<RequestBody>) -> bool {
    let headers = request.headers();
    headers.contains_key(AUTHORIZATION) || headers.contains_key("x-api-key")
}

/// Adds `beta` to the request's `anthropic-beta` flags, once.
fn add_beta(headers: &mut http::HeaderMap, beta: &str) {
    let current = headers
        .get("anthropic-beta")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut flags: Vec<&str> = Vec::new();
    for flag in current.split(',').map(str::trim).chain([beta]) {
        if !flag.is_empty() && !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    if let Ok(value) = HeaderValue::try_from(flags.join(",")) {
        headers.insert("anthropic-beta", value);
    }
}

/// The bearer token of an `Authorization` header.
fn bearer_token(request: &Request<RequestBody>) -> Option<Secret> {
    let value = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(Secret::new)
}

/// Checks and normalizes a base URL (no trailing slash).
fn validate_base_url(url: &str) -> Result<String, Error> {
    let trimmed = url.trim().trim_end_matches('/');
    let invalid = |why: &str| {
        Error::config(
            ConfigKind::InvalidBaseUrl,
            format!("invalid base URL {:?}: {why}", redact_userinfo(trimmed)),
        )
    };
    if trimmed.contains('#') {
        return Err(invalid("a fragment (#...) cannot be sent to a server"));
    }
    let uri: Uri = trimmed
        .parse()
        .map_err(|_| invalid("expected http(s)://host[:port][/path]"))?;
    let Some(authority) = uri.authority() else {
        return Err(invalid("expected http(s)://host[:port][/path]"));
    };
    if authority.as_str().contains('@') {
        return Err(invalid(
            "user info (user:password@) is not sent; pass credentials with api_key or \
             auth_token instead",
        ));
    }
    match uri.scheme_str() {
        Some("http" | "https") if uri.query().is_none() => Ok(trimmed.to_owned()),
        Some("http" | "https") => Err(invalid("a query (?...) cannot be joined with paths")),
        _ => Err(invalid("expected http(s)://host[:port][/path]")),
    }
}

/// The URL with any `user:password@` shown as `***@`.
pub(crate) fn redact_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalized() {
        for (given, kept) in [
            ("https://api.anthropic.com/", "https://api.anthropic.com"),
            (
                " http://127.0.0.1:8080/proxy/ ",
                "http://127.0.0.1:8080/proxy",
            ),
        ] {
            assert_eq!(FirstParty::new(given).unwrap().base_url(), kept);
        }
    }

    #[test]
    fn unusable_base_urls_are_refused_without_showing_passwords() {
        for (url, why) in [
            ("http://host/proxy#frag", "fragment"),
            ("http://host/#", "fragment"),
            ("https://user:hunter2@host/v", "user info"),
            ("https://user@host", "user info"),
            ("http://host/?a=1", "query"),
            ("ftp://host", "expected"),
            ("host:8080", "expected"),
            ("", "expected"),
        ] {
            let error = FirstParty::new(url).unwrap_err();
            let text = format!("{error} {error:?}");
            assert!(
                matches!(
                    &error,
                    Error::Config {
                        kind: ConfigKind::InvalidBaseUrl,
                        ..
                    }
                ),
                "{url}: {error:?}"
            );
            assert!(text.contains(why), "{url}: {text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
    }
}
