//! Faults: error statuses and broken deliveries, and when they strike.

use std::time::Duration;

use claude_rs_types::error::ErrorType;
use http::{HeaderName, HeaderValue, StatusCode};

use crate::route::Route;

/// Something going wrong with a response, on demand.
///
/// A fault is either an error *status* (the API's error body with a status
/// and headers, replacing the reply) or a broken *delivery* of whatever the
/// reply is (reset, stall, drip, malformed or truncated body), or several of
/// these combined with [`Fault::and`]. Attach one to a single reply with
/// [`MockResponse::with_fault`](crate::MockResponse::with_fault), or schedule
/// it for coming requests with a [`FaultRule`]. [`MockServer`](crate::MockServer)
/// shows one striking; `claude-rs-client`'s docs show how the client
/// reports each (its `Error` type, `RequestOptions`, `MessageStream`).
///
/// ```
/// use std::time::Duration;
/// use claude_rs_mock::Fault;
///
/// // 429 with the headers the SDKs read to decide when to retry.
/// let limited = Fault::rate_limited().retry_after_ms(250).should_retry(true);
/// // A stream that dies after 100 bytes, delivered slowly.
/// let flaky = Fault::reset_after(100).and(Fault::drip_bytes(10, Duration::from_millis(5)));
/// # let _ = (limited, flaky);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Fault {
    pub(crate) parts: Vec<FaultKind>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

/// One ingredient of a [`Fault`].
#[derive(Debug, Clone)]
pub(crate) enum FaultKind {
    /// Answer with this status and the API's error body instead of the reply.
    Status {
        status: StatusCode,
        error_type: ErrorType,
        message: String,
    },
    /// Close the connection after this many body bytes.
    ResetAfter(usize),
    /// Close the connection once the request is read, before any response byte.
    ResetBeforeHeaders,
    /// Send nothing, not even headers, for this long.
    StallBeforeHeaders(Duration),
    /// Pause this long after this many body bytes.
    StallAfter(usize, Duration),
    /// Send the body in chunks of this size, pausing between them.
    DripBytes(usize, Duration),
    /// Send each SSE event (or the JSON body) as its own chunk, pausing between.
    DripEvents(Duration),
    /// Replace the SSE events from this index on by an `error` event.
    SseErrorAt(usize, ErrorType, String),
    /// Corrupt the JSON (of the body, or of one SSE event's data).
    MalformedJson,
    /// End the SSE body in the middle of the event after this many events.
    TruncatedSse(usize),
}

impl Fault {
    fn one(kind: FaultKind) -> Self {
        Fault {
            parts: vec![kind],
            headers: Vec::new(),
        }
    }

    /// An error status with the API's error body
    /// (`{"type":"error","error":{"type":..,"message":..},"request_id":..}`).
    pub fn status(status: StatusCode, error_type: ErrorType, message: impl Into<String>) -> Self {
        Self::one(FaultKind::Status {
            status,
            error_type,
            message: message.into(),
        })
    }

    /// 429 `rate_limit_error`, with the API's message. Add
    /// [`retry_after`](Fault::retry_after) to test the SDK's delay handling.
    pub fn rate_limited() -> Self {
        let message = default_message(&ErrorType::RateLimit);
        Self::status(StatusCode::TOO_MANY_REQUESTS, ErrorType::RateLimit, message)
    }

    /// 529 `overloaded_error` (`"Overloaded"`), the API's busiest-hour answer.
    pub fn overloaded() -> Self {
        let status = StatusCode::from_u16(529).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        Self::status(
            status,
            ErrorType::Overloaded,
            default_message(&ErrorType::Overloaded),
        )
    }

    /// 500 `api_error`.
    pub fn internal_error() -> Self {
        let message = default_message(&ErrorType::Api);
        Self::status(StatusCode::INTERNAL_SERVER_ERROR, ErrorType::Api, message)
    }

    /// 408 `timeout_error`: the request took too long inside the API.
    pub fn request_timeout() -> Self {
        let message = default_message(&ErrorType::Timeout);
        Self::status(StatusCode::REQUEST_TIMEOUT, ErrorType::Timeout, message)
    }

