//! The service-account JWT-bearer assertion (RFC 7523), signed RS256 with
//! ring.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use claude_rs_client::{ConfigKind, Error};
use claude_rs_types::Secret;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

/// How long an assertion is valid.
const LIFETIME_SECS: u64 = 3600;

/// A service account's email and private key. `Debug` shows the email only.
pub(crate) struct ServiceAccountKey {
    client_email: String,
    key_id: Option<String>,
    key: RsaKeyPair,
}

impl fmt::Debug for ServiceAccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccountKey")
            .field("client_email", &self.client_email)
            .finish_non_exhaustive()
    }
}

fn invalid(message: &str) -> Error {
    Error::Config {
        kind: ConfigKind::InvalidCredentials,
        message: message.to_owned(),
        source: None,
    }
}

impl ServiceAccountKey {
    /// Reads the PEM `private_key` of a key file (PKCS#8 `PRIVATE KEY`).
    pub(crate) fn new(
        client_email: String,
        pem: &str,
        key_id: Option<String>,
    ) -> Result<Self, Error> {
        let body = pem
            .split("-----BEGIN PRIVATE KEY-----")
            .nth(1)
            .and_then(|rest| rest.split("-----END PRIVATE KEY-----").next())
            .ok_or_else(|| {
                invalid("the service account's private_key is not a PEM `PRIVATE KEY` block")
            })?;
        let base64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(base64)
            .map_err(|_| invalid("the service account's private_key is not valid base64"))?;
        let key = RsaKeyPair::from_pkcs8(&der)
            .map_err(|_| invalid("the service account's private_key is not a PKCS#8 RSA key"))?;
        Ok(Self {
            client_email,
            key_id,
            key,
        })
    }

    /// The account's email.
    pub(crate) fn client_email(&self) -> &str {
        &self.client_email
    }

    /// A signed assertion for `audience` (the token URI) and `scope`.
    pub(crate) fn assertion(&self, audience: &str, scope: &str) -> Result<Secret, Error> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut header = serde_json::json!({"alg": "RS256", "typ": "JWT"});
        if let Some(kid) = &self.key_id {
            header["kid"] = kid.clone().into();
        }
        let claims = serde_json::json!({
            "iss": self.client_email,
            "scope": scope,
            "aud": audience,
            "iat": now,
            "exp": now + LIFETIME_SECS,
        });
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let signing_input = format!(
            "{}.{}",
            b64.encode(header.to_string()),
            b64.encode(claims.to_string())
        );
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| Error::Credentials {
                message: "could not sign the service account's JWT".to_owned(),
                transient: false,
                source: None,
            })?;
        Ok(Secret::new(format!(
            "{signing_input}.{}",
            b64.encode(signature)
        )))
    }
}
