//! AWS Signature Version 4 over a request as it is sent, with the header
//! choices botocore makes (see
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html>).

use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use claude_rs_client::{ConfigKind, Error};
use claude_rs_transport::RequestBody;
use http::{HeaderName, HeaderValue, Request};

use crate::credentials::Credentials;

/// Headers botocore leaves out of the signature (hop-by-hop, tracing and
/// the user agent). `authorization` is replaced by the signature.
const UNSIGNED: &[&str] = &[
    "authorization",
    "baggage",
    "connection",
    "expect",
    "keep-alive",
    "te",
    "traceparent",
    "tracestate",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

fn signed(name: &HeaderName) -> bool {
    let name = name.as_str();
    !UNSIGNED.contains(&name) && !name.starts_with("proxy-")
}

/// Signs `request` (an absolute URI, its final headers and in-memory body)
/// for `service` in `region` at `time`: sets `Authorization`, `X-Amz-Date`
/// and, with a session token, `X-Amz-Security-Token`, replacing any earlier
/// signature. The body is hashed but no `x-amz-content-sha256` header is
/// added; a `Host` header is not added either (the transport sends the
/// URI's, which the signature covers).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use claude_rs_bedrock::{Credentials, sigv4};
/// use claude_rs_transport::RequestBody;
///
/// let mut request = http::Request::post("https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke")
///     .header("content-type", "application/json")
///     .body(RequestBody::from(bytes::Bytes::from_static(b"{}")))?;
/// let keys = Credentials::new("AKIDEXAMPLE", "secret", None);
/// let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645);
/// sigv4::sign(&mut request, &keys, "us-east-1", "bedrock", at)?;
/// assert_eq!(request.headers()["x-amz-date"], "20240102T030405Z");
/// assert!(request.headers()["authorization"].to_str()?.starts_with(
///     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/bedrock/aws4_request, \
///      SignedHeaders=content-type;host;x-amz-date, Signature="
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign(
    request: &mut Request<RequestBody>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<(), Error> {
    let headers = request.headers_mut();
    for name in ["authorization", "x-amz-date", "x-amz-security-token"] {
        headers.remove(name);
    }
    if let Some(token) = credentials.session_token()
        && HeaderValue::try_from(token.expose()).is_err()
    {
        return Err(invalid(
            "the AWS session token has characters not allowed in an HTTP header",
        ));
    }
    let mut pairs = Vec::with_capacity(request.headers().len());
    for (name, value) in request.headers() {
        if !signed(name) {
            continue;
        }
        let value = value.to_str().map_err(|_| {
            invalid(&format!(
                "the {name} header is not visible ASCII and cannot be signed"
            ))
        })?;
        pairs.push((name.as_str(), value));
    }
    // An empty in-memory body (a GET) has no bytes but is signed as the
    // empty payload; only a streaming body (which cannot be cloned) is
    // sent unsigned.
    let body = match request.body().as_bytes() {
        Some(bytes) => SignableBody::Bytes(bytes),
        None if request.body().try_clone().is_some() => SignableBody::Bytes(&[]),
        None => SignableBody::UnsignedPayload,
    };
    let uri = request.uri().to_string();
    let method = request.method().as_str();
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key().expose(),
        credentials.session_token().map(|t| t.expose().to_owned()),
        None,
        "claude-rs-bedrock",
    )
    .into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| signing_error(Box::new(e)))?
        .into();
    let signable = SignableRequest::new(method, uri, pairs.into_iter(), body)
        .map_err(|e| signing_error(Box::new(e)))?;
    // aws-sigv4 traces the canonical request, which holds the session
    // token: its events are silenced while it signs.
    let signed = tracing::dispatcher::with_default(&tracing::Dispatch::none(), || {
        aws_sigv4::http_request::sign(signable, &params)
    });
    let (instructions, _) = signed.map_err(|e| signing_error(Box::new(e)))?.into_parts();
    let (headers, _) = instructions.into_parts();
    for header in headers {
        let mut value = HeaderValue::try_from(header.value())
            .map_err(|_| invalid("a signature header has characters not allowed in HTTP"))?;
        value.set_sensitive(header.sensitive() || header.name() == "authorization");
        let name = HeaderName::try_from(header.name())
            .map_err(|_| invalid("the signer gave an invalid header name"))?;
        request.headers_mut().insert(name, value);
    }
    Ok(())
}

fn invalid(message: &str) -> Error {
    Error::Config {
        kind: ConfigKind::InvalidCredentials,
        message: message.to_owned(),
        source: None,
    }
}

/// A signer failure: it says nothing secret (the signer's errors name the
/// URI or the parameter only).
fn signing_error(source: Box<dyn std::error::Error + Send + Sync>) -> Error {
    Error::Credentials {
        message: "could not sign the request with SigV4".to_owned(),
        transient: false,
        source: Some(source),
    }
}
