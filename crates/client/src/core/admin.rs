//! Which credential a call needs, and the admin key of the Admin API.
//!
//! The Admin API (`/v1/organizations/...`) takes an admin key
//! (`sk-ant-admin...`), which a plain API key cannot stand in for and which
//! must never reach any other endpoint. So every call has a
//! [`Credential`] class: [`Credential::Admin`] calls carry the client's
//! admin key in `x-api-key` and nothing else, and fail before anything is
//! sent when the client has none; every other call carries the client's
//! usual credentials and never the admin key.

use std::fmt;

use claude_rs_types::Secret;
use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::core::error::{ConfigKind, Error};

/// The header the admin key is sent in, as the Admin API reference shows
/// (`x-api-key: $ANTHROPIC_ADMIN_KEY`).
const ADMIN_KEY_HEADER: HeaderName = HeaderName::from_static("x-api-key");

/// The variable the builder reads an admin key from.
pub(crate) const ADMIN_KEY_VARIABLE: &str = "ANTHROPIC_ADMIN_KEY";

/// The prefix of the Admin API's paths.
const ADMIN_PREFIX: &str = "/v1/organizations";

/// Which of the client's credentials a call is sent with.
///
/// A handler sets it for its calls with
/// [`ApiCall::credential`](crate::ApiCall::credential); a call that does
/// not set it gets [`Credential::for_path`] of its path, so a generic call
/// to `/v1/organizations/...` is an admin call too.
///
/// ```
/// use claude_rs_client::credentials::Credential;
///
/// assert_eq!(Credential::for_path("/v1/organizations/users"), Credential::Admin);
/// assert_eq!(Credential::for_path("/v1/messages"), Credential::Default);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Credential {
    /// The client's credentials: the API key, bearer token, profile or
    /// federation of the [credential chain](crate::credentials), or what
    /// the [backend](crate::backend) applies. Never the admin key.
    #[default]
    Default,
    /// The client's admin key ([`ClientBuilder::admin_key`](crate::ClientBuilder::admin_key)
    /// or `ANTHROPIC_ADMIN_KEY`), sent as `x-api-key`, and no other
    /// credential. Without an admin key the call fails before it is sent
    /// with [`Error::Config`] of kind [`ConfigKind::MissingAdminKey`]; the
    /// API key is never used in its place.
    Admin,
}

impl Credential {
    /// The class a call to `path` needs when its handler does not say:
    /// [`Admin`](Self::Admin) under `/v1/organizations`, else
    /// [`Default`](Self::Default).
    pub fn for_path(path: &str) -> Self {
        let admin = path
            .strip_prefix(ADMIN_PREFIX)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']));
        if admin {
            Credential::Admin
        } else {
            Credential::Default
        }
    }
}

/// The client's admin key, ready to send: a header value marked sensitive.
/// Its `Debug` never shows it.
#[derive(Clone)]
pub(crate) struct AdminKey(HeaderValue);

impl fmt::Debug for AdminKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminKey(<redacted>)")
    }
}

impl AdminKey {
    /// The builder's key, else `ANTHROPIC_ADMIN_KEY` (empty counts as
    /// unset). A key that cannot be a header value fails, naming the
    /// setting and never the value.
    pub(crate) fn resolve(
        explicit: Option<Secret>,
        env: Option<&str>,
    ) -> Result<Option<Self>, Error> {
        let key = match (&explicit, env) {
            (Some(key), _) => key.expose(),
            (None, Some(key)) if !key.is_empty() => key,
            _ => return Ok(None),
        };
        let mut value = HeaderValue::try_from(key).map_err(|_| {
            Error::config(
                ConfigKind::InvalidCredentials,
                "admin_key (or ANTHROPIC_ADMIN_KEY) has characters not allowed in an HTTP header \
                 (CR, LF, control bytes)",
            )
        })?;
        value.set_sensitive(true);
        Ok(Some(Self(value)))
    }
}

/// Puts the credential of class `credential` on a call's headers: for an
/// admin call, the admin key in `x-api-key` in place of any other
/// credential header (the backend leaves a call that carries its own
/// credentials as it is); for any other call, nothing (the backend applies
/// the client's credentials on each attempt).
pub(crate) fn apply(
    credential: Credential,
    admin_key: Option<&AdminKey>,
    headers: &mut HeaderMap,
) -> Result<(), Error> {
    match credential {
        Credential::Default => Ok(()),
        Credential::Admin => {
            let Some(AdminKey(key)) = admin_key else {
                return Err(Error::config(
                    ConfigKind::MissingAdminKey,
                    "an Admin API call needs an admin key, and the client has none: set \
                     ANTHROPIC_ADMIN_KEY or call ClientBuilder::admin_key (the API key is never \
                     used for Admin API calls)",
                ));
            };
            headers.remove(AUTHORIZATION);
            headers.insert(ADMIN_KEY_HEADER, key.clone());
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_organization_paths_are_admin_calls() {
        for (path, expected) in [
            ("/v1/organizations", Credential::Admin),
            ("/v1/organizations/me", Credential::Admin),
            ("/v1/organizations/users?limit=2", Credential::Admin),
            ("/v1/organizationsx", Credential::Default),
            ("/v1/messages", Credential::Default),
            ("/v1/agents", Credential::Default),
        ] {
            assert_eq!(Credential::for_path(path), expected, "{path}");
        }
    }

    #[test]
    fn the_builder_key_wins_and_an_empty_variable_is_unset() {
        let explicit =
            AdminKey::resolve(Some(Secret::new("sk-ant-admin-B")), Some("sk-ant-admin-E"))
                .unwrap()
                .unwrap();
        assert_eq!(explicit.0, "sk-ant-admin-B");
        assert!(explicit.0.is_sensitive());
        let env = AdminKey::resolve(None, Some("sk-ant-admin-E"))
            .unwrap()
            .unwrap();
        assert_eq!(env.0, "sk-ant-admin-E");
        assert!(AdminKey::resolve(None, Some("")).unwrap().is_none());
        assert!(AdminKey::resolve(None, None).unwrap().is_none());
        assert_eq!(format!("{env:?}"), "AdminKey(<redacted>)");
    }

    #[test]
    fn a_key_with_a_line_break_is_refused_without_echoing_it() {
        let error =
            AdminKey::resolve(Some(Secret::new("sk-ant-admin-SECRET\r\nx: 1")), None).unwrap_err();
        assert!(matches!(
            error,
            Error::Config {
                kind: ConfigKind::InvalidCredentials,
                ..
            }
        ));
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("admin_key"), "{shown}");
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    #[test]
    fn an_admin_call_carries_the_admin_key_alone() {
        let key = AdminKey::resolve(Some(Secret::new("sk-ant-admin-K")), None).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer other"));
        apply(Credential::Admin, key.as_ref(), &mut headers).unwrap();
        assert_eq!(headers["x-api-key"], "sk-ant-admin-K");
        assert!(!headers.contains_key(AUTHORIZATION));

        let mut headers = HeaderMap::new();
        apply(Credential::Default, key.as_ref(), &mut headers).unwrap();
        assert!(headers.is_empty());

        let error = apply(Credential::Admin, None, &mut HeaderMap::new()).unwrap_err();
        assert!(matches!(
            error,
            Error::Config {
                kind: ConfigKind::MissingAdminKey,
                ..
            }
        ));
        assert!(error.to_string().contains("ANTHROPIC_ADMIN_KEY"));
        assert!(error.to_string().contains("admin_key"));
    }
}
