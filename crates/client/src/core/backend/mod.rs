//! The backend seam: where a call goes, how its body and credentials are
//! shaped, and how a streamed answer is framed.
//!
//! Anthropic's API, Amazon Bedrock, Google Vertex AI and Microsoft Foundry
//! serve the same Messages JSON and differ in four places only. A
//! [`Backend`] owns exactly those:
//!
//! 1. **Routing** ([`Backend::prepare`]): the base URL and path of each
//!    [`Operation`], and which operations exist at all
//!    ([`Error::Unsupported`] before anything is sent).
//! 2. **The body** (also [`Backend::prepare`]): fields moved or added
//!    (`model` into the path, `anthropic_version` into the body).
//! 3. **Credentials** ([`Backend::authorize`]): applied to every attempt,
//!    after retries and your tower layers have made their last change, so a
//!    signature covers the request exactly as it is sent; async, so a token
//!    can be fetched or refreshed.
//! 4. **Stream framing** ([`Backend::stream_framing`]): server-sent events
//!    by default; a backend may decode its own framing into the same event
//!    JSON.
//!
//! Everything else (retries, timeouts, decoding, accumulation, stream
//! helpers, tools) is shared and runs unchanged on every backend. The
//! first-party API is the default backend, [`FirstParty`].
//!
//! # A custom backend
//!
//! A gateway in front of the API that wants its own header and path prefix,
//! and a per-request signature over the final request:
//!
//! ```
//! use claude_rs_client::backend::{Backend, FirstParty, Operation};
//! use claude_rs_client::{Client, Error};
//! use claude_rs_client::transport::RequestBody;
//! use futures_util::future::BoxFuture;
//! use claude_rs_client::http::{HeaderValue, Request};
//!
//! #[derive(Debug)]
//! struct Gateway {
//!     upstream: FirstParty,
//! }
//!
//! impl Backend for Gateway {
//!     fn name(&self) -> &'static str {
//!         "the example gateway"
//!     }
//!
//!     fn base_url(&self) -> &str {
//!         self.upstream.base_url()
//!     }
//!
//!     fn prepare(&self, operation: Operation, request: &mut Request<RequestBody>) -> Result<(), Error> {
//!         if operation == Operation::Batches {
//!             return Err(Error::Unsupported { operation, platform: self.name() });
//!         }
//!         // `/v1/messages` becomes `/gateway/v1/messages`.
//!         let path = format!("/gateway{}", request.uri());
//!         *request.uri_mut() = path.parse().expect("a path");
//!         request.headers_mut().insert("x-gateway-team", HeaderValue::from_static("search"));
//!         self.upstream.prepare(operation, request)
//!     }
//!
//!     fn authorize<'a>(
//!         &'a self,
//!         request: &'a mut Request<RequestBody>,
//!     ) -> BoxFuture<'a, Result<(), Error>> {
//!         Box::pin(async move {
//!             // The body and every header are final here.
//!             let length = request.body().as_bytes().map_or(0, |b| b.len());
//!             let signature = HeaderValue::from(length as u64);
//!             request.headers_mut().insert("x-gateway-signature", signature);
//!             self.upstream.authorize(request).await
//!         })
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! # let server = claude_rs_mock::MockServer::start().await;
//! let upstream = FirstParty::new("https://gateway.example.com")?.api_key("sk-ant-...");
//! # let upstream = FirstParty::new(server.base_url())?.api_key("sk-ant-...");
//! let client = Client::builder().backend(Gateway { upstream }).build()?;
//! let refused = client.batches().list().await.unwrap_err();
//! assert!(matches!(refused, Error::Unsupported { .. }));
//! # Ok(())
//! # }
//! ```

mod first_party;
mod framing;
mod token;

use std::fmt;

use bytes::Bytes;
use claude_rs_transport::{Body, RequestBody};
use claude_rs_types::error::ErrorType;
use futures_util::future::BoxFuture;
use http::{HeaderMap, HeaderValue, Request, StatusCode, Uri};

use crate::core::error::{ApiError, ConfigKind, Error};

pub use crate::core::operation::Operation;
pub use first_party::FirstParty;
pub(crate) use first_party::redact_userinfo;
pub use framing::{EventSource, Framing};
pub use token::TokenProvider;

