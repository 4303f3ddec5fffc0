//! The token endpoint, `POST /v1/oauth/token`: the jwt-bearer grant
//! (workload identity federation) and the refresh_token grant (user OAuth
//! profiles), sent through the client's own transport.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use claude_rs_transport::RequestBody;
use claude_rs_types::Secret;
use http::header::{CONTENT_TYPE, USER_AGENT};
use http::{HeaderValue, Method, Request, StatusCode};
use serde_json::{Map, Value, json};
use tower::ServiceExt;

use super::error::{CredentialStep, CredentialsError, redact_body};
use crate::core::client::Stack;
use crate::core::config::{OAUTH_BETA, user_agent};

/// The federation beta flag, sent on the jwt-bearer grant only.
const FEDERATION_BETA: &str = "oidc-federation-2026-04-01";
/// How long one exchange may take.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest answer read from the token endpoint.
const MAX_ANSWER: usize = 1024 * 1024;
/// The largest identity token sent.
pub(crate) const MAX_ASSERTION: usize = 16 * 1024;
/// `expires_in` of a refresh answer that has none.
const DEFAULT_REFRESH_LIFETIME: i64 = 3600;

/// An access token and when it expires (`None`: unknown, never refreshed).
#[derive(Clone)]
pub(crate) struct AccessToken {
    pub(crate) token: Secret,
    pub(crate) expires_at: Option<SystemTime>,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &self.token)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The answer of a refresh: the new token and, if rotated, the new
/// refresh token.
pub(crate) struct Refreshed {
    pub(crate) token: AccessToken,
    pub(crate) refresh_token: Option<Secret>,
    pub(crate) expires_in: i64,
}

/// Checks an exchange base: `https://`, or `http://` to a loopback host.
pub(crate) fn check_exchange_base(base: &str) -> Result<(), CredentialsError> {
    let lower = base.to_ascii_lowercase();
    let loopback = ["localhost", "127.0.0.1", "[::1]"].iter().any(|host| {
        lower
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_prefix(host))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
    });
    if lower.starts_with("https://") || loopback {
        return Ok(());
    }
    let shown = if base.contains('@') {
        String::new()
    } else {
        format!(" {base:?}")
    };
    Err(CredentialsError::new(
        CredentialStep::Settings,
        format!(
            "the token endpoint base URL{shown} must use https (http only to localhost, \
             127.0.0.1 or ::1)"
        ),
    ))
}

/// The jwt-bearer grant's body fields besides the assertion.
#[derive(Debug, Clone)]
pub(crate) struct FederationFields {
    pub(crate) rule_id: String,
    pub(crate) organization_id: String,
    pub(crate) service_account_id: Option<String>,
    pub(crate) workspace_id: Option<String>,
}

/// Exchanges an identity token for an access token.
pub(crate) async fn jwt_bearer(
    transport: &Stack,
    base: &str,
    fields: &FederationFields,
    assertion: &Secret,
) -> Result<AccessToken, CredentialsError> {
    let mut body = json!({
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "assertion": assertion.expose(),
        "federation_rule_id": fields.rule_id,
        "organization_id": fields.organization_id,
    });
    if let Some(id) = &fields.service_account_id {
        body["service_account_id"] = json!(id);
    }
    if let Some(id) = &fields.workspace_id {
        body["workspace_id"] = json!(id);
    }
    let beta = format!("{OAUTH_BETA},{FEDERATION_BETA}");
    let (status, request_id, answer) = post(transport, base, &beta, &body).await?;
    let fail = |step, message: String| {
        let mut error = CredentialsError::new(step, message);
        error.status = Some(status);
        error.request_id.clone_from(&request_id);
        error
    };
    if status.as_u16() >= 400 {
        let mut message = format!(
            "Token exchange failed (HTTP {}): {}",
            status.as_u16(),
            redact_body(&answer)
        );
        if status == StatusCode::UNAUTHORIZED {
            message.push_str(
                "; check that the federation rule matches this identity token's issuer, subject \
                 and audience",
            );
            if fields.workspace_id.is_none() {
                message.push_str(", and set ANTHROPIC_WORKSPACE_ID if the rule needs a workspace");
            }
        }
        return Err(fail(CredentialStep::TokenRefused, message));
    }
    let object = answer_object(&answer).map_err(|m| fail(CredentialStep::TokenResponse, m))?;
    if let Some(kind) = object.get("token_type")
        && !kind
            .as_str()
            .is_some_and(|k| k.eq_ignore_ascii_case("bearer"))
    {
        return Err(fail(
            CredentialStep::TokenResponse,
            "token_type is not \"bearer\"".to_owned(),
        ));
    }
    let token = access_token(&object).map_err(|m| fail(CredentialStep::TokenResponse, m))?;
    let expires_in = match object.get("expires_in") {
        Some(value) => seconds(value).ok_or_else(|| {
            fail(
                CredentialStep::TokenResponse,
                "expires_in is not a number of seconds".to_owned(),
            )
        })?,
        None => {
            return Err(fail(
                CredentialStep::TokenResponse,
                "the answer has no expires_in".to_owned(),
            ));
        }
    };
    Ok(AccessToken {
        token,
        expires_at: Some(after(expires_in)),
    })
}

