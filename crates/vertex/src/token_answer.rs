//! A token endpoint's answer: `{"access_token", "expires_in"}`, or an
//! OAuth error typed as retryable or not.

use std::time::{Duration, Instant};

use claude_rs_client::Error;
use claude_rs_types::config::Secret;
use http::{StatusCode, Uri};
use serde::Deserialize;

use crate::google::REFRESH_MARGIN;

/// Assumed when the answer has no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

#[derive(Deserialize)]
struct Answer {
    access_token: Option<String>,
    expires_in: Option<f64>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Reads a token (refreshed [`REFRESH_MARGIN`] before it expires, counted
/// from when the request was sent) or a typed error: 408, 429 and 5xx, and
/// unreadable answers, are transient (retried like connection failures);
/// other statuses are not. Messages carry the endpoint and the OAuth error
/// code and description, never a token or the request.
pub(crate) fn read(
    endpoint: &Uri,
    status: StatusCode,
    body: &[u8],
    sent: Instant,
) -> Result<super::google::Cached, Error> {
    let answer: Option<Answer> = serde_json::from_slice(body).ok();
    let transient = matches!(status.as_u16(), 408 | 429 | 500..);
    if !status.is_success() {
        let why = answer
            .as_ref()
            .map(|a| {
                let code = a.error.as_deref().unwrap_or("no error code");
                match &a.error_description {
                    Some(text) => format!("{code}: {text}"),
                    None => code.to_owned(),
                }
            })
            .unwrap_or_else(|| "an answer that is not OAuth JSON".to_owned());
        return Err(Error::Credentials {
            message: format!("the token endpoint {endpoint} answered {status} ({why})"),
            transient,
            source: None,
        });
    }
    let Some(Answer {
        access_token: Some(token),
        expires_in,
        ..
    }) = answer.filter(|a| a.access_token.as_deref().is_some_and(|t| !t.is_empty()))
    else {
        return Err(Error::Credentials {
            message: format!("the token endpoint {endpoint} answered without an access_token"),
            transient: true,
            source: None,
        });
    };
    let lifetime = expires_in
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(DEFAULT_LIFETIME, |s| Duration::from_secs_f64(s.min(1e9)));
    Ok(super::google::Cached {
        token: Secret::new(token),
        refresh_at: sent + lifetime.saturating_sub(REFRESH_MARGIN),
    })
}
