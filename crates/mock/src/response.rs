//! [`MockResponse`]: what the mock answers to one request.

use std::path::Path;

use bytes::Bytes;
use claude_rs_types::content::ToolUseBlock;
use claude_rs_types::{
    content::ContentBlock, error::ErrorType, message::Message, message::StopReason,
    stream::MessageStreamEvent, usage::Usage,
};
use http::{HeaderName, HeaderValue, StatusCode};
use serde_json::Value;

use crate::fault::{Fault, header};

/// One reply of the mock: a scripted message, raw bytes, an error, or the
/// route's default behaviour, plus optional status, headers and faults.
///
/// Message replies ([`text`](MockResponse::text),
/// [`tool_use`](MockResponse::tool_use), [`content`](MockResponse::content),
/// [`message`](MockResponse::message)) are served as JSON or as an SSE
/// stream according to the request's `"stream"` flag, so one script drives
/// both the streaming and the non-streaming paths of a client. Their id,
/// model and usage are filled in from the request unless given.
///
/// ```
/// use claude_rs_mock::{MockResponse, MockServer, Route};
/// use claude_rs_types::error::ErrorType;
/// use http::StatusCode;
/// use serde_json::json;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let server = MockServer::start().await;
/// // A tool call, then the answer once the tool's result comes back.
/// server.enqueue(MockResponse::tool_use("get_weather", json!({"city": "Paris"})));
/// server.enqueue(MockResponse::text("It is sunny in Paris."));
/// // Another route's next answer: an error with the API's body.
/// let missing = MockResponse::error(StatusCode::NOT_FOUND, ErrorType::NotFound, "no such file");
/// server.enqueue_on(Route::GetFile, missing);
/// assert_eq!((server.queued(Route::Messages), server.queued(Route::GetFile)), (2, 1));
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct MockResponse {
    pub(crate) body: ReplyBody,
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) fault: Fault,
}

/// The body part of a [`MockResponse`].
#[derive(Debug, Clone)]
pub(crate) enum ReplyBody {
    /// Whatever the route does by default (the echo reply on `messages`).
    Default,
    /// A message whose id, model and usage are completed from the request.
    Content(Box<ContentReply>),
    /// A complete message, served as given.
    Message(Box<Message>),
    /// Stream events, always served as SSE.
    Events(Vec<MessageStreamEvent>),
    /// A JSON value.
    Json(Value),
    /// Bytes served verbatim.
    Raw { content_type: String, bytes: Bytes },
    /// The API's error body.
    Error {
        error_type: ErrorType,
        message: String,
        /// `error.details.error_code`, when the API sends one.
        error_code: Option<String>,
    },
    /// A body written while it is sent (an event stream, a long poll);
    /// faults do not apply to it.
    Live {
        content_type: String,
        source: crate::body::LiveSource,
    },
}

/// A message reply still to be completed from the request.
#[derive(Debug, Clone)]
pub(crate) struct ContentReply {
    pub(crate) blocks: Vec<ContentBlock>,
    pub(crate) stop_reason: StopReason,
    pub(crate) stop_sequence: Option<String>,
    pub(crate) usage: Option<Usage>,
    pub(crate) model: Option<String>,
}

impl MockResponse {
    fn with_body(body: ReplyBody) -> Self {
        MockResponse {
            body,
            status: None,
            headers: Vec::new(),
            fault: Fault::default(),
        }
    }

    /// The route's default reply: on `messages` the deterministic echo, on
    /// other routes their normal behaviour. Useful from a handler that only
    /// overrides some requests, or to add a fault to a normal reply.
    pub fn default_reply() -> Self {
        Self::with_body(ReplyBody::Default)
    }

    /// A message with one text block, stopping with `end_turn`.
    pub fn text(text: impl Into<String>) -> Self {
        Self::content(vec![ContentBlock::text(text)], StopReason::EndTurn)
    }

    /// A message calling one client tool, stopping with `tool_use`; the call
    /// gets an id `toolu_mock_...`.
    pub fn tool_use(name: impl Into<String>, input: Value) -> Self {
        Self::content(Vec::new(), StopReason::ToolUse).and_tool_use(name, input)
    }

    /// A message with the given blocks and stop reason. `tool_use` blocks
    /// with an empty id get a generated one.
    pub fn content(blocks: Vec<ContentBlock>, stop_reason: StopReason) -> Self {
        Self::with_body(ReplyBody::Content(Box::new(ContentReply {
            blocks,
            stop_reason,
            stop_sequence: None,
            usage: None,
            model: None,
        })))
    }

    /// Appends a tool call to a message reply (for example after the text
    /// "Let me check.") and makes its stop reason `tool_use`.
    pub fn and_tool_use(mut self, name: impl Into<String>, input: Value) -> Self {
        if let ReplyBody::Content(reply) = &mut self.body {
            let block = ToolUseBlock::new(String::new(), name, input);
            reply.blocks.push(ContentBlock::ToolUse(block));
            reply.stop_reason = StopReason::ToolUse;
        }
        self
    }

