//! Checking AWS Signature Version 4 as AWS does: the canonical request,
//! the string to sign and the HMAC-SHA256 signature recomputed from the
//! request as received and the test credentials the mock was given.
//!
//! An independent implementation (the SDK signs with `aws-sigv4`), so a
//! test against the mock catches a signing mistake rather than repeating it.

use std::time::{Duration, SystemTime};

use http::HeaderMap;
use ring::{digest, hmac};

use crate::query::percent_decode;
pub(crate) use crate::vocab::AwsKeys;

/// The only algorithm SigV4 headers name.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// How far the request's `x-amz-date` may be from the server's clock.
const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// What AWS would refuse a request for, with its exception name and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// `x-amzn-errortype`: `InvalidSignatureException`,
    /// `UnrecognizedClientException`, `IncompleteSignatureException`.
    pub(crate) kind: &'static str,
    pub(crate) message: String,
}

fn refuse(kind: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        kind,
        message: message.into(),
    }
}

fn incomplete(message: impl Into<String>) -> Refusal {
    refuse("IncompleteSignatureException", message)
}

/// The request as the verifier needs it.
pub(crate) struct Signed<'r> {
    pub(crate) method: &'r str,
    /// The path as it came on the wire, still percent-encoded.
    pub(crate) path: &'r str,
    pub(crate) query: Option<&'r str>,
    pub(crate) headers: &'r HeaderMap,
    /// The `:authority` of an HTTP/2 request, which has no `host` header.
    pub(crate) authority: Option<&'r str>,
    pub(crate) body: &'r [u8],
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
struct Authorization<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, Refusal> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| incomplete(format!("Unsupported authorization type; use {ALGORITHM}")))?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, val) = part.trim().split_once('=').unwrap_or((part.trim(), ""));
        match key {
            "Credential" => credential = Some(val),
            "SignedHeaders" => signed = Some(val),
            "Signature" => signature = Some(val),
            _ => {}
        }
    }
    let missing = |name: &str| {
        incomplete(format!(
            "Authorization header requires '{name}' parameter. Authorization={value}"
        ))
    };
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, "aws4_request"] = scope[..] else {
        return Err(incomplete(format!(
            "Credential should be <key>/<date>/<region>/<service>/aws4_request, not {credential}"
        )));
    };
    Ok(Authorization {
        access_key_id,
        date,
        region,
        service,
        signed_headers: signed.split(';').collect(),
        signature,
    })
}

