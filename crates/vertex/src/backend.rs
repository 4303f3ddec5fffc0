//! [`Vertex`]: the backend (routing, body rewrites, bearer tokens).

use std::fmt;
use std::sync::Arc;

use claude_rs_client::backend::{
    Backend, Operation, TokenProvider, bearer_header, edit_json_body, set_url,
};
use claude_rs_client::encode::PCHAR_EXTRA;
use claude_rs_client::{ConfigKind, Error, InvalidRequestKind};
use claude_rs_transport::RequestBody;
use http::Request;
use http::header::AUTHORIZATION;
use serde_json::Value;

/// The body's API version for a client on `anthropic-version: 2023-06-01`;
/// a client on another version sends that version itself (the official
/// SDKs' pairing).
pub const VERTEX_API_VERSION: &str = "vertex-2023-10-16";

/// Claude on Google Vertex AI, as a [`Backend`] of the client.
///
/// Built by [`Vertex::builder`] or [`Vertex::from_env`]; see the
/// [crate docs](crate) for the set-up and what is sent.
#[derive(Clone)]
pub struct Vertex {
    pub(crate) base_url: String,
    pub(crate) region: String,
    pub(crate) project: Option<String>,
    pub(crate) tokens: Arc<dyn TokenProvider>,
}

impl fmt::Debug for Vertex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vertex")
            .field("base_url", &self.base_url)
            .field("region", &self.region)
            .field("project", &self.project)
            .field("tokens", &self.tokens)
            .finish()
    }
}

/// The Vertex base URL of a region.
pub fn region_base_url(region: &str) -> String {
    match region {
        "global" => "https://aiplatform.googleapis.com/v1".to_owned(),
        "us" => "https://aiplatform.us.rep.googleapis.com/v1".to_owned(),
        "eu" => "https://aiplatform.eu.rep.googleapis.com/v1".to_owned(),
        other => format!("https://{other}-aiplatform.googleapis.com/v1"),
    }
}

/// A model id as a path segment: everything outside RFC 3986's `pchar`
/// set is percent-encoded, and so is `;` (so a model id stays one
/// segment); an empty id, `.` or `..` is refused.
fn segment(text: &str) -> Result<std::borrow::Cow<'_, str>, Error> {
    claude_rs_client::encode::path_segment_keeping(text, PCHAR_EXTRA)
}

impl Vertex {
    /// The Google Cloud region (`global`, `us-east5`, ...).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The Google Cloud project, when known.
    pub fn project(&self) -> Option<&str> {
        self.project.as_deref()
    }
}

impl Backend for Vertex {
    fn name(&self) -> &'static str {
        "Google Vertex AI"
    }

    fn base_url(&self) -> &str {
        &self.base_url
    }

    fn prepare(
        &self,
        operation: Operation,
        request: &mut Request<RequestBody>,
    ) -> Result<(), Error> {
        if !matches!(
            operation,
            Operation::CreateMessage | Operation::StreamMessage | Operation::CountTokens
        ) {
            return Err(Error::Unsupported {
                operation,
                platform: self.name(),
            });
        }
        let Some(project) = self.project.as_deref() else {
            return Err(Error::Config {
                kind: ConfigKind::MissingSetting,
                message: "no Google Cloud project: call VertexBuilder::project, or set \
                          ANTHROPIC_VERTEX_PROJECT_ID (or use credentials that name one)"
                    .to_owned(),
                source: None,
            });
        };
        let version = match request.headers_mut().remove("anthropic-version") {
            Some(v) if v.as_bytes() != b"2023-06-01" && !v.is_empty() => {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            }
            _ => VERTEX_API_VERSION.to_owned(),
        };
        let keep_model = operation == Operation::CountTokens;
        let mut model = None;
        edit_json_body(request, |body| {
            model = if keep_model {
                body.get("model").cloned()
            } else {
                body.remove("model")
            };
            body.entry("anthropic_version")
                .or_insert(Value::String(version));
        })?;
        let Some(Value::String(model)) = model else {
            return Err(Error::InvalidRequest {
                kind: InvalidRequestKind::Body,
                message: "a Vertex request needs a string `model`".to_owned(),
                source: None,
            });
        };
        let prefix = format!(
            "/projects/{}/locations/{}/publishers/anthropic/models",
            segment(project)?,
            segment(&self.region)?
        );
        let path = match operation {
            Operation::CreateMessage => format!("{prefix}/{}:rawPredict", segment(&model)?),
            Operation::StreamMessage => format!("{prefix}/{}:streamRawPredict", segment(&model)?),
            _ => format!("{prefix}/count-tokens:rawPredict"),
        };
        set_url(request, &self.base_url, &path)
    }

    fn authorize<'a>(
        &'a self,
        request: &'a mut Request<RequestBody>,
    ) -> futures_util::future::BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            // A caller's own Authorization header is left alone.
            if request.headers().contains_key(AUTHORIZATION) {
                return Ok(());
            }
            let token = self.tokens.token().await?;
            let value = bearer_header(token.expose())?;
            request.headers_mut().insert(AUTHORIZATION, value);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_by_region() {
        assert_eq!(
            region_base_url("global"),
            "https://aiplatform.googleapis.com/v1"
        );
        assert_eq!(
            region_base_url("us"),
            "https://aiplatform.us.rep.googleapis.com/v1"
        );
        assert_eq!(
            region_base_url("eu"),
            "https://aiplatform.eu.rep.googleapis.com/v1"
        );
        assert_eq!(
            region_base_url("us-east5"),
            "https://us-east5-aiplatform.googleapis.com/v1"
        );
    }

    #[test]
    fn segments_keep_pchars_and_encode_the_rest() {
        assert_eq!(
            segment("claude-sonnet-4-5@20250929").unwrap(),
            "claude-sonnet-4-5@20250929"
        );
        assert_eq!(segment("a/b;c d").unwrap(), "a%2Fb%3Bc%20d");
        assert!(segment("..").is_err());
    }
}
