//! [`WebhookError`]: why a delivery was not accepted.

use std::fmt;
use std::time::Duration;

/// Why a webhook delivery (or a signing key) was refused.
///
/// `Display` says what was wrong and where; it never shows the signing
/// key, a signature or the body.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// No signing key was given and `ANTHROPIC_WEBHOOK_SIGNING_KEY` is not
    /// set (or is empty).
    MissingKey,
    /// The signing key is not `whsec_` followed by base64 (or decodes to
    /// nothing).
    InvalidKey {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A header the delivery needs is missing or empty.
    MissingHeader {
        /// The header's name (`webhook-id`, `webhook-timestamp`,
        /// `webhook-signature`).
        name: &'static str,
    },
    /// A header is present but cannot be read.
    InvalidHeader {
        /// The header's name.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// `webhook-timestamp` is further in the past than the tolerance: a
    /// delivery replayed, or held too long.
    TimestampTooOld {
        /// How far in the past it is.
        age: Duration,
        /// The tolerance it exceeds.
        tolerance: Duration,
    },
    /// `webhook-timestamp` is further in the future than the tolerance.
    TimestampInFuture {
        /// How far in the future it is.
        ahead: Duration,
        /// The tolerance it exceeds.
        tolerance: Duration,
    },
    /// No signature of `webhook-signature` matches the body signed with
    /// the key: the body, id or timestamp was altered, or the key is not
    /// the endpoint's.
    SignatureMismatch,
    /// The signature is valid but the body is not the expected event JSON.
    Decode(serde_json::Error),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingKey => f.write_str(
                "no webhook signing key: pass one, or set ANTHROPIC_WEBHOOK_SIGNING_KEY",
            ),
            WebhookError::InvalidKey { reason } => {
                write!(f, "invalid webhook signing key: {reason}")
            }
            WebhookError::MissingHeader { name } => {
                write!(f, "the webhook delivery has no {name} header")
            }
            WebhookError::InvalidHeader { name, reason } => {
                write!(
                    f,
                    "the webhook delivery's {name} header is invalid: {reason}"
                )
            }
            WebhookError::TimestampTooOld { age, tolerance } => write!(
                f,
                "the webhook delivery's timestamp is {}s old, more than the {}s tolerance",
                age.as_secs(),
                tolerance.as_secs()
            ),
            WebhookError::TimestampInFuture { ahead, tolerance } => write!(
                f,
                "the webhook delivery's timestamp is {}s in the future, more than the {}s \
                 tolerance",
                ahead.as_secs(),
                tolerance.as_secs()
            ),
            WebhookError::SignatureMismatch => f.write_str(
                "no signature of the webhook delivery matches its body and the signing key",
            ),
            WebhookError::Decode(_) => {
                f.write_str("the webhook delivery is signed but its body is not the expected JSON")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Decode(error) => Some(error),
            _ => None,
        }
    }
}
