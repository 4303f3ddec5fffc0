//! The signing key: `whsec_` and base64, as Standard Webhooks writes it.

use std::fmt;

use base64::Engine;
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use claude_rs_types::Secret;

use crate::crypto::hmac;
use crate::error::WebhookError;

/// Standard base64, padded or not (as the reference library reads keys and
/// signatures).
pub(crate) const BASE64: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The prefix of a signing key.
const PREFIX: &str = "whsec_";

/// An endpoint's signing key, ready to compute HMAC-SHA256. Its `Debug`
/// never shows it.
pub(crate) struct SigningKey(hmac::Key);

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

impl SigningKey {
    /// Reads `whsec_<base64>` (the prefix is optional, as in the reference
    /// library).
    pub(crate) fn parse(key: &Secret) -> Result<Self, WebhookError> {
        let text = key.expose().trim();
        let encoded = text.strip_prefix(PREFIX).unwrap_or(text);
        if encoded.is_empty() {
            return Err(WebhookError::InvalidKey {
                reason: "it is empty (expected whsec_ followed by base64)",
            });
        }
        let raw = BASE64
            .decode(encoded)
            .map_err(|_| WebhookError::InvalidKey {
                reason: "after the whsec_ prefix it is not base64",
            })?;
        if raw.is_empty() {
            return Err(WebhookError::InvalidKey {
                reason: "it decodes to no bytes",
            });
        }
        Ok(Self(hmac::Key::new(hmac::HMAC_SHA256, &raw)))
    }

    /// Whether `tag` is the HMAC-SHA256 of `data`, compared in constant
    /// time by the crypto library.
    pub(crate) fn verify(&self, data: &[u8], tag: &[u8]) -> bool {
        hmac::verify(&self.0, data, tag).is_ok()
    }

    /// The HMAC-SHA256 of `data`.
    pub(crate) fn sign(&self, data: &[u8]) -> Vec<u8> {
        hmac::sign(&self.0, data).as_ref().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_with_or_without_prefix_and_padding_are_read() {
        // "key!" in base64 is "a2V5IQ==".
        for text in [
            "whsec_a2V5IQ==",
            "whsec_a2V5IQ",
            "a2V5IQ==",
            " whsec_a2V5IQ== ",
        ] {
            let key = SigningKey::parse(&Secret::new(text)).unwrap();
            let direct = hmac::Key::new(hmac::HMAC_SHA256, b"key!");
            assert_eq!(key.sign(b"x"), hmac::sign(&direct, b"x").as_ref(), "{text}");
        }
    }

    #[test]
    fn bad_keys_are_typed_errors_that_never_show_the_key() {
        for text in ["", "whsec_", "whsec_not base64!", "whsec_===="] {
            let error = SigningKey::parse(&Secret::new(text)).unwrap_err();
            assert!(matches!(error, WebhookError::InvalidKey { .. }), "{text:?}");
            let shown = format!("{error} {error:?}");
            assert!(shown.contains("signing key") || shown.contains("InvalidKey"));
            if text.len() > "whsec_".len() {
                assert!(!shown.contains(&text["whsec_".len()..]), "{shown}");
            }
        }
        let key = SigningKey::parse(&Secret::new("whsec_c2VjcmV0LWtleQ==")).unwrap();
        assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
    }
}
