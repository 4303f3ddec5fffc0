//! [`Webhook`]: verifies a delivery's signature and timestamp, and parses
//! its body.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use claude_rs_types::Secret;
use serde::de::DeserializeOwned;

use crate::error::WebhookError;
use crate::headers::WebhookHeaders;
use crate::key::{BASE64, SigningKey};

/// The header naming the delivery (the same on every retry of it).
pub const WEBHOOK_ID: &str = "webhook-id";
/// The header holding the delivery's time, in seconds since the Unix epoch.
pub const WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
/// The header holding the delivery's signatures: `v1,<base64>` entries
/// separated by spaces (more than one while a key is rotated).
pub const WEBHOOK_SIGNATURE: &str = "webhook-signature";
/// The variable [`Webhook::from_env`] reads the signing key from.
pub const SIGNING_KEY_VARIABLE: &str = "ANTHROPIC_WEBHOOK_SIGNING_KEY";
/// How far a delivery's timestamp may be from now, either way: 5 minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The verifier of an endpoint's deliveries: its signing key and the
/// timestamp tolerance. Build it once and share it; its `Debug` never shows
/// the key. See the [crate docs](crate).
#[derive(Debug)]
pub struct Webhook {
    key: SigningKey,
    tolerance: Duration,
}

impl Webhook {
    /// A verifier with the endpoint's signing key, `whsec_` followed by
    /// base64 (as the Console shows it). A key that is not that is
    /// [`WebhookError::InvalidKey`].
    pub fn new(key: &Secret) -> Result<Self, WebhookError> {
        Ok(Self {
            key: SigningKey::parse(key)?,
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// A verifier with the key in `ANTHROPIC_WEBHOOK_SIGNING_KEY`;
    /// [`WebhookError::MissingKey`] when it is not set or empty.
    pub fn from_env() -> Result<Self, WebhookError> {
        Self::from_env_lookup(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env), reading the variable through `lookup`
    /// instead of the process environment.
    pub fn from_env_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, WebhookError> {
        match lookup(SIGNING_KEY_VARIABLE) {
            Some(key) if !key.trim().is_empty() => Self::new(&Secret::new(key)),
            _ => Err(WebhookError::MissingKey),
        }
    }

    /// How far a delivery's timestamp may be from now, either way (default
    /// [`DEFAULT_TOLERANCE`], 5 minutes). A delivery exactly at the limit
    /// passes.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Verifies a delivery received at `now` (usually `SystemTime::now()`):
    /// its `webhook-id`, `webhook-timestamp` and `webhook-signature`
    /// headers, and `body`, the raw bytes exactly as received.
    ///
    /// It passes when the timestamp is within the tolerance of `now` and
    /// one of the `v1,` signatures is the HMAC-SHA256 of
    /// `{webhook-id}.{webhook-timestamp}.{body}` with the signing key
    /// (compared in constant time); entries of other versions are ignored.
    pub fn verify<H: WebhookHeaders + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let id = required(headers, WEBHOOK_ID)?;
        let timestamp = parse_timestamp(required(headers, WEBHOOK_TIMESTAMP)?)?;
        let signatures = parse_signatures(required(headers, WEBHOOK_SIGNATURE)?)?;
        self.check_time(timestamp, now)?;
        let signed = signed_content(id, timestamp, body);
        if signatures.iter().any(|tag| self.key.verify(&signed, tag)) {
            Ok(())
        } else {
            Err(WebhookError::SignatureMismatch)
        }
    }

    /// [`verify`](Self::verify)s a delivery, then parses its body as `T`:
    /// the event union (whose catch-all keeps events of types it does not
    /// know), or `serde_json::Value`. A body that is not `T` is
    /// [`WebhookError::Decode`].
    pub fn unwrap<T: DeserializeOwned, H: WebhookHeaders + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<T, WebhookError> {
        self.verify(headers, body, now)?;
        serde_json::from_slice(body).map_err(WebhookError::Decode)
    }

    /// The `webhook-signature` entry (`v1,<base64>`) of a delivery of
    /// `body` with this id and timestamp: for tests of your own endpoint,
    /// or to send deliveries of your own.
    pub fn sign(&self, id: &str, timestamp: u64, body: &[u8]) -> String {
        let tag = self.key.sign(&signed_content(id, timestamp, body));
        format!("v1,{}", BASE64.encode(tag))
    }

    /// Refuses a timestamp further than the tolerance from `now`.
    fn check_time(&self, timestamp: u64, now: SystemTime) -> Result<(), WebhookError> {
        let Some(sent) = UNIX_EPOCH.checked_add(Duration::from_secs(timestamp)) else {
            return Err(WebhookError::InvalidHeader {
                name: WEBHOOK_TIMESTAMP,
                reason: "the time is out of range",
            });
        };
        match now.duration_since(sent) {
            Ok(age) if age > self.tolerance => Err(WebhookError::TimestampTooOld {
                age,
                tolerance: self.tolerance,
            }),
            Ok(_) => Ok(()),
            Err(ahead) if ahead.duration() > self.tolerance => {
                Err(WebhookError::TimestampInFuture {
                    ahead: ahead.duration(),
                    tolerance: self.tolerance,
                })
            }
            Err(_) => Ok(()),
        }
    }
}

/// A header that must be there and not empty.
fn required<'h, H: WebhookHeaders + ?Sized>(
    headers: &'h H,
    name: &'static str,
) -> Result<&'h str, WebhookError> {
    headers
        .header(name)
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .ok_or(WebhookError::MissingHeader { name })
}

/// Whole seconds since the Unix epoch, digits only.
fn parse_timestamp(text: &str) -> Result<u64, WebhookError> {
    let invalid = WebhookError::InvalidHeader {
        name: WEBHOOK_TIMESTAMP,
        reason: "expected whole seconds since the Unix epoch",
    };
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid);
    }
    text.parse().map_err(|_| invalid)
}

/// The decoded tags of the `v1,<base64>` entries. A header with none is
/// invalid; entries of other versions are skipped.
fn parse_signatures(text: &str) -> Result<Vec<Vec<u8>>, WebhookError> {
    let tags: Vec<Vec<u8>> = text
        .split(' ')
        .filter_map(|entry| entry.split_once(','))
        .filter(|(version, _)| *version == "v1")
        .filter_map(|(_, tag)| BASE64.decode(tag).ok())
        .filter(|tag| !tag.is_empty())
        .collect();
    if tags.is_empty() {
        return Err(WebhookError::InvalidHeader {
            name: WEBHOOK_SIGNATURE,
            reason: "no v1,<base64> signature in it",
        });
    }
    Ok(tags)
}

/// What is signed: `{id}.{timestamp}.{body}`.
fn signed_content(id: &str, timestamp: u64, body: &[u8]) -> Vec<u8> {
    let head = format!("{id}.{timestamp}.");
    let mut signed = Vec::with_capacity(head.len() + body.len());
    signed.extend_from_slice(head.as_bytes());
    signed.extend_from_slice(body);
    signed
}
