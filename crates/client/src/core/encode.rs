//! Percent-encoding, in one place: path segments, query components and
//! form fields of every call the client and the platform crates build.
//!
//! A path segment that comes from a caller (an id, a model name) goes
//! through [`path_segment`] (or [`path_segment_keeping`] for a platform
//! that leaves a few more characters as they are): it is checked, then
//! encoded so that it stays one segment. A segment that cannot address
//! anything is refused with [`Error::InvalidRequest`] when the call is
//! built, before anything is sent:
//!
//! * empty ([`InvalidRequestKind::EmptyId`]): it would address the
//!   collection instead of one item;
//! * `.` or `..` ([`InvalidRequestKind::PathSegment`]): a server or proxy
//!   would resolve them to another path;
//! * holding a control character ([`InvalidRequestKind::PathSegment`]).
//!
//! Anything else is encoded: `/`, `?`, `#`, `%`, spaces and non-ASCII text
//! are escaped, so an id can never change the path or add parameters.
//!
//! ```
//! use claude_rs_client::encode::{component, path_segment};
//! use claude_rs_client::{Error, InvalidRequestKind};
//!
//! assert_eq!(path_segment("msgbatch_01")?, "msgbatch_01");
//! assert_eq!(path_segment("a/b?c")?, "a%2Fb%3Fc");
//! assert_eq!(component("2026-01-01T00:00:00Z"), "2026-01-01T00%3A00%3A00Z");
//! let refused = path_segment("..").unwrap_err();
//! assert!(matches!(refused, Error::InvalidRequest { kind: InvalidRequestKind::PathSegment, .. }));
//! # Ok::<(), Error>(())
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::core::error::{Error, InvalidRequestKind};

/// RFC 3986 `pchar` outside the unreserved set (sub-delims, `:` and `@`):
/// characters a path segment may hold as they are, for a platform that
/// leaves them unescaped (`path_segment_keeping(id, PCHAR_EXTRA)`).
pub const PCHAR_EXTRA: &[u8] = b"!$&'()*+,=:@";

/// Checks `value` as one path segment and percent-encodes every byte
/// outside the unreserved set (`A-Z a-z 0-9 - . _ ~`). See the
/// [module docs](self) for what is refused.
pub fn path_segment(value: &str) -> Result<Cow<'_, str>, Error> {
    path_segment_keeping(value, b"")
}

/// [`path_segment`], leaving the bytes of `keep` unescaped too (a platform
/// whose own SDK writes `:` as it is, say). `/`, `?`, `#` and `%` are
/// escaped even when `keep` holds them, so the value stays one segment.
pub fn path_segment_keeping<'v>(value: &'v str, keep: &[u8]) -> Result<Cow<'v, str>, Error> {
    match value {
        "" => Err(Error::invalid_request(
            InvalidRequestKind::EmptyId,
            "an empty path segment (an empty id) cannot address one item",
        )),
        "." | ".." => Err(Error::invalid_request(
            InvalidRequestKind::PathSegment,
            format!("{value:?} is not a valid path segment: it would be resolved to another path"),
        )),
        _ if value.chars().any(char::is_control) => Err(Error::invalid_request(
            InvalidRequestKind::PathSegment,
            format!("the path segment {value:?} holds a control character"),
        )),
        _ => Ok(escape(value, keep, b"/?#%")),
    }
}

/// Percent-encodes a query name or value, or a form field: every byte
/// outside the unreserved set is escaped (`&`, `=`, `+`, `[`, `]` too, so a
/// value never adds parameters; servers decode `statuses%5B%5D` as
/// `statuses[]`).
pub fn component(value: &str) -> Cow<'_, str> {
    escape(value, b"", b"")
}