    /// Closes the connection abruptly after exactly `bytes` bytes of body:
    /// the response never completes (HTTP/1.1: no final chunk, or fewer bytes
    /// than `content-length`; HTTP/2: the stream is reset).
    pub fn reset_after(bytes: usize) -> Self {
        Self::one(FaultKind::ResetAfter(bytes))
    }

    /// Reads the request, then closes the connection without sending a
    /// single byte of response, not even the status line: the client sees
    /// the connection end before any headers (a connection error, which the
    /// SDKs retry).
    ///
    /// Scheduled with a [`FaultRule`], it strikes before the reply is chosen,
    /// like a status fault: no queued reply is used up and nothing is
    /// created. The whole connection closes, so on HTTP/2 every other stream
    /// of that connection ends too.
    pub fn reset_before_headers() -> Self {
        Self::one(FaultKind::ResetBeforeHeaders)
    }

    /// Sends nothing, not even the status line, for `duration`; tests
    /// connect/first-byte timeouts.
    pub fn stall_before_headers(duration: Duration) -> Self {
        Self::one(FaultKind::StallBeforeHeaders(duration))
    }

    /// Sends the first `bytes` bytes of body, then nothing for `duration`,
    /// then the rest; tests idle (between-bytes) timeouts.
    pub fn stall_after(bytes: usize, duration: Duration) -> Self {
        Self::one(FaultKind::StallAfter(bytes, duration))
    }

    /// Sends the body `chunk` bytes at a time with `interval` between chunks
    /// (`chunk = 1` is one byte at a time): exercises parsers on split input.
    pub fn drip_bytes(chunk: usize, interval: Duration) -> Self {
        Self::one(FaultKind::DripBytes(chunk.max(1), interval))
    }

    /// Sends one SSE event every `interval` (a JSON body is one chunk).
    pub fn drip_events(interval: Duration) -> Self {
        Self::one(FaultKind::DripEvents(interval))
    }

    /// In an SSE reply, sends events `0..index`, then an `error` event of
    /// `error_type`, then ends the stream, like the API does when it becomes
    /// overloaded mid-stream. Has no effect on JSON replies.
    pub fn sse_error_at(index: usize, error_type: ErrorType) -> Self {
        let message = default_message(&error_type);
        Self::one(FaultKind::SseErrorAt(index, error_type, message.to_owned()))
    }

    /// Corrupts the JSON: a JSON body is cut in half and followed by garbage;
    /// in an SSE reply the `data` of the first `content_block_delta` (else of
    /// `message_start`) is.
    pub fn malformed_json() -> Self {
        Self::one(FaultKind::MalformedJson)
    }

    /// In an SSE reply, sends `events` complete events and then half of the
    /// next one, and ends the body cleanly, without `message_stop`. A JSON
    /// body is cut in half instead.
    pub fn truncated_sse(events: usize) -> Self {
        Self::one(FaultKind::TruncatedSse(events))
    }

    /// This fault and `other` together.
    pub fn and(mut self, other: Fault) -> Self {
        self.parts.extend(other.parts);
        self.headers.extend(other.headers);
        self
    }

    /// Adds a response header.
    ///
    /// # Panics
    ///
    /// If the name or value is not a valid header; this is a mistake in the
    /// test, so it is reported where it is made.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push(header(name, value));
        self
    }

    /// Adds `retry-after: <seconds>`.
    pub fn retry_after(self, seconds: u64) -> Self {
        self.with_header("retry-after", &seconds.to_string())
    }

    /// Adds `retry-after-ms: <milliseconds>`.
    pub fn retry_after_ms(self, millis: u64) -> Self {
        self.with_header("retry-after-ms", &millis.to_string())
    }

    /// Adds `x-should-retry: true|false`, which overrides the SDKs' status rules.
    pub fn should_retry(self, retry: bool) -> Self {
        self.with_header("x-should-retry", if retry { "true" } else { "false" })
    }

    /// Replaces the message of the error body (or of the SSE `error` event).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        let message = message.into();
        for part in &mut self.parts {
            match part {
                FaultKind::Status { message: m, .. } | FaultKind::SseErrorAt(_, _, m) => {
                    m.clone_from(&message);
                }
                _ => {}
            }
        }
        self
    }
}