/// Checks the signature of `request` for `service` with `keys`; `now` is
/// the server's clock (`None` skips the clock check, for fixed vectors).
pub(crate) fn verify(
    request: &Signed<'_>,
    keys: &AwsKeys,
    service: &str,
    now: Option<SystemTime>,
) -> Result<(), Refusal> {
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
    let authorization = header("authorization").ok_or_else(|| {
        refuse(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        )
    })?;
    let auth = parse_authorization(authorization)?;
    let invalid_token = || {
        refuse(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )
    };
    if auth.access_key_id != keys.access_key_id {
        return Err(invalid_token());
    }
    if auth.service != service {
        return Err(refuse(
            "InvalidSignatureException",
            format!("Credential should be scoped to correct service: '{service}'."),
        ));
    }
    let amz_date = header("x-amz-date").ok_or_else(|| {
        incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    })?;
    let Some(signed_at) = parse_amz_date(amz_date) else {
        return Err(incomplete(format!("Invalid X-Amz-Date: {amz_date}")));
    };
    if !amz_date.starts_with(auth.date) || auth.date.len() != 8 {
        return Err(refuse(
            "InvalidSignatureException",
            format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}'",
                auth.date,
                &amz_date[..8]
            ),
        ));
    }
    if let Some(now) = now {
        let skew = now
            .duration_since(signed_at)
            .or_else(|_| signed_at.duration_since(now))
            .unwrap_or_default();
        if skew > MAX_SKEW {
            return Err(refuse(
                "InvalidSignatureException",
                format!(
                    "Signature expired: {amz_date} is more than 15 minutes from the server's time."
                ),
            ));
        }
    }
    let token = header("x-amz-security-token");
    if token != keys.session_token.as_deref() && keys.session_token.is_some() {
        return Err(invalid_token());
    }
    for required in ["host", "x-amz-date"]
        .into_iter()
        .chain(token.map(|_| "x-amz-security-token"))
    {
        if !auth.signed_headers.contains(&required) {
            return Err(refuse(
                "InvalidSignatureException",
                format!("'{required}' must be a 'SignedHeader' in the AWS Authorization."),
            ));
        }
    }
    let body_hash = hex(digest::digest(&digest::SHA256, request.body).as_ref());
    let payload_hash = match header("x-amz-content-sha256") {
        None => body_hash,
        Some("UNSIGNED-PAYLOAD") => "UNSIGNED-PAYLOAD".to_owned(),
        Some(given) if given == body_hash => body_hash,
        Some(_) => {
            return Err(refuse(
                "InvalidSignatureException",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            ));
        }
    };
    let canonical = canonical_request(request, &auth.signed_headers, &payload_hash)?;
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        hex(digest::digest(&digest::SHA256, canonical.as_bytes()).as_ref())
    );
    let key = signing_key(&keys.secret_access_key, auth.date, auth.region, service);
    let given = unhex(auth.signature).unwrap_or_default();
    hmac::verify(&key, string_to_sign.as_bytes(), &given).map_err(|_| {
        refuse(
            "InvalidSignatureException",
            format!(
                "The request signature we calculated does not match the signature you provided. \
                 Check your AWS Secret Access Key and signing method. Consult the service \
                 documentation for details.\n\nThe Canonical String for this request should have \
                 been\n'{canonical}'\n\nThe String-to-Sign should have been\n'{string_to_sign}'\n"
            ),
        )
    })
}

/// The canonical request: method, URI, query, the signed headers and the
/// payload hash, one per line.
fn canonical_request(
    request: &Signed<'_>,
    signed: &[&str],
    payload_hash: &str,
) -> Result<String, Refusal> {
    let mut lines = String::new();
    for name in signed {
        let values: Vec<String> = if *name == "host" && !request.headers.contains_key("host") {
            request.authority.map(str::to_owned).into_iter().collect()
        } else {
            request
                .headers
                .get_all(*name)
                .iter()
                .map(|v| collapse(&String::from_utf8_lossy(v.as_bytes())))
                .collect()
        };
        if values.is_empty() {
            return Err(refuse(
                "InvalidSignatureException",
                format!("The signed header '{name}' is not in the request."),
            ));
        }
        lines.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    Ok(format!(
        "{}\n{}\n{}\n{lines}\n{}\n{payload_hash}",
        request.method,
        encode(request.path, true),
        canonical_query(request.query),
        signed.join(";"),
    ))
}

/// A header value trimmed, with runs of spaces made one.
fn collapse(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The query with each name and value decoded and re-encoded, sorted.
fn canonical_query(query: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                encode(&percent_decode(k), false),
                encode(&percent_decode(v), false),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// RFC 3986 encoding of everything but the unreserved characters (and `/`
/// when `keep_slash`). On a path that is already encoded, this is the
/// double encoding SigV4 wants of every service but S3.
fn encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> hmac::Key {
    let step = |key: &[u8], data: &str| {
        hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data.as_bytes())
    };
    let k_date = step(format!("AWS4{secret}").as_bytes(), date);
    let k_region = step(k_date.as_ref(), region);
    let k_service = step(k_region.as_ref(), service);
    let k_signing = step(k_service.as_ref(), "aws4_request");
    hmac::Key::new(hmac::HMAC_SHA256, k_signing.as_ref())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// `20240102T030405Z` as a time.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { text.get(r)?.parse().ok() };
    let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hh, mm, ss) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let days = crate::time::days_from_civil(y, m, d);
    let secs = u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

#[cfg(test)]
#[path = "sigv4_tests.rs"]
mod tests;
