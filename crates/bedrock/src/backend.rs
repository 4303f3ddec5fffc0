//! [`Bedrock`]: the backend (routing, body rewrites, credentials, framing).

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use base64::Engine as _;
use bytes::Bytes;
use claude_rs_client::backend::{Backend, Framing, Operation, edit_json_body, set_url};
use claude_rs_client::{ApiError, Error, InvalidRequestKind};
use claude_rs_transport::{Body, RequestBody};
use claude_rs_types::error::ErrorType;
use futures_util::future::BoxFuture;
use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderValue, Request, StatusCode};
use serde_json::{Map, Value};

use crate::credentials::CredentialsProvider;

/// The body's API version for a client on `anthropic-version: 2023-06-01`;
/// a client on another version sends that version itself (the official
/// SDKs' pairing).
pub const BEDROCK_API_VERSION: &str = "bedrock-2023-05-31";

/// How requests authenticate.
#[derive(Clone)]
pub(crate) enum Auth {
    /// `Authorization: Bearer <Bedrock API key>`.
    Bearer(HeaderValue),
    /// SigV4 with credentials asked of the provider on every attempt.
    SigV4(Arc<dyn CredentialsProvider>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Auth::SigV4(provider) => f.debug_tuple("SigV4").field(provider).finish(),
        }
    }
}

/// Which Bedrock API the backend speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// InvokeModel: `/model/{model}/invoke...`, rewritten bodies, eventstream.
    InvokeModel,
    /// Mantle: the first-party Messages API on Bedrock, unchanged.
    Mantle,
}

/// Claude on Amazon Bedrock, as a [`Backend`] of the client.
///
/// Built by [`Bedrock::builder`] or [`Bedrock::from_env`]; see the
/// [crate docs](crate) for the set-up and what is sent.
#[derive(Clone)]
pub struct Bedrock {
    pub(crate) base_url: String,
    /// Where the Managed Agents control plane's calls go.
    pub(crate) control_plane_url: String,
    pub(crate) region: String,
    pub(crate) auth: Auth,
    pub(crate) flavor: Flavor,
}

impl fmt::Debug for Bedrock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bedrock")
            .field("base_url", &self.base_url)
            .field("control_plane_url", &self.control_plane_url)
            .field("region", &self.region)
            .field("auth", &self.auth)
            .field("flavor", &self.flavor)
            .finish()
    }
}

impl Bedrock {
    /// The AWS region requests are signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Where the Managed Agents calls (`/v1/agents...`, `/v1/sessions...`,
    /// `/v1/memory_stores...`) go: `https://bedrock.{region}.amazonaws.com/anthropic`
    /// unless set (see [`BedrockBuilder`](crate::BedrockBuilder)).
    pub fn control_plane_url(&self) -> &str {
        &self.control_plane_url
    }

    /// The SigV4 service name: `bedrock`, or `bedrock-mantle`.
    pub fn signing_name(&self) -> &'static str {
        match self.flavor {
            Flavor::InvokeModel => "bedrock",
            Flavor::Mantle => "bedrock-mantle",
        }
    }

    /// Routes and rewrites an InvokeModel call.
    fn prepare_invoke(
        &self,
        operation: Operation,
        request: &mut Request<RequestBody>,
    ) -> Result<(), Error> {
        let action = match operation {
            Operation::CreateMessage => "invoke",
            Operation::StreamMessage => "invoke-with-response-stream",
            Operation::CountTokens => "count-tokens",
            _ => {
                return Err(Error::Unsupported {
                    operation,
                    platform: self.name(),
                });
            }
        };
        let headers = request.headers_mut();
        let version = match headers.remove("anthropic-version") {
            Some(v) if v.as_bytes() == b"2023-06-01" || v.is_empty() => {
                BEDROCK_API_VERSION.to_owned()
            }
            Some(v) => String::from_utf8_lossy(v.as_bytes()).into_owned(),
            None => BEDROCK_API_VERSION.to_owned(),
        };
        let betas: Vec<Value> = headers
            .get_all("anthropic-beta")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| Value::String(v.to_owned()))
            .collect();
        let profile = headers
            .remove("anthropic-user-profile-id")
            .and_then(|v| v.to_str().ok().map(str::to_owned));
        let mut model = None;
        edit_json_body(request, |body| {
            model = body.remove("model");
            body.remove("stream");
            body.entry("anthropic_version")
                .or_insert(Value::String(version));
            if !betas.is_empty() {
                body.insert("anthropic_beta".to_owned(), Value::Array(betas));
            }
            if let Some(profile) = profile {
                body.insert("user_profile_id".to_owned(), Value::String(profile));
            }
            if operation == Operation::CountTokens {
                // InvokeModel bodies require max_tokens; it does not change
                // the input count.
                body.entry("max_tokens").or_insert(Value::from(1));
            }
        })?;
        let model = match model {
            Some(Value::String(model)) => model,
            _ => {
                return Err(Error::InvalidRequest {
                    kind: InvalidRequestKind::Body,
                    message: "a Bedrock request needs a string `model` (it goes in the path)"
                        .to_owned(),
                    source: None,
                });
            }
        };
        if operation == Operation::CountTokens {
            wrap_count_tokens(request)?;
        }
        let path = format!("/model/{}/{action}", encode_model(&model)?);
        set_url(request, &self.base_url, &path)
    }
}