/// When a scheduled [`Fault`] strikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schedule {
    /// The next `n` matching requests.
    Times(usize),
    /// The request whose 1-based index (on its route, or overall) is `n`.
    Nth(usize),
    /// Every matching request.
    Always,
}

/// A [`Fault`] scheduled for coming requests, registered with
/// [`MockServer::inject`](crate::MockServer::inject).
///
/// "The first two attempts get 529, the third succeeds" is
/// `FaultRule::times(2, Fault::overloaded()).on(Route::Messages)`.
/// Several rules can match one request; their faults then combine.
#[derive(Debug, Clone)]
pub struct FaultRule {
    fault: Fault,
    route: Option<Route>,
    schedule: Schedule,
}

impl FaultRule {
    /// The next request (of the route, see [`FaultRule::on`]).
    pub fn once(fault: Fault) -> Self {
        Self::times(1, fault)
    }

    /// The next `n` requests.
    pub fn times(n: usize, fault: Fault) -> Self {
        FaultRule {
            fault,
            route: None,
            schedule: Schedule::Times(n),
        }
    }

    /// The `n`th request (1-based) counted since the server started: on the
    /// rule's route if it has one, else over all requests.
    pub fn nth(n: usize, fault: Fault) -> Self {
        FaultRule {
            fault,
            route: None,
            schedule: Schedule::Nth(n),
        }
    }

    /// Every request from now on.
    pub fn always(fault: Fault) -> Self {
        FaultRule {
            fault,
            route: None,
            schedule: Schedule::Always,
        }
    }

    /// Restricts the rule to one route (by default it matches any request).
    pub fn on(mut self, route: Route) -> Self {
        self.route = Some(route);
        self
    }

    /// Whether the rule strikes a request, consuming one use if it does.
    pub(crate) fn strike(
        &mut self,
        route: Option<Route>,
        route_index: usize,
        global_index: usize,
    ) -> Option<Fault> {
        if self.route.is_some() && self.route != route {
            return None;
        }
        let hit = match &mut self.schedule {
            Schedule::Times(0) => false,
            Schedule::Times(n) => {
                *n -= 1;
                true
            }
            Schedule::Nth(n) => {
                let index = if self.route.is_some() {
                    route_index
                } else {
                    global_index
                };
                index == *n
            }
            Schedule::Always => true,
        };
        hit.then(|| self.fault.clone())
    }

    /// Whether the rule can never strike again.
    pub(crate) fn is_spent(&self) -> bool {
        self.schedule == Schedule::Times(0)
    }
}

/// The message the mock gives an error of this type when none is given.
pub(crate) fn default_message(error_type: &ErrorType) -> &'static str {
    match error_type {
        ErrorType::Overloaded => "Overloaded",
        ErrorType::Api => "Internal server error",
        ErrorType::RateLimit => {
            "This request would exceed your account's rate limit. Please try again later."
        }
        ErrorType::Timeout => "Request timed out",
        ErrorType::NotFound => "Not Found",
        _ => "An error occurred",
    }
}

/// A header from strings, `None` if the name or value is not valid.
pub(crate) fn try_header(name: &str, value: &str) -> Option<(HeaderName, HeaderValue)> {
    Some((
        HeaderName::try_from(name).ok()?,
        HeaderValue::try_from(value).ok()?,
    ))
}

/// A header from strings.
///
/// # Panics
///
/// If the name or value is invalid: callers document it as a test mistake.
pub(crate) fn header(name: &str, value: &str) -> (HeaderName, HeaderValue) {
    match try_header(name, value) {
        Some(pair) => pair,
        None => panic!("claude-rs-mock: invalid header {name:?}: {value:?}"),
    }
}
