//! Who may call: the first-party API key, and each platform's credentials
//! (SigV4 or a Bedrock API key, a Vertex access token, a Foundry key or
//! Entra ID token), checked only when the mock was given them.

use std::time::SystemTime;

use claude_rs_types::error::ErrorType;
use http::{HeaderMap, StatusCode};
use serde_json::json;

use super::sigv4::{self, Signed};
use super::{Call, Platform};
use crate::record::RecordedRequest;
use crate::response::{MockResponse, error};
pub(crate) use crate::vocab::PlatformAuth;

impl PlatformAuth {
    /// Whether the request carries the configured Bedrock API key.
    pub(crate) fn is_bedrock_key(&self, headers: &HeaderMap) -> bool {
        self.bedrock_api_key.is_some() && bearer(headers) == self.bedrock_api_key.as_deref()
    }
}

/// Whether the request is signed with SigV4.
pub(crate) fn is_sigv4(headers: &HeaderMap) -> bool {
    authorization(headers).is_some_and(|v| v.starts_with("AWS4-HMAC-SHA256"))
}

fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers.get("authorization").and_then(|v| v.to_str().ok())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    authorization(headers).and_then(|v| v.strip_prefix("Bearer "))
}

/// The refusal of a request whose credentials are missing or wrong, in
/// its platform's shape; `None` when it may go on.
pub(crate) fn check(
    keys: &PlatformAuth,
    api_key: Option<&str>,
    call: Option<&Call>,
    request: &RecordedRequest,
    authority: Option<&str>,
) -> Option<MockResponse> {
    let platform = call.map_or(Platform::Anthropic, |c| c.platform);
    let headers = &request.headers;
    match platform {
        Platform::Bedrock | Platform::BedrockMantle | Platform::BedrockControlPlane => {
            if keys.aws.is_none() && keys.bedrock_api_key.is_none() {
                return None;
            }
            if keys.is_bedrock_key(headers) {
                return None;
            }
            let service = match platform {
                Platform::Bedrock | Platform::BedrockControlPlane => "bedrock",
                _ => "bedrock-mantle",
            };
            let refusal = match (&keys.aws, is_sigv4(headers)) {
                (Some(aws), true) => {
                    let signed = Signed {
                        method: request.method.as_str(),
                        path: &request.path,
                        query: request.query.as_deref(),
                        headers,
                        authority,
                        body: &request.body,
                    };
                    sigv4::verify(&signed, aws, service, Some(SystemTime::now())).err()?
                }
                _ if authorization(headers).is_none() => sigv4::Refusal {
                    kind: "MissingAuthenticationTokenException",
                    message: "Missing Authentication Token".to_owned(),
                },
                _ => sigv4::Refusal {
                    kind: "UnrecognizedClientException",
                    message: "The security token included in the request is invalid.".to_owned(),
                },
            };
            Some(
                MockResponse::json(json!({ "message": refusal.message }))
                    .with_status(StatusCode::FORBIDDEN)
                    .with_header("x-amzn-errortype", refusal.kind),
            )
        }
        Platform::Vertex => {
            let token = keys.vertex_token.as_deref()?;
            (bearer(headers) != Some(token)).then(|| {
                MockResponse::json(json!({"error": {
                    "code": 401,
                    "message": "Request had invalid authentication credentials. Expected OAuth 2 \
                                access token, login cookie or other valid authentication credential.",
                    "status": "UNAUTHENTICATED",
                }}))
                .with_status(StatusCode::UNAUTHORIZED)
            })
        }
        Platform::Foundry if keys.foundry_api_key.is_some() || keys.foundry_token.is_some() => {
            let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
            let key = keys.foundry_api_key.as_deref();
            let key_ok = key.is_some() && (header("api-key") == key || header("x-api-key") == key);
            let token = keys.foundry_token.as_deref();
            let token_ok = token.is_some() && bearer(headers) == token;
            (!key_ok && !token_ok).then(|| {
                MockResponse::json(json!({"error": {
                    "code": "401",
                    "message": "Access denied due to invalid subscription key or wrong API \
                                endpoint. Make sure to provide a valid key for an active \
                                subscription and use a correct regional API endpoint for your \
                                resource.",
                }}))
                .with_status(StatusCode::UNAUTHORIZED)
            })
        }
        _ => first_party(api_key?, request),
    }
}

/// The API's own check: the key in `x-api-key` (or `Authorization:
/// Bearer`), else 401 `authentication_error`.
fn first_party(key: &str, request: &RecordedRequest) -> Option<MockResponse> {
    match (request.header("x-api-key"), bearer(&request.headers)) {
        (None, None) => Some(error(
            ErrorType::Authentication,
            "x-api-key header is required",
        )),
        (Some(given), _) | (None, Some(given)) if given != key => {
            Some(error(ErrorType::Authentication, "invalid x-api-key"))
        }
        _ => None,
    }
}