/// Refreshes a user OAuth token.
pub(crate) async fn refresh(
    transport: &Stack,
    base: &str,
    client_id: &str,
    refresh_token: &Secret,
) -> Result<Refreshed, CredentialsError> {
    let body = json!({
        "grant_type": "refresh_token",
        "refresh_token": refresh_token.expose(),
        "client_id": client_id,
    });
    let (status, request_id, answer) = post(transport, base, OAUTH_BETA, &body).await?;
    let fail = |step, message: String| {
        let mut error = CredentialsError::new(step, message);
        error.status = Some(status);
        error.request_id.clone_from(&request_id);
        error
    };
    if status != StatusCode::OK {
        let message = format!(
            "user_oauth refresh failed (HTTP {}): {}",
            status.as_u16(),
            redact_body(&answer)
        );
        return Err(fail(CredentialStep::TokenRefused, message));
    }
    let object = answer_object(&answer).map_err(|m| fail(CredentialStep::TokenResponse, m))?;
    let token = access_token(&object).map_err(|m| fail(CredentialStep::TokenResponse, m))?;
    let expires_in = match object.get("expires_in") {
        None | Some(Value::Null) => DEFAULT_REFRESH_LIFETIME,
        Some(value) => value.as_i64().ok_or_else(|| {
            fail(
                CredentialStep::TokenResponse,
                "expires_in is not a whole number of seconds".to_owned(),
            )
        })?,
    };
    let refresh_token = object
        .get("refresh_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(Secret::new);
    Ok(Refreshed {
        token: AccessToken {
            token,
            expires_at: Some(after(expires_in)),
        },
        refresh_token,
        expires_in,
    })
}

/// Now plus `seconds` (which may be zero or negative: expired already).
pub(crate) fn after(seconds: i64) -> SystemTime {
    let now = SystemTime::now();
    if seconds >= 0 {
        now + Duration::from_secs(seconds.unsigned_abs())
    } else {
        now.checked_sub(Duration::from_secs(seconds.unsigned_abs()))
            .unwrap_or(now)
    }
}

/// Whole seconds from a JSON integer.
fn seconds(value: &Value) -> Option<i64> {
    value.as_i64()
}

fn answer_object(answer: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice(answer) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err("the answer is JSON but not an object".to_owned()),
        Err(_) => Err("the answer is not JSON".to_owned()),
    }
}

fn access_token(object: &Map<String, Value>) -> Result<Secret, String> {
    object
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(Secret::new)
        .ok_or_else(|| "the answer has no access_token".to_owned())
}

/// Sends one exchange; the status, request id and answer (at most 1 MiB).
async fn post(
    transport: &Stack,
    base: &str,
    beta: &str,
    body: &Value,
) -> Result<(StatusCode, Option<String>, Bytes), CredentialsError> {
    let url = format!("{base}/v1/oauth/token");
    let unreachable = |why: String| {
        CredentialsError::new(
            CredentialStep::TokenRequest,
            format!(
                "Failed to reach token endpoint {}: {why}",
                crate::core::backend::redact_userinfo(&url)
            ),
        )
    };
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let request = Request::builder()
        .method(Method::POST)
        .uri(&url)
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .header(USER_AGENT, user_agent())
        .header("anthropic-beta", beta)
        .body(RequestBody::from(Bytes::from(bytes)))
        .map_err(|_| unreachable("the URL is not valid".to_owned()))?;
    let exchange = async {
        let response = transport
            .clone()
            .oneshot(request)
            .await
            .map_err(|e| e.to_string())?;
        let (parts, body) = response.into_parts();
        let answer = body
            .collect_limited(MAX_ANSWER)
            .await
            .map_err(|e| match e {
                claude_rs_transport::Error::BodyTooLarge { limit } => {
                    format!("the answer is larger than {limit} bytes")
                }
                other => other.to_string(),
            })?;
        let request_id = parts
            .headers
            .get("request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok::<_, String>((parts.status, request_id, answer))
    };
    match tokio::time::timeout(EXCHANGE_TIMEOUT, exchange).await {
        Ok(result) => result.map_err(unreachable),
        Err(_) => Err(unreachable(format!("no answer in {EXCHANGE_TIMEOUT:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_bases_must_be_https_or_loopback() {
        for ok in [
            "https://api.anthropic.com",
            "http://localhost:8080",
            "http://127.0.0.1",
            "http://[::1]:9/x",
        ] {
            check_exchange_base(ok).unwrap();
        }
        for bad in [
            "http://api.example.com",
            "http://localhost.evil.com",
            "http://u:p@host",
        ] {
            let error = check_exchange_base(bad).unwrap_err();
            assert!(error.message.contains("must use https"), "{error}");
            assert!(!error.to_string().contains("u:p"), "{error}");
        }
    }
}