/// Where and how the client's calls are sent; see the [module docs](self).
///
/// The client holds one backend behind an `Arc` and calls it from many
/// tasks at once.
pub trait Backend: fmt::Debug + Send + Sync + 'static {
    /// The platform's name, for [`Error::Unsupported`] and logs.
    fn name(&self) -> &'static str;

    /// The address calls go to, for display (`Client::base_url`).
    fn base_url(&self) -> &str;

    /// Routes one call, once, before its first attempt.
    ///
    /// `request` arrives with a URI of just the API's path and query
    /// (`/v1/messages`, `/v1/models?limit=20`), the client's headers
    /// (`anthropic-version`, `anthropic-beta`, `content-type`, per-call
    /// headers) and the body. The backend makes the URI absolute, may
    /// rewrite the body (see [`edit_json_body`]) and headers, or refuses the
    /// call with [`Error::Unsupported`].
    fn prepare(
        &self,
        operation: Operation,
        request: &mut Request<RequestBody>,
    ) -> Result<(), Error>;

    /// Applies credentials to one attempt. It runs on every attempt, after
    /// every other change to the request, so a signature covers the final
    /// headers and body. The default applies none.
    fn authorize<'a>(
        &'a self,
        request: &'a mut Request<RequestBody>,
    ) -> BoxFuture<'a, Result<(), Error>> {
        let _ = request;
        Box::pin(std::future::ready(Ok(())))
    }

    /// The API answered 401 to `request`, as [`authorize`](Self::authorize)
    /// left it. Returns `true` when the backend dropped the credentials it
    /// applied and has fresh ones to try: the attempt is then authorized
    /// and sent once more. The default returns `false`.
    fn credentials_rejected(&self, request: &Request<RequestBody>) -> bool {
        let _ = request;
        false
    }

    /// Frames a successful streamed Messages answer. The default reads it as
    /// server-sent events.
    fn stream_framing(&self, headers: &HeaderMap, body: Body) -> Framing {
        let _ = headers;
        Framing::Sse(body)
    }

    /// Reads an error answer that is not the API's error object (a
    /// platform's own error shape): its error type and message. `None`, the
    /// default, reads the API's `{"type": "error", "error": {...}}`.
    fn error_details(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Option<(Option<ErrorType>, String)> {
        let _ = (status, headers, body);
        None
    }

    /// The request id of an error answer, read from its headers. The
    /// default reads the API's `request-id`; a platform may name it
    /// otherwise (Bedrock's `x-amzn-requestid`).
    fn request_id<'h>(&self, headers: &'h HeaderMap) -> Option<&'h str> {
        crate::core::error::request_id(headers)
    }

    /// The platform's own retryable error classes: `Some(true)` retries an
    /// error the status rule would not (a throttling exception carried by a
    /// stream, say), `Some(false)` stops one it would. `None`, the default,
    /// leaves it to the official SDKs' rules (`x-should-retry` still decides
    /// first).
    fn is_retryable(&self, error: &ApiError) -> Option<bool> {
        let _ = error;
        None
    }

    /// Rewrites a successful JSON answer of `operation` into the API's shape
    /// before it is decoded (a platform whose token count is
    /// `{"inputTokens": N}`, say). The default keeps it as it is.
    fn response_json(&self, operation: Operation, body: Bytes) -> Result<Bytes, Error> {
        let _ = operation;
        Ok(body)
    }
}

/// Rewrites a request's JSON body as an object: `edit` may add, move or
/// remove members. A body that is not an in-memory JSON object is left
/// alone (multipart uploads, bodiless calls), and `edit` is not called.
pub fn edit_json_body(
    request: &mut Request<RequestBody>,
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> Result<(), Error> {
    let Some(bytes) = request.body().as_bytes() else {
        return Ok(());
    };
    let Ok(serde_json::Value::Object(mut object)) = serde_json::from_slice(bytes) else {
        return Ok(());
    };
    edit(&mut object);
    let bytes = crate::core::call::encode_json(&object)?;
    *request.body_mut() = RequestBody::from(bytes);
    Ok(())
}

/// An error a platform reported in its own way (an exception frame inside
/// an Amazon eventstream, say), as the [`Error::Api`] the retry policy and
/// the predicates read: `status` is the HTTP status the platform gives that
/// error (`429` for a throttling exception, so that it is retried like one
/// when it opens a stream), `body` the platform's raw error payload, and
/// `headers` those of the response that carried it (its request id is read
/// from them).
pub fn api_error(
    status: StatusCode,
    error_type: Option<ErrorType>,
    message: impl Into<String>,
    body: Bytes,
    headers: HeaderMap,
) -> Error {
    let message = message.into();
    Error::Api(Box::new(ApiError::new(
        status, error_type, message, None, body, headers,
    )))
}

/// Points `request` at `base_url` followed by `path` (a path and query,
/// `/v1/messages`): the one way a backend makes a URI absolute.
pub fn set_url(
    request: &mut Request<RequestBody>,
    base_url: &str,
    path: &str,
) -> Result<(), Error> {
    *request.uri_mut() = Uri::try_from(format!("{base_url}{path}")).map_err(|e| Error::Config {
        kind: ConfigKind::InvalidBaseUrl,
        message: format!("cannot join the base URL {base_url:?} and a path"),
        source: Some(Box::new(e)),
    })?;
    Ok(())
}

/// Checks a cloud region (or another value that becomes part of a host
/// name) when a backend is built: 1 to 63 ASCII letters, digits and
/// hyphens, neither first nor last a hyphen, as botocore allows. Anything
/// else (`attacker.example/`, `..`, a space) could send requests and their
/// credentials to another host, so it is refused with
/// [`ConfigKind::InvalidSetting`] naming `setting`.
///
/// ```
/// use claude_rs_client::backend::check_region;
///
/// assert!(check_region("region", "us-east-1").is_ok());
/// assert!(check_region("region", "evil.example/").is_err());
/// ```
pub fn check_region(setting: &str, region: &str) -> Result<(), Error> {
    let bytes = region.as_bytes();
    let valid = (1..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-');
    if valid {
        return Ok(());
    }
    Err(Error::config(
        ConfigKind::InvalidSetting,
        format!(
            "{setting} {:?} is not a region: expected letters, digits and hyphens",
            region.chars().take(64).collect::<String>()
        ),
    ))
}

/// `Bearer <token>` as an `Authorization` value, marked sensitive. A token
/// with characters not allowed in a header is refused without being shown.
pub fn bearer_header(token: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
        Error::config(
            ConfigKind::InvalidCredentials,
            "the bearer token has characters not allowed in an HTTP header",
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A failure reading a response body (a reset, the stream idle timeout),
/// as the client reports it everywhere: for event sources that read the
/// body themselves.
pub fn body_error(error: claude_rs_transport::Error) -> Error {
    Error::from_transport(error)
}
