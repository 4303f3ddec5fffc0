//! [`GoogleCredentials`]: OAuth access tokens from Application Default
//! Credentials (a service account's JWT grant, an authorized user's refresh
//! token, or the metadata server), cached and refreshed before expiry.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use claude_rs_client::backend::TokenProvider;
use claude_rs_client::{ConfigKind, Error};
use claude_rs_transport::{HttpTransport, RequestBody};
use claude_rs_types::Secret;
use futures_util::future::BoxFuture;
use serde::Deserialize;

use crate::jwt::ServiceAccountKey;
use crate::token_answer;
use crate::token_answer::Cached;
pub use crate::token_answer::REFRESH_MARGIN;

/// The scope tokens are asked for.
pub const CLOUD_PLATFORM_SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";
const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
const DEFAULT_METADATA_HOST: &str = "metadata.google.internal";
/// A token endpoint's answer is small; anything larger is refused.
const ANSWER_LIMIT: usize = 1 << 20;
const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// Where tokens come from.
enum Source {
    ServiceAccount {
        key: Box<ServiceAccountKey>,
        token_uri: String,
    },
    AuthorizedUser {
        client_id: String,
        client_secret: Secret,
        refresh_token: Secret,
        token_uri: String,
    },
    Metadata {
        url: String,
    },
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::ServiceAccount { key, token_uri } => f
                .debug_struct("ServiceAccount")
                .field("client_email", &key.client_email())
                .field("token_uri", token_uri)
                .finish_non_exhaustive(),
            Source::AuthorizedUser {
                client_id,
                token_uri,
                ..
            } => f
                .debug_struct("AuthorizedUser")
                .field("client_id", client_id)
                .field("token_uri", token_uri)
                .finish_non_exhaustive(),
            Source::Metadata { url } => f.debug_struct("Metadata").field("url", url).finish(),
        }
    }
}

/// OAuth access tokens for Vertex from Google credentials, as a
/// [`TokenProvider`]: fetched on first use, cached, and refreshed
/// [`REFRESH_MARGIN`] before expiry; concurrent callers share one refresh.
///
/// Covered: `service_account` key files (an RS256 JWT-bearer grant to the
/// file's `token_uri`), `authorized_user` files (what `gcloud auth
/// application-default login` writes: a refresh-token grant), and the
/// metadata server of Compute Engine, GKE, Cloud Run and the like.
/// `external_account` (workload identity federation) and
/// `impersonated_service_account` files are refused with a clear error:
/// bring such tokens through a [`TokenProvider`] of your own.
pub struct GoogleCredentials {
    source: Source,
    project: Option<String>,
    http: HttpTransport,
    cached: tokio::sync::Mutex<Option<Cached>>,
}

impl fmt::Debug for GoogleCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GoogleCredentials")
            .field("source", &self.source)
            .field("project", &self.project)
            .finish_non_exhaustive()
    }
}

/// A credentials file, as far as it is read.
#[derive(Deserialize)]
struct File {
    #[serde(rename = "type")]
    kind: Option<String>,
    project_id: Option<String>,
    quota_project_id: Option<String>,
    client_email: Option<String>,
    private_key: Option<String>,
    private_key_id: Option<String>,
    token_uri: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    refresh_token: Option<String>,
}

fn invalid(message: String) -> Error {
    Error::Config {
        kind: ConfigKind::InvalidCredentials,
        message,
        source: None,
    }
}

