//! Verifies and parses the webhook deliveries of the Claude API.
//!
//! The API signs each delivery as [Standard Webhooks] does: three headers,
//! `webhook-id` (the delivery's id, the same on every retry),
//! `webhook-timestamp` (seconds since the Unix epoch) and
//! `webhook-signature` (`v1,<base64>` entries separated by spaces, more
//! than one while a key is rotated), where each signature is the
//! HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` with the
//! endpoint's signing key (`whsec_` followed by base64, shown when the
//! endpoint is created). A [`Webhook`] holds that key and checks a
//! delivery:
//!
//! * the three headers are there and readable;
//! * the timestamp is within 5 minutes of now, either way (a replayed or
//!   held delivery fails; the tolerance can be changed);
//! * one of the `v1` signatures matches, compared in constant time (any
//!   match passes; other versions are ignored).
//!
//! [`Webhook::unwrap`] then parses the body as the event type you give:
//! the event union of the Managed Agents and Admin crates (its catch-all
//! keeps event types it does not know), your own type, or
//! `serde_json::Value`. Every refusal is a [`WebhookError`] that says what
//! was wrong; none shows the key, a signature or the body.
//!
//! Pass the body exactly as received, before any JSON parsing: the
//! signature covers its bytes. The key comes from [`Webhook::new`], or
//! `ANTHROPIC_WEBHOOK_SIGNING_KEY` with [`Webhook::from_env`].
//!
//! ```
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//! use claude_rs_types::Secret;
//! use claude_rs_webhooks::{Webhook, WebhookError};
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct Event {
//!     id: String,
//!     data: serde_json::Value,
//! }
//!
//! let webhook = Webhook::new(&Secret::new("whsec_c2lnbmluZy1rZXktZm9yLWRvY3M="))?;
//! // A delivery as your web framework hands it over.
//! let body = br#"{"type":"event","id":"wevt_1","data":{"type":"session.created"}}"#;
//! let sent_at = 1_765_123_200;
//! let signature = webhook.sign("msg_1", sent_at, body);
//! let headers = [
//!     ("webhook-id", "msg_1".to_owned()),
//!     ("webhook-timestamp", sent_at.to_string()),
//!     ("webhook-signature", signature),
//! ];
//! let now = UNIX_EPOCH + Duration::from_secs(sent_at + 10);
//!
//! let event: Event = webhook.unwrap(&headers, body, now)?;
//! assert_eq!(event.id, "wevt_1");
//! assert_eq!(event.data["type"], "session.created");
//!
//! // A body altered on the way, or a delivery replayed an hour later, fails.
//! let altered = br#"{"type":"event","id":"wevt_2","data":{}}"#;
//! assert!(matches!(webhook.verify(&headers, altered, now), Err(WebhookError::SignatureMismatch)));
//! let later = now + Duration::from_secs(3600);
//! assert!(matches!(
//!     webhook.verify(&headers, body, later),
//!     Err(WebhookError::TimestampTooOld { .. })
//! ));
//! # let _ = SystemTime::now();
//! # Ok::<(), WebhookError>(())
//! ```
//!
//! # Crypto
//!
//! HMAC-SHA256 and the constant-time comparison come from the crypto
//! library the client's TLS already uses: aws-lc-rs by default, or `ring`
//! with default features off and the `ring` feature on (as the client's
//! own features), so no second crypto library is built.
//!
//! [Standard Webhooks]: https://www.standardwebhooks.com/

mod error;
mod headers;
mod key;
mod verify;

#[cfg(feature = "aws-lc-rs")]
use aws_lc_rs as crypto;
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
use ring as crypto;

#[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
compile_error!(
    "claude-rs-webhooks needs a crypto library: enable the `aws-lc-rs` or `ring` feature"
);

pub use error::WebhookError;
pub use headers::WebhookHeaders;
pub use verify::{
    DEFAULT_TOLERANCE, SIGNING_KEY_VARIABLE, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP,
    Webhook,
};
