//! One HTTP call as the core takes it, and the rules every call shares:
//! how a body is encoded, where the request id is. (How an id goes into a
//! path is [`encode`](crate::encode)'s.)

use bytes::Bytes;
use claude_rs_transport::RequestBody;
use http::Method;
use serde::Serialize;

// The request id is read where errors are built; the event-stream readers
// import it from here.
use crate::core::admin::Credential;
pub(crate) use crate::core::error::request_id;
use crate::core::error::{Error, InvalidRequestKind};
use crate::core::operation::Operation;
use crate::core::options::RequestOptions;

/// The media type of JSON bodies.
pub(crate) const JSON: &str = "application/json";

/// How the answer of a call is read: a [`ResponseMode::Json`] body is read
/// whole inside the attempt's deadline, so a body cut short fails the
/// attempt and is retried as in the official SDKs; a streamed body is handed
/// on as it arrives and guarded by the idle timeout instead, since a total
/// deadline would cut long, healthy streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseMode {
    /// One JSON object (`accept: application/json`), read whole.
    Json,
    /// An event stream (`accept: text/event-stream`).
    EventStream,
    /// Raw bytes read as they arrive (`accept: application/binary`, as the
    /// official SDKs ask for file downloads and batch results).
    Binary,
    /// The raw response of a generic call
    /// ([`ApiCall::response`](crate::ApiCall::response)): JSON asked for
    /// (`accept: application/json`), the body handed on as it arrives.
    Raw,
}

impl ResponseMode {
    /// The `accept` header of the mode.
    pub(crate) fn accept(self) -> &'static str {
        match self {
            ResponseMode::Json | ResponseMode::Raw => JSON,
            ResponseMode::EventStream => "text/event-stream",
            ResponseMode::Binary => "application/binary",
        }
    }

    /// Whether the body is read whole within the attempt.
    pub(crate) fn is_buffered(self) -> bool {
        self == ResponseMode::Json
    }
}

/// One HTTP call as a resource describes it.
pub(crate) struct Call<'a> {
    /// Which call of the API this is (for the backend's routing).
    pub(crate) operation: Operation,
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) query: Option<String>,
    /// The body and its content type. In-memory bodies are replayed on
    /// retries; a streaming body (an upload) is sent once.
    pub(crate) body: Option<(RequestBody, &'a str)>,
    pub(crate) mode: ResponseMode,
    /// Which of the client's credentials the call is sent with.
    pub(crate) credential: Credential,
    pub(crate) options: &'a RequestOptions,
}

/// Serializes a request body once, into `Bytes` that every retry reuses.
pub(crate) fn encode_json(value: &impl Serialize) -> Result<Bytes, Error> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| Error::InvalidRequest {
            kind: InvalidRequestKind::Body,
            message: "the request cannot be serialized".to_owned(),
            source: Some(Box::new(e)),
        })
}
