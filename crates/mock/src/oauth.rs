//! `POST /v1/oauth/token`: the token endpoint, with the jwt-bearer grant
//! (workload identity federation) and the refresh_token grant (user OAuth),
//! issuing access tokens that expire and that the other routes accept as
//! `Authorization: Bearer`.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::record::RecordedRequest;
use crate::response::MockResponse;

/// The endpoint's path.
pub(crate) const PATH: &str = "/v1/oauth/token";
const OAUTH_BETA: &str = "oauth-2025-04-20";
const FEDERATION_BETA: &str = "oidc-federation-2026-04-01";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// What the token endpoint accepts, chosen with the builder.
#[derive(Debug, Clone)]
pub(crate) struct OAuthConfig {
    /// Federation rules as `(rule id, organization id)`; empty accepts any.
    pub(crate) rules: Vec<(String, String)>,
    /// User OAuth clients as `(client id, first refresh token)`.
    pub(crate) clients: Vec<(String, String)>,
    /// The `expires_in` of issued tokens.
    pub(crate) lifetime: i64,
}

impl Default for OAuthConfig {
    fn default() -> Self {
        Self {
            rules: Vec::new(),
            clients: Vec::new(),
            lifetime: 3600,
        }
    }
}

impl OAuthConfig {
    /// Whether bearer tokens are checked (rules or clients were given).
    pub(crate) fn enforced(&self) -> bool {
        !self.rules.is_empty() || !self.clients.is_empty()
    }
}

/// Tokens issued so far.
#[derive(Debug, Default)]
pub(crate) struct Issued {
    inner: Mutex<IssuedInner>,
}

#[derive(Debug, Default)]
struct IssuedInner {
    count: u64,
    /// Access token to its expiry.
    access: HashMap<String, Instant>,
    /// Live refresh token to its client id.
    refresh: HashMap<String, String>,
    seeded: bool,
}

/// What an `Authorization: Bearer` token is to the mock.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Bearer {
    Valid,
    Expired,
    Unknown,
}

impl Issued {
    fn lock(&self) -> MutexGuard<'_, IssuedInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Checks a bearer token against the issued ones.
    pub(crate) fn check(&self, token: &str) -> Bearer {
        match self.lock().access.get(token) {
            Some(expiry) if Instant::now() < *expiry => Bearer::Valid,
            Some(_) => Bearer::Expired,
            None => Bearer::Unknown,
        }
    }

    fn issue(&self, config: &OAuthConfig, client: Option<&str>) -> Value {
        let mut inner = self.lock();
        inner.count += 1;
        let n = inner.count;
        let token = format!("sk-ant-oat01-mock-{n:06}");
        let lifetime = Duration::from_secs(config.lifetime.max(0).unsigned_abs());
        inner
            .access
            .insert(token.clone(), Instant::now() + lifetime);
        let mut answer = json!({
            "access_token": token,
            "token_type": "bearer",
            "expires_in": config.lifetime,
        });
        if let Some(client) = client {
            let refresh = format!("sk-ant-ort01-mock-{n:06}");
            inner.refresh.insert(refresh.clone(), client.to_owned());
            answer["refresh_token"] = json!(refresh);
        }
        answer
    }
}

/// An OAuth error answer (`{"error": ..., "error_description": ...}`).
fn refuse(status: StatusCode, error: &str, description: &str) -> MockResponse {
    MockResponse::json(json!({"error": error, "error_description": description}))
        .with_status(status)
}