    /// A complete message, served exactly as given (as JSON, or converted to
    /// stream events for a streaming request).
    pub fn message(message: Message) -> Self {
        Self::with_body(ReplyBody::Message(Box::new(message)))
    }

    /// These stream events, served as SSE whatever the request asked for.
    pub fn events(events: Vec<MessageStreamEvent>) -> Self {
        Self::with_body(ReplyBody::Events(events))
    }

    /// A JSON body (`content-type: application/json`), status 200 unless set.
    pub fn json(value: Value) -> Self {
        Self::with_body(ReplyBody::Json(value))
    }

    /// The API's error body with this status: `{"type":"error","error":
    /// {"type":..,"message":..},"request_id":"req_..."}`.
    pub fn error(status: StatusCode, error_type: ErrorType, message: impl Into<String>) -> Self {
        let mut response = Self::with_body(ReplyBody::Error {
            error_type,
            message: message.into(),
            error_code: None,
        });
        response.status = Some(status);
        response
    }

    /// Bytes served verbatim with this content type: replay of a recorded
    /// response, byte for byte.
    pub fn raw(content_type: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self::with_body(ReplyBody::Raw {
            content_type: content_type.into(),
            bytes: bytes.into(),
        })
    }

    /// A body produced while it is being sent, from `source`.
    pub(crate) fn live(content_type: &str, source: crate::body::LiveSource) -> Self {
        Self::with_body(ReplyBody::Live {
            content_type: content_type.to_owned(),
            source,
        })
    }

    /// A recorded `text/event-stream` body, served verbatim.
    pub fn sse_bytes(bytes: impl Into<Bytes>) -> Self {
        Self::raw("text/event-stream", bytes)
    }

    /// A recorded response file served verbatim; the content type follows
    /// the extension (`.sse` event stream, `.jsonl` JSON lines, else JSON).
    /// Set the status of a recorded error with [`MockResponse::with_status`].
    pub fn replay_file(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let content_type = match path.extension().and_then(|e| e.to_str()) {
            Some("sse") => "text/event-stream",
            Some("jsonl") => "application/x-jsonl",
            _ => "application/json",
        };
        Ok(Self::raw(content_type, bytes))
    }

    /// Adds `error.details.error_code` to an error reply (the code the
    /// official SDKs map to a specific exception, such as
    /// `file_not_downloadable`).
    pub fn with_error_code(mut self, code: impl Into<String>) -> Self {
        if let ReplyBody::Error { error_code, .. } = &mut self.body {
            *error_code = Some(code.into());
        }
        self
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds a response header.
    ///
    /// # Panics
    ///
    /// If the name or value is not a valid header (a mistake in the test).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push(header(name, value));
        self
    }

    /// Adds a fault to this reply (combined with any scheduled fault).
    pub fn with_fault(mut self, fault: Fault) -> Self {
        self.fault = std::mem::take(&mut self.fault).and(fault);
        self
    }

    /// Sets the stop reason of a message reply.
    pub fn with_stop_reason(mut self, stop_reason: StopReason) -> Self {
        if let ReplyBody::Content(reply) = &mut self.body {
            reply.stop_reason = stop_reason;
        }
        self
    }

    /// Sets the stop sequence of a message reply (and its stop reason to
    /// `stop_sequence`).
    pub fn with_stop_sequence(mut self, sequence: impl Into<String>) -> Self {
        if let ReplyBody::Content(reply) = &mut self.body {
            reply.stop_reason = StopReason::StopSequence;
            reply.stop_sequence = Some(sequence.into());
        }
        self
    }

    /// Sets the usage of a message reply instead of the computed one.
    pub fn with_usage(mut self, usage: Usage) -> Self {
        if let ReplyBody::Content(reply) = &mut self.body {
            reply.usage = Some(usage);
        }
        self
    }

    /// Sets the model of a message reply instead of the request's.
    pub fn with_model(mut self, model: impl Into<String>) -> Self {
        if let ReplyBody::Content(reply) = &mut self.body {
            reply.model = Some(model.into());
        }
        self
    }
}

/// An API error reply with the status the API gives its type.
pub(crate) fn error(error_type: ErrorType, message: impl Into<String>) -> MockResponse {
    let status = status_of(&error_type);
    MockResponse::error(status, error_type, message)
}

/// The default status of an error type, as the API uses it.
pub(crate) fn status_of(error_type: &ErrorType) -> StatusCode {
    let code = match error_type {
        ErrorType::InvalidRequest => 400,
        ErrorType::Authentication => 401,
        ErrorType::Billing => 402,
        ErrorType::Permission => 403,
        ErrorType::NotFound => 404,
        ErrorType::RequestTooLarge => 413,
        ErrorType::RateLimit => 429,
        ErrorType::Timeout => 504,
        ErrorType::Overloaded => 529,
        _ => 500,
    };
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
