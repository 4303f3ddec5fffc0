//! Answers: [`ApiResponse`] (a decoded value with its HTTP metadata), and
//! the checks every answer passes (error statuses into [`ApiError`],
//! content type and encoding).

use bytes::Bytes;
use claude_rs_transport::{Body, DEFAULT_BODY_LIMIT};
use claude_rs_types::error::ErrorResponse;
use http::header::{CONTENT_ENCODING, CONTENT_TYPE};
use http::{HeaderMap, Request, Response, StatusCode};
use http_body::Body as _;

use crate::core::backend::Backend;
use crate::core::error::{ApiError, Error, ProtocolKind};
use crate::core::error::{body_start, request_id};
use crate::core::rate_limits::RateLimits;

/// How much of an unexpected body an error message shows.
const SHOWN: usize = 512;

/// A decoded answer with its status and headers, for callers that need the
/// request id or rate-limit headers (`anthropic-ratelimit-*`).
///
/// ```
/// # use claude_rs_types::request::{CreateMessageRequest, MessageParam};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
/// let request = CreateMessageRequest::new("claude-sonnet-5", 256, vec![MessageParam::user("Hi")]);
/// let reply = client.messages().create(request).with_response().await?;
/// assert!(reply.status.is_success());
/// println!("{:?}: {}", reply.request_id(), reply.text());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// The decoded body.
    pub value: T,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
}

impl<T> ApiResponse<T> {
    /// A value with the metadata of the response it came from.
    pub(crate) fn from_parts(value: T, response: Response<()>) -> Self {
        let (parts, ()) = response.into_parts();
        Self {
            value,
            status: parts.status,
            headers: parts.headers,
        }
    }

    /// The request id, for support.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The rate limits the answer reports (`anthropic-ratelimit-*`).
    pub fn rate_limits(&self) -> RateLimits {
        RateLimits::from_headers(&self.headers)
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The decoded body, dropping the metadata.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> std::ops::Deref for ApiResponse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// Collects a body that is already in memory (read within the attempt).
pub(crate) async fn collect(body: Body) -> Result<Bytes, Error> {
    body.collect_limited(DEFAULT_BODY_LIMIT)
        .await
        .map_err(Error::from_transport)
}

/// Turns an error answer to `request` into [`Error::Api`]. Its body was read
/// inside the attempt's deadline.
pub(crate) async fn api_error(
    response: Response<Body>,
    backend: &dyn Backend,
    request: &Request<()>,
) -> Error {
    let (parts, body) = response.into_parts();
    let body = match collect(body).await {
        Ok(body) => body,
        Err(error) => return error,
    };
    let header_id = backend.request_id(&parts.headers).map(str::to_owned);
    let (error_type, message, body_id) = match serde_json::from_slice::<ErrorResponse>(&body) {
        Ok(decoded) => (
            Some(decoded.error.kind),
            decoded.error.message,
            decoded.request_id,
        ),
        Err(_) => match backend.error_details(parts.status, &parts.headers, &body) {
            Some((error_type, message)) => (error_type, message, None),
            None => {
                let text = body_start(&body, 2048).trim().to_owned();
                let message = if text.is_empty() {
                    let reason = parts.status.canonical_reason();
                    reason.unwrap_or("error").to_owned()
                } else {
                    text
                };
                (None, message, None)
            }
        },
    };
    let error = ApiError::new(
        parts.status,
        error_type,
        message,
        header_id.or(body_id),
        body,
        parts.headers,
    );
    Error::Api(Box::new(
        error.with_request(request.method(), request.uri()),
    ))
}

/// Refuses a successful answer in a `content-encoding` the client never
/// asked for (it sends no `accept-encoding`), instead of failing later to
/// decode compressed bytes.
pub(crate) async fn check_encoding(response: Response<Body>) -> Result<Response<Body>, Error> {
    let encoding = response
        .headers()
        .get(CONTENT_ENCODING)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned());
    match encoding {
        Some(encoding) if !encoding.is_empty() && !encoding.eq_ignore_ascii_case("identity") => {
            let (_, body) = response.into_parts();
            let start = read_start(body).await;
            Err(Error::protocol(
                ProtocolKind::UnexpectedEncoding,
                format!(
                    "the answer is encoded with {encoding:?}, which the client did not ask \
                     for; it begins {:?}",
                    body_start(&start, SHOWN)
                ),
            ))
        }
        _ => Ok(response),
    }
}

/// The answer's `content-type` when it is present and not `expected`.
fn other_content_type<'h>(headers: &'h HeaderMap, expected: &str) -> Option<&'h str> {
    let found = headers.get(CONTENT_TYPE)?.to_str().unwrap_or("(not text)");
    let essence = found.split(';').next().unwrap_or("").trim();
    let json_kind = expected.ends_with("/json") && essence.ends_with("+json");
    (!essence.eq_ignore_ascii_case(expected) && !json_kind).then_some(found)
}

fn content_error(expected: &str, found: &str, start: &[u8]) -> Error {
    Error::protocol(
        ProtocolKind::UnexpectedContentType,
        format!(
            "expected {expected} but the answer is {found}: {:?}",
            body_start(start, SHOWN)
        ),
    )
}

/// When a body could not be decoded and its `content-type` is not
/// `expected`, the error to report instead: what arrived, with its start.
pub(crate) fn unexpected_content(
    headers: &HeaderMap,
    expected: &str,
    body: &[u8],
) -> Option<Error> {
    other_content_type(headers, expected).map(|found| content_error(expected, found, body))
}

/// Passes `body` on when its `content-type` is `expected` (or absent);
/// otherwise reads its start and reports what arrived.
pub(crate) async fn expect_content_type(
    headers: &HeaderMap,
    expected: &str,
    body: Body,
) -> Result<Body, Error> {
    match other_content_type(headers, expected) {
        None => Ok(body),
        Some(found) => Err(content_error(expected, found, &read_start(body).await)),
    }
}

/// Up to [`SHOWN`] bytes of the start of a body, for an error message; a
/// failure to read more just ends it.
async fn read_start(mut body: Body) -> Bytes {
    let mut start = Vec::new();
    while start.len() < SHOWN {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
        match frame {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    start.extend_from_slice(&data);
                }
            }
            _ => break,
        }
    }
    Bytes::from(start)
}
