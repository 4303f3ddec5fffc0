//! [`VertexBuilder`]: settings, and their resolution from the environment.

use std::fmt;
use std::sync::Arc;

use claude_rs_client::backend::{FirstParty, TokenProvider};
use claude_rs_client::{ConfigKind, Error};
use claude_rs_types::Secret;

use crate::backend::{Vertex, region_base_url};
use crate::google::{GoogleCredentials, StaticToken};

type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Settings of a [`Vertex`] backend. Anything not given is read from the
/// environment when [`build`](Self::build) runs:
///
/// * region (required): [`region`](Self::region), else `CLOUD_ML_REGION`;
/// * base URL: [`base_url`](Self::base_url), `ANTHROPIC_VERTEX_BASE_URL`,
///   else by region (`global`: `https://aiplatform.googleapis.com/v1`,
///   `us`/`eu`: the multi-region `rep` hosts, else
///   `https://{region}-aiplatform.googleapis.com/v1`);
/// * project: [`project`](Self::project), `ANTHROPIC_VERTEX_PROJECT_ID`,
///   else the one the credentials name (a missing project fails the first
///   call);
/// * token: [`access_token`](Self::access_token) (never refreshed),
///   [`token_provider`](Self::token_provider), else Application Default
///   Credentials ([`GoogleCredentials::application_default`]).
///
/// ```
/// use claude_rs_vertex::Vertex;
///
/// let vertex = Vertex::builder()
///     .region("us-east5")
///     .project("my-project")
///     .access_token("ya29.token")
///     .build()?;
/// assert_eq!(claude_rs_client::backend::Backend::base_url(&vertex), "https://us-east5-aiplatform.googleapis.com/v1");
/// assert!(!format!("{vertex:?}").contains("ya29"));
/// # Ok::<(), claude_rs_client::Error>(())
/// ```
#[derive(Clone)]
pub struct VertexBuilder {
    region: Option<String>,
    project: Option<String>,
    base_url: Option<String>,
    tokens: Option<Arc<dyn TokenProvider>>,
    env: Lookup,
}

impl fmt::Debug for VertexBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VertexBuilder")
            .field("region", &self.region)
            .field("project", &self.project)
            .field("base_url", &self.base_url)
            .field("tokens", &self.tokens)
            .finish_non_exhaustive()
    }
}

impl Vertex {
    /// Settings, read from the environment for anything not set.
    pub fn builder() -> VertexBuilder {
        VertexBuilder {
            region: None,
            project: None,
            base_url: None,
            tokens: None,
            env: Arc::new(|name| std::env::var(name).ok()),
        }
    }

    /// The backend, everything from the environment.
    pub fn from_env() -> Result<Vertex, Error> {
        Self::builder().build()
    }
}

impl VertexBuilder {
    /// The Google Cloud region (`global`, `us`, `eu`, `us-east5`, ...).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The Google Cloud project id.
    pub fn project(mut self, project: impl Into<String>) -> Self {
        self.project = Some(project.into());
        self
    }

    /// Another address (a private endpoint, a proxy, a test server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// A fixed access token (never refreshed).
    pub fn access_token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken(Secret::new(token)))
    }

    /// Tokens from a provider, asked on every attempt ([`GoogleCredentials`]
    /// or your own).
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
    pub fn build(self) -> Result<Vertex, Error> {
        let env = |name: &str| (self.env)(name).filter(|v| !v.trim().is_empty());
        let region = self
            .region
            .clone()
            .filter(|r| !r.trim().is_empty())
            .or_else(|| env("CLOUD_ML_REGION"))
            .ok_or_else(|| Error::Config {
                kind: ConfigKind::MissingSetting,
                message: "no Google Cloud region: call VertexBuilder::region or set \
                          CLOUD_ML_REGION"
                    .to_owned(),
                source: None,
            })?;
        claude_rs_client::backend::check_region("the Google Cloud region", &region)?;
        let mut project = self
            .project
            .clone()
            .or_else(|| env("ANTHROPIC_VERTEX_PROJECT_ID"));
        let tokens = match self.tokens.clone() {
            Some(tokens) => tokens,
            None => {
                let adc = GoogleCredentials::application_default(&env)?;
                if project.is_none() {
                    project = adc.project_id().map(str::to_owned);
                }
                Arc::new(adc)
            }
        };
        let base_url = self
            .base_url
            .clone()
            .or_else(|| env("ANTHROPIC_VERTEX_BASE_URL"))
            .unwrap_or_else(|| region_base_url(&region));
        // The first-party backend's checks of a base URL, written once.
        let base_url = FirstParty::new(&base_url)?.base_url().to_owned();
        if let Some(project) = &project {
            check_project(project)?;
        }
        Ok(Vertex {
            base_url,
            region,
            project,
            tokens,
        })
    }
}

/// Refuses a project id that cannot be one path segment: empty, `.` or
/// `..`, or holding anything but letters, digits, `-`, `_`, `.` and `:`
/// (the domain-scoped `example.com:project` form).
fn check_project(project: &str) -> Result<(), Error> {
    let valid = !matches!(project, "" | "." | "..")
        && project.len() <= 100
        && project
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if valid {
        return Ok(());
    }
    Err(Error::Config {
        kind: ConfigKind::InvalidSetting,
        message: format!(
            "the Google Cloud project {:?} is not a project id: expected letters, digits, \
             '-', '_', '.' and ':' (and not '.' or '..')",
            project.chars().take(100).collect::<String>()
        ),
        source: None,
    })
}