/// Bedrock's CountTokens body: `{"input":{"invokeModel":{"body":"<base64>"}}}`.
fn wrap_count_tokens(request: &mut Request<RequestBody>) -> Result<(), Error> {
    let Some(invoke) = request.body().as_bytes() else {
        return Ok(());
    };
    let encoded = base64::engine::general_purpose::STANDARD.encode(invoke);
    let wrapped = serde_json::json!({"input": {"invokeModel": {"body": encoded}}});
    let bytes = serde_json::to_vec(&wrapped).map_err(|e| Error::InvalidRequest {
        kind: InvalidRequestKind::Body,
        message: "cannot encode the CountTokens body".to_owned(),
        source: Some(Box::new(e)),
    })?;
    *request.body_mut() = RequestBody::from(Bytes::from(bytes));
    Ok(())
}

/// The model id as a path segment, encoded as the official Python SDK
/// does: everything but letters, digits, `_.-~`, `:` and `;` is
/// percent-encoded (so an inference-profile ARN's `/` is `%2F`).
pub fn encode_model(model: &str) -> Result<String, Error> {
    claude_rs_client::encode::path_segment_keeping(model, b":;").map(Into::into)
}

impl Backend for Bedrock {
    fn name(&self) -> &'static str {
        match self.flavor {
            Flavor::InvokeModel => "Amazon Bedrock",
            Flavor::Mantle => "Amazon Bedrock (Mantle)",
        }
    }

    fn base_url(&self) -> &str {
        &self.base_url
    }

    fn prepare(
        &self,
        operation: Operation,
        request: &mut Request<RequestBody>,
    ) -> Result<(), Error> {
        match self.flavor {
            Flavor::InvokeModel => match operation {
                Operation::ManagedAgents { resource }
                    if crate::control_plane::RESOURCES.contains(&resource) =>
                {
                    crate::control_plane::prepare(&self.control_plane_url, request)
                }
                _ => self.prepare_invoke(operation, request),
            },
            // Only Anthropic's own API serves the Admin API: its admin key
            // never goes to another platform.
            Flavor::Mantle if operation == Operation::Admin => Err(Error::Unsupported {
                operation,
                platform: self.name(),
            }),
            Flavor::Mantle => {
                if let Some(profile) = request.headers_mut().remove("anthropic-user-profile-id") {
                    let profile = profile.to_str().unwrap_or_default().to_owned();
                    edit_json_body(request, |body| {
                        body.insert("user_profile_id".to_owned(), Value::String(profile));
                    })?;
                }
                let path = request
                    .uri()
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_owned();
                set_url(request, &self.base_url, &path)
            }
        }
    }

    fn authorize<'a>(
        &'a self,
        request: &'a mut Request<RequestBody>,
    ) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            match &self.auth {
                Auth::Bearer(value) => {
                    request.headers_mut().insert(AUTHORIZATION, value.clone());
                    Ok(())
                }
                Auth::SigV4(provider) => {
                    let credentials = provider.credentials().await?;
                    crate::sigv4::sign(
                        request,
                        &credentials,
                        &self.region,
                        self.signing_name(),
                        SystemTime::now(),
                    )
                }
            }
        })
    }

    fn stream_framing(&self, headers: &HeaderMap, body: Body) -> Framing {
        // The control plane's session streams are server-sent events.
        let sse = headers
            .get(http::header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
        match self.flavor {
            Flavor::InvokeModel if sse => Framing::Sse(body),
            Flavor::InvokeModel => Framing::Events(crate::stream::events(headers, body)),
            Flavor::Mantle => Framing::Sse(body),
        }
    }

    fn error_details(
        &self,
        _: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Option<(Option<ErrorType>, String)> {
        crate::errors::error_details(headers, body)
    }

    fn request_id<'h>(&self, headers: &'h HeaderMap) -> Option<&'h str> {
        crate::errors::request_id(headers)
    }

    fn is_retryable(&self, error: &ApiError) -> Option<bool> {
        crate::errors::is_retryable(error.error_type.as_ref()?.as_str())
    }

    fn response_json(&self, operation: Operation, body: Bytes) -> Result<Bytes, Error> {
        if self.flavor != Flavor::InvokeModel || operation != Operation::CountTokens {
            return Ok(body);
        }
        // `{"inputTokens": N}` as the API's `{"input_tokens": N}`.
        let Ok(Value::Object(mut object)) = serde_json::from_slice::<Value>(&body) else {
            return Ok(body);
        };
        let Some(count) = object.remove("inputTokens") else {
            return Ok(body);
        };
        let mut answer = Map::new();
        answer.insert("input_tokens".to_owned(), count);
        Ok(Bytes::from(Value::Object(answer).to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_are_encoded_like_the_python_sdk() {
        assert_eq!(
            encode_model("anthropic.claude-3-5-sonnet-20241022-v2:0").unwrap(),
            "anthropic.claude-3-5-sonnet-20241022-v2:0"
        );
        assert_eq!(
            encode_model(
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0"
            )
            .unwrap(),
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile%2Fus.anthropic.claude-sonnet-4-20250514-v1:0"
        );
        assert_eq!(encode_model("a b?#é;").unwrap(), "a%20b%3F%23%C3%A9;");
        for bad in ["", ".", ".."] {
            assert!(matches!(
                encode_model(bad),
                Err(Error::InvalidRequest { .. })
            ));
        }
    }
}
