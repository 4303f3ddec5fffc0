//! [`CredentialsError`]: which step of the credential chain failed.

use std::fmt;
use std::path::PathBuf;

use http::StatusCode;

use crate::core::error::Error;

/// The step of the credential chain that failed, in a [`CredentialsError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialStep {
    /// The environment or the builder's settings contradict each other or
    /// are unusable (a bad profile name, a token endpoint that is not
    /// `https://`).
    Settings,
    /// The profile config file `configs/<profile>.json` is missing,
    /// unreadable, writable by others, or not the expected JSON.
    ConfigFile,
    /// The credentials file `credentials/<profile>.json` is missing,
    /// unreadable, too open, a symlink, or not the expected JSON.
    CredentialsFile,
    /// The identity token (a file or `ANTHROPIC_IDENTITY_TOKEN`) could not
    /// be read, or is empty or too long.
    IdentityToken,
    /// A setting the exchange needs is missing (federation rule,
    /// organization, refresh token).
    MissingSetting,
    /// The token endpoint could not be reached (connection, timeout).
    TokenRequest,
    /// The token endpoint refused the exchange (an HTTP status >= 400).
    TokenRefused,
    /// The token endpoint answered something that is not a usable token.
    TokenResponse,
    /// A refreshed token could not be written back to the credentials file.
    WriteCredentials,
}

impl CredentialStep {
    fn describe(self) -> &'static str {
        match self {
            CredentialStep::Settings => "credential settings",
            CredentialStep::ConfigFile => "profile config file",
            CredentialStep::CredentialsFile => "profile credentials file",
            CredentialStep::IdentityToken => "identity token",
            CredentialStep::MissingSetting => "missing setting",
            CredentialStep::TokenRequest => "token request",
            CredentialStep::TokenRefused => "token exchange refused",
            CredentialStep::TokenResponse => "token response",
            CredentialStep::WriteCredentials => "writing the credentials file",
        }
    }
}

/// A failure of the credential chain: resolving the profile, reading its
/// files or the identity token, or exchanging it for an access token at
/// `POST /v1/oauth/token`.
///
/// It is the [`source`](std::error::Error::source) of an
/// [`Error::Credentials`]; [`CredentialsError::of`] finds it. Its text never
/// holds a token, key, refresh token or identity token: an error body from
/// the token endpoint keeps only its `error`, `error_description` and
/// `error_uri` members.
#[derive(Debug)]
#[non_exhaustive]
pub struct CredentialsError {
    /// Which step failed.
    pub step: CredentialStep,
    /// What failed, in words.
    pub message: String,
    /// The file involved, if any.
    pub path: Option<PathBuf>,
    /// The token endpoint's HTTP status, when it answered.
    pub status: Option<StatusCode>,
    /// The token endpoint's `request-id`, when it sent one.
    pub request_id: Option<String>,
}

impl CredentialsError {
    pub(crate) fn new(step: CredentialStep, message: impl Into<String>) -> Self {
        Self {
            step,
            message: message.into(),
            path: None,
            status: None,
            request_id: None,
        }
    }

    pub(crate) fn at(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The credentials error behind `error`, if it is one.
    pub fn of(error: &Error) -> Option<&CredentialsError> {
        match error.cause() {
            Error::Credentials {
                source: Some(source),
                ..
            } => source.downcast_ref(),
            _ => None,
        }
    }

    /// Whether trying again may help: the endpoint could not be reached, or
    /// answered 5xx or 429.
    fn transient(&self) -> bool {
        match self.step {
            CredentialStep::TokenRequest => true,
            CredentialStep::TokenRefused => self
                .status
                .is_some_and(|s| s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS),
            _ => false,
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.step.describe(), self.message)?;
        if let Some(path) = &self.path {
            write!(f, " ({})", path.display())?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request_id={id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for CredentialsError {}

impl From<CredentialsError> for Error {
    fn from(error: CredentialsError) -> Self {
        Error::Credentials {
            message: format!("{} failed", error.step.describe()),
            transient: error.transient(),
            source: Some(Box::new(error)),
        }
    }
}

/// An error body from the token endpoint with nothing secret left: a JSON
/// object keeps only `error`, `error_description` and `error_uri`; any
/// other body is cut to 256 characters.
pub(crate) fn redact_body(body: &[u8]) -> String {
    if let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(body) {
        let kept: serde_json::Map<_, _> = object
            .into_iter()
            .filter(|(k, _)| matches!(k.as_str(), "error" | "error_description" | "error_uri"))
            .collect();
        return serde_json::Value::Object(kept).to_string();
    }
    String::from_utf8_lossy(body).chars().take(256).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_only_the_oauth_error_members() {
        let body =
            br#"{"error":"invalid_grant","error_description":"bad","access_token":"at-SECRET"}"#;
        let kept = redact_body(body);
        assert!(
            kept.contains("invalid_grant") && kept.contains("bad"),
            "{kept}"
        );
        assert!(!kept.contains("SECRET"), "{kept}");
        assert_eq!(redact_body(&[b'x'; 300]).len(), 256);
    }

    #[test]
    fn the_step_and_transience_are_kept_in_the_client_error() {
        let mut refused = CredentialsError::new(CredentialStep::TokenRefused, "HTTP 503");
        refused.status = Some(StatusCode::SERVICE_UNAVAILABLE);
        let error = Error::from(refused);
        assert!(matches!(
            error,
            Error::Credentials {
                transient: true,
                ..
            }
        ));
        assert_eq!(
            CredentialsError::of(&error).unwrap().step,
            CredentialStep::TokenRefused
        );
        let file = Error::from(CredentialsError::new(CredentialStep::ConfigFile, "missing"));
        assert!(matches!(
            file,
            Error::Credentials {
                transient: false,
                ..
            }
        ));
        assert!(file.to_string().contains("profile config file"), "{file}");
    }
}
