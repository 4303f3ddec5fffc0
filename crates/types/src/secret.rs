//! [`Secret`]: a token or key that never shows in `Debug` or `Display`.
//!
//! It lives at the bottom of the workspace because a request can hold one
//! (an MCP server's `authorization_token`); the client's credentials and
//! the platform crates hold theirs in it too.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret string (a token) that never shows in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for sending.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact_and_serde_sends_the_value() {
        let secret = Secret::new("sk-ant-do-not-show");
        assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
        assert_eq!(secret.to_string(), "<redacted>");
        assert_eq!(secret.expose(), "sk-ant-do-not-show");
        assert_eq!(
            serde_json::to_string(&secret).unwrap(),
            "\"sk-ant-do-not-show\""
        );
        let back: Secret = serde_json::from_str("\"tok\"").unwrap();
        assert_eq!(back.expose(), "tok");
    }
}