/// Escapes every byte that is neither unreserved nor in `keep` (minus
/// `never`), borrowing when nothing needs it.
fn escape<'v>(value: &'v str, keep: &[u8], never: &[u8]) -> Cow<'v, str> {
    let plain = |byte: u8| {
        byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (keep.contains(&byte) && !never.contains(&byte))
    };
    if value.bytes().all(plain) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for byte in value.bytes() {
        if plain(byte) {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    Cow::Owned(out)
}

/// A path as the verbs take it: absolute, without query or fragment (the
/// query goes through [`ApiCall::query`](crate::ApiCall::query)) and without characters that
/// cannot stand in a URL path as they are.
pub(crate) fn check_path(path: &str) -> Result<(), Error> {
    let bad = |why: &str| {
        Err(Error::invalid_request(
            InvalidRequestKind::PathSegment,
            format!("invalid path {path:?}: {why}"),
        ))
    };
    let bytes = path.as_bytes();
    if bytes.first() != Some(&b'/') {
        return bad("it must start with /");
    }
    // One pass: the characters, and each segment once it ends.
    let dots = |segment: &[u8]| matches!(segment, b"." | b"..");
    let mut start = 1;
    for (i, &byte) in bytes.iter().enumerate().skip(1) {
        match byte {
            b'?' | b'#' => return bad("give query parameters with .query(name, value)"),
            b'/' if dots(&bytes[start..i]) => {
                return bad("`.` and `..` segments would be resolved to another path");
            }
            b'/' => start = i + 1,
            0..=b' ' | 0x7f.. | b'"' | b'\\' => {
                return bad("spaces, control and non-ASCII characters must be path parameters");
            }
            _ => {}
        }
    }
    if dots(&bytes[start..]) {
        return bad("`.` and `..` segments would be resolved to another path");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(error: Error) -> InvalidRequestKind {
        match error {
            Error::InvalidRequest { kind, .. } => kind,
            other => panic!("not an invalid request: {other:?}"),
        }
    }

    #[test]
    fn segments_are_escaped_and_stay_one_segment() {
        assert!(matches!(
            path_segment("file_01-AZ.z~"),
            Ok(Cow::Borrowed(_))
        ));
        assert_eq!(
            path_segment("a/b?c=d&e f#g%").unwrap(),
            "a%2Fb%3Fc%3Dd%26e%20f%23g%25"
        );
        assert_eq!(path_segment("é").unwrap(), "%C3%A9");
        assert_eq!(path_segment("...").unwrap(), "...");
        assert_eq!(path_segment(".a").unwrap(), ".a");
    }

    #[test]
    fn kept_bytes_stay_but_separators_never_do() {
        let arn = "arn:aws:bedrock:us-east-1:1:inference-profile/us.anthropic.claude;v1";
        assert_eq!(
            path_segment_keeping(arn, b":;").unwrap(),
            "arn:aws:bedrock:us-east-1:1:inference-profile%2Fus.anthropic.claude;v1"
        );
        assert_eq!(
            path_segment_keeping("a/b?c#d%e@f", b"/?#%@").unwrap(),
            "a%2Fb%3Fc%23d%25e@f"
        );
        assert_eq!(path_segment_keeping("m@1:x", PCHAR_EXTRA).unwrap(), "m@1:x");
    }

    #[test]
    fn segments_that_address_nothing_are_refused() {
        assert_eq!(
            kind(path_segment("").unwrap_err()),
            InvalidRequestKind::EmptyId
        );
        for bad in [
            ".",
            "..",
            "a\nb",
            "tab\there",
            "nul\0",
            "del\u{7f}",
            "c1\u{85}",
        ] {
            let error = path_segment(bad).unwrap_err();
            assert!(error.to_string().contains("path segment"), "{error}");
            assert_eq!(kind(error), InvalidRequestKind::PathSegment, "{bad:?}");
        }
        assert_eq!(
            kind(path_segment_keeping("..", b".").unwrap_err()),
            InvalidRequestKind::PathSegment
        );
    }

    #[test]
    fn paths_are_checked_in_one_pass() {
        for good in [
            "/v1/agents",
            "/v1/agents/{agent_id}/versions",
            "/",
            "/v1/a.b/..c/...",
            "/v1/%2F",
        ] {
            assert!(check_path(good).is_ok(), "{good}");
        }
        for (bad, why) in [
            ("v1/agents", "start with /"),
            ("", "start with /"),
            ("/v1/agents?limit=2", "query"),
            ("/v1/a#b", "query"),
            ("/v1/../admin", "resolved"),
            ("/v1/.", "resolved"),
            ("/./v1", "resolved"),
            ("/v1/a b", "spaces"),
            ("/v1/\u{e9}", "non-ASCII"),
            ("/v1/a\\b", "spaces"),
        ] {
            let error = check_path(bad).unwrap_err();
            assert_eq!(
                kind(check_path(bad).unwrap_err()),
                InvalidRequestKind::PathSegment
            );
            assert!(error.to_string().contains(why), "{bad}: {error}");
        }
    }

    #[test]
    fn components_escape_everything_but_unreserved() {
        assert_eq!(component("statuses[]"), "statuses%5B%5D");
        assert_eq!(component("a b+c&d=e"), "a%20b%2Bc%26d%3De");
        assert!(matches!(component("page_2"), Cow::Borrowed("page_2")));
    }
}