/// Answers one request to the token endpoint.
pub(crate) fn token(
    config: &OAuthConfig,
    issued: &Issued,
    request: &RecordedRequest,
) -> MockResponse {
    if request.method != Method::POST {
        return refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request",
            "use POST",
        );
    }
    let betas: Vec<&str> = request
        .header("anthropic-beta")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .collect();
    if !betas.contains(&OAUTH_BETA) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the anthropic-beta header must include oauth-2025-04-20",
        );
    }
    let Some(Value::Object(body)) = &request.json else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the body must be a JSON object",
        );
    };
    let field = |name: &str| {
        body.get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    match field("grant_type") {
        Some(JWT_BEARER) => {
            if !betas.contains(&FEDERATION_BETA) {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "the jwt-bearer grant needs the oidc-federation-2026-04-01 beta",
                );
            }
            let (Some(assertion), Some(rule), Some(org)) = (
                field("assertion"),
                field("federation_rule_id"),
                field("organization_id"),
            ) else {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "assertion, federation_rule_id and organization_id are required",
                );
            };
            let jwt = assertion.split('.').count() == 3 && !assertion.split('.').any(str::is_empty);
            if !jwt {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "the assertion is not a JWT",
                );
            }
            let known =
                config.rules.is_empty() || config.rules.iter().any(|(r, o)| r == rule && o == org);
            if !known {
                return refuse(
                    StatusCode::UNAUTHORIZED,
                    "invalid_grant",
                    "no federation rule matches this assertion",
                );
            }
            MockResponse::json(issued.issue(config, None))
        }
        Some("refresh_token") => {
            let (Some(refresh), Some(client)) = (field("refresh_token"), field("client_id")) else {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "refresh_token and client_id are required",
                );
            };
            let mut inner = issued.lock();
            if !inner.seeded {
                inner.seeded = true;
                for (id, token) in &config.clients {
                    inner.refresh.insert(token.clone(), id.clone());
                }
            }
            // A refresh token is used once: the answer rotates it.
            match inner.refresh.remove(refresh) {
                Some(owner) if owner == client => {
                    drop(inner);
                    MockResponse::json(issued.issue(config, Some(client)))
                }
                _ => refuse(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "the refresh token is invalid, expired or was already used",
                ),
            }
        }
        _ => refuse(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be urn:ietf:params:oauth:grant-type:jwt-bearer or refresh_token",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Platform;
    use crate::response::ReplyBody;

    fn request(beta: &str, body: Value) -> RecordedRequest {
        let mut headers = http::HeaderMap::new();
        headers.insert("anthropic-beta", beta.parse().unwrap());
        RecordedRequest {
            method: Method::POST,
            path: PATH.to_owned(),
            query: None,
            headers,
            body: body.to_string().into(),
            json: Some(body),
            route: None,
            platform: Platform::Anthropic,
            route_index: 1,
        }
    }

    fn answer(reply: &MockResponse) -> (u16, Value) {
        let ReplyBody::Json(value) = &reply.body else {
            panic!("not JSON: {reply:?}")
        };
        (reply.status.map_or(200, |s| s.as_u16()), value.clone())
    }

    const BOTH: &str = "oauth-2025-04-20,oidc-federation-2026-04-01";

    fn jwt_bearer(assertion: &str, rule: &str) -> Value {
        json!({"grant_type": JWT_BEARER, "assertion": assertion,
               "federation_rule_id": rule, "organization_id": "org"})
    }

    #[test]
    fn the_jwt_bearer_grant_issues_expiring_tokens_and_refuses_as_oauth_does() {
        let config = OAuthConfig {
            rules: vec![("rule".into(), "org".into())],
            ..OAuthConfig::default()
        };
        let issued = Issued::default();
        let (status, ok) = answer(&token(
            &config,
            &issued,
            &request(BOTH, jwt_bearer("a.b.c", "rule")),
        ));
        assert_eq!(status, 200);
        assert_eq!(ok["token_type"], "bearer");
        assert_eq!(ok["expires_in"], 3600);
        assert_eq!(
            issued.check(ok["access_token"].as_str().unwrap()),
            Bearer::Valid
        );
        assert_eq!(issued.check("other"), Bearer::Unknown);
        for (beta, body, status, error) in [
            (BOTH, jwt_bearer("a.b.c", "other"), 401, "invalid_grant"),
            (BOTH, jwt_bearer("not-a-jwt", "rule"), 400, "invalid_grant"),
            (
                "oauth-2025-04-20",
                jwt_bearer("a.b.c", "rule"),
                400,
                "invalid_request",
            ),
            ("", jwt_bearer("a.b.c", "rule"), 400, "invalid_request"),
            (
                BOTH,
                json!({"grant_type": "password"}),
                400,
                "unsupported_grant_type",
            ),
        ] {
            let (got, value) = answer(&token(&config, &issued, &request(beta, body.clone())));
            assert_eq!(
                (got, value["error"].as_str()),
                (status, Some(error)),
                "{body}"
            );
        }
    }

    #[test]
    fn refresh_tokens_rotate_and_are_used_once() {
        let config = OAuthConfig {
            clients: vec![("client".into(), "first".into())],
            lifetime: 0,
            ..OAuthConfig::default()
        };
        let issued = Issued::default();
        let refresh = |token_: &str| {
            let body = json!({"grant_type": "refresh_token", "refresh_token": token_, "client_id": "client"});
            answer(&token(&config, &issued, &request("oauth-2025-04-20", body)))
        };
        let (status, first) = refresh("first");
        assert_eq!(status, 200);
        assert_eq!(
            issued.check(first["access_token"].as_str().unwrap()),
            Bearer::Expired
        );
        assert_eq!(refresh("first").1["error"], "invalid_grant");
        let (status, _) = refresh(first["refresh_token"].as_str().unwrap());
        assert_eq!(status, 200);
    }
}
