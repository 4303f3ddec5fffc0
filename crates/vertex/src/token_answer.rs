//! A token endpoint's answer: `{"access_token", "expires_in"}`, or an
//! OAuth error typed as retryable or not.

use std::time::{Duration, Instant};

use claude_rs_client::Error;
use claude_rs_types::Secret;
use http::{StatusCode, Uri};
use serde::Deserialize;

/// Tokens are refreshed this long before they expire (google-auth's margin).
pub const REFRESH_MARGIN: Duration = Duration::from_secs(225);

/// A token and when to stop using it.
pub(crate) struct Cached {
    pub(crate) token: Secret,
    pub(crate) refresh_at: Instant,
}

/// Assumed when the answer has no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

#[derive(Deserialize)]
struct Answer {
    access_token: Option<String>,
    /// Seconds, as a number or a numeric string.
    expires_in: Option<serde_json::Value>,
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
) -> Result<Cached, Error> {
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
    let lifetime = lifetime(expires_in.as_ref());
    // A token given no life (0 or less) is used once and replaced at the
    // next request.
    Ok(Cached {
        token: Secret::new(token),
        refresh_at: sent + lifetime.saturating_sub(REFRESH_MARGIN),
    })
}

/// The lifetime an `expires_in` announces: a number or a numeric string
/// of seconds; 0 or less is no life at all; absent or unreadable, an hour.
fn lifetime(expires_in: Option<&serde_json::Value>) -> Duration {
    let seconds = match expires_in {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match seconds {
        Some(s) if s.is_finite() && s > 0.0 => Duration::from_secs_f64(s.min(1e9)),
        Some(s) if s.is_finite() => Duration::ZERO,
        _ => DEFAULT_LIFETIME,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refresh_in(body: &str) -> Duration {
        let sent = Instant::now();
        let endpoint: Uri = "https://oauth2.googleapis.com/token".parse().unwrap();
        let cached = read(&endpoint, StatusCode::OK, body.as_bytes(), sent).unwrap();
        cached.refresh_at.saturating_duration_since(sent)
    }

    #[test]
    fn expires_in_of_zero_or_less_is_expired_and_a_numeric_string_is_a_number() {
        for expired in ["0", "-5", "\"0\"", "\"-1\""] {
            let body = format!(r#"{{"access_token":"ya29.t","expires_in":{expired}}}"#);
            assert_eq!(refresh_in(&body), Duration::ZERO, "{expired}");
        }
        let as_string = refresh_in(r#"{"access_token":"ya29.t","expires_in":"3599"}"#);
        let as_number = refresh_in(r#"{"access_token":"ya29.t","expires_in":3599}"#);
        assert_eq!(as_string, as_number);
        assert!(as_number > Duration::from_secs(3000), "{as_number:?}");
        let absent = refresh_in(r#"{"access_token":"ya29.t"}"#);
        assert_eq!(absent, DEFAULT_LIFETIME.saturating_sub(REFRESH_MARGIN));
    }
}