impl GoogleCredentials {
    /// Credentials from the JSON of a `service_account` or `authorized_user`
    /// file. Errors name the missing field, never a value.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        let file: File = serde_json::from_str(json).map_err(|e| Error::Config {
            kind: ConfigKind::InvalidCredentials,
            message: "the Google credentials are not the JSON of a credentials file".to_owned(),
            // serde's message names a position, not the text.
            source: Some(Box::new(e)),
        })?;
        let need = |value: Option<String>, field: &str, kind: &str| {
            value
                .filter(|v| !v.is_empty())
                .ok_or_else(|| invalid(format!("the {kind} credentials have no `{field}`")))
        };
        let token_uri = file
            .token_uri
            .clone()
            .unwrap_or_else(|| DEFAULT_TOKEN_URI.to_owned());
        let (source, project) = match file.kind.as_deref() {
            Some("service_account") => {
                let email = need(file.client_email, "client_email", "service_account")?;
                let pem = need(file.private_key, "private_key", "service_account")?;
                let key = Box::new(ServiceAccountKey::new(email, &pem, file.private_key_id)?);
                (Source::ServiceAccount { key, token_uri }, file.project_id)
            }
            Some("authorized_user") => (
                Source::AuthorizedUser {
                    client_id: need(file.client_id, "client_id", "authorized_user")?,
                    client_secret: Secret::new(need(
                        file.client_secret,
                        "client_secret",
                        "authorized_user",
                    )?),
                    refresh_token: Secret::new(need(
                        file.refresh_token,
                        "refresh_token",
                        "authorized_user",
                    )?),
                    token_uri,
                },
                file.quota_project_id,
            ),
            Some(other) => {
                return Err(invalid(format!(
                    "Google credentials of type {other:?} are not read by claude-rs-vertex \
                     (service_account and authorized_user are); pass a TokenProvider instead"
                )));
            }
            None => return Err(invalid("the Google credentials have no `type`".to_owned())),
        };
        Self::with_source(source, project)
    }

    /// Credentials from a file (`GOOGLE_APPLICATION_CREDENTIALS`, a key file).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let json = std::fs::read_to_string(path).map_err(|e| Error::Config {
            kind: ConfigKind::InvalidCredentials,
            message: format!("cannot read the Google credentials file {}", path.display()),
            source: Some(Box::new(e)),
        })?;
        Self::from_json(&json)
    }

    /// Tokens of the metadata server's default service account, at
    /// `GCE_METADATA_HOST` if set, else `metadata.google.internal`.
    pub fn metadata_server(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let host = lookup("GCE_METADATA_HOST")
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| DEFAULT_METADATA_HOST.to_owned());
        let url =
            format!("http://{host}/computeMetadata/v1/instance/service-accounts/default/token");
        Self::with_source(Source::Metadata { url }, None)
    }

    /// Application Default Credentials, in google-auth's order:
    /// `GOOGLE_APPLICATION_CREDENTIALS`, then gcloud's
    /// `application_default_credentials.json` (under `CLOUDSDK_CONFIG`, else
    /// `~/.config/gcloud`), then the metadata server.
    pub fn application_default(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        if let Some(path) = var("GOOGLE_APPLICATION_CREDENTIALS") {
            return Self::from_file(path);
        }
        let gcloud = var("CLOUDSDK_CONFIG").map(PathBuf::from).or_else(|| {
            var("HOME")
                .or_else(|| var("APPDATA"))
                .map(|home| PathBuf::from(home).join(".config").join("gcloud"))
        });
        if let Some(file) = gcloud.map(|dir| dir.join("application_default_credentials.json"))
            && file.is_file()
        {
            return Self::from_file(file);
        }
        Self::metadata_server(lookup)
    }

    fn with_source(source: Source, project: Option<String>) -> Result<Self, Error> {
        let http = HttpTransport::new().map_err(|e| Error::Config {
            kind: ConfigKind::Transport,
            message: "cannot build the HTTP client for the token endpoint".to_owned(),
            source: Some(Box::new(e)),
        })?;
        Ok(Self {
            source,
            project,
            http,
            cached: tokio::sync::Mutex::new(None),
        })
    }

    /// The project the credentials name (`project_id` of a service account,
    /// `quota_project_id` of a user), if any.
    pub fn project_id(&self) -> Option<&str> {
        self.project.as_deref()
    }

    /// The current token, fetched again when it is within the margin of
    /// its expiry. Callers that arrive during a fetch wait for it.
    async fn current(&self) -> Result<Secret, Error> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref()
            && Instant::now() < token.refresh_at
        {
            return Ok(token.token.clone());
        }
        let fresh = tokio::time::timeout(FETCH_TIMEOUT, self.fetch())
            .await
            .map_err(|_| Error::Credentials {
                message: format!("the token endpoint did not answer within {FETCH_TIMEOUT:?}"),
                transient: true,
                source: None,
            })??;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    async fn fetch(&self) -> Result<Cached, Error> {
        let request = match &self.source {
            Source::ServiceAccount { key, token_uri } => {
                let assertion = key.assertion(token_uri, CLOUD_PLATFORM_SCOPE)?;
                post_form(
                    token_uri,
                    &[
                        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                        ("assertion", assertion.expose()),
                    ],
                )
            }
            Source::AuthorizedUser {
                client_id,
                client_secret,
                refresh_token,
                token_uri,
            } => post_form(
                token_uri,
                &[
                    ("grant_type", "refresh_token"),
                    ("client_id", client_id),
                    ("client_secret", client_secret.expose()),
                    ("refresh_token", refresh_token.expose()),
                ],
            ),
            Source::Metadata { url } => http::Request::get(url.as_str())
                .header("metadata-flavor", "Google")
                .body(RequestBody::empty()),
        }
        .map_err(|_| invalid("the token endpoint's URL is not valid".to_owned()))?;
        let endpoint = request.uri().clone();
        let started = Instant::now();
        let response = self
            .http
            .send(request)
            .await
            .map_err(|e| Error::Credentials {
                message: format!("cannot reach the token endpoint {endpoint}"),
                transient: true,
                source: Some(Box::new(e)),
            })?;
        let status = response.status();
        let body = response
            .into_body()
            .collect_limited(ANSWER_LIMIT)
            .await
            .map_err(|e| Error::Credentials {
                message: format!("the token endpoint {endpoint} broke off its answer"),
                transient: true,
                source: Some(Box::new(e)),
            })?;
        token_answer::read(&endpoint, status, &body, started)
    }
}

/// A form-encoded POST.
fn post_form(url: &str, pairs: &[(&str, &str)]) -> Result<http::Request<RequestBody>, http::Error> {
    let mut form = String::new();
    for (name, value) in pairs {
        if !form.is_empty() {
            form.push('&');
        }
        for (i, text) in [name, value].into_iter().enumerate() {
            if i == 1 {
                form.push('=');
            }
            form.push_str(&claude_rs_client::encode::component(text));
        }
    }
    http::Request::post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(RequestBody::from(bytes::Bytes::from(form)))
}

impl TokenProvider for GoogleCredentials {
    fn token(&self) -> BoxFuture<'_, Result<Secret, Error>> {
        Box::pin(self.current())
    }
}

/// A fixed access token, never refreshed.
pub(crate) struct StaticToken(pub(crate) Secret);

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<Secret, Error>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}
