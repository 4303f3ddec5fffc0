//! Turning a resolved reply and its faults into an HTTP response.

use std::time::Duration;

use bytes::Bytes;
use claude_rs_types::{error::ErrorType, message::Message, stream::MessageStreamEvent};
use http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode};
use serde_json::Value;

use crate::body::{KillSwitch, MockBody};
use crate::fault::{Fault, FaultKind};
use crate::platform::{bedrock, eventstream};
use crate::record::RecordedRequest;
use crate::response::{MockResponse, ReplyBody, status_of};
use crate::state::State;
use crate::{echo, sse, wire};

/// A reply with nothing left to fill in.
#[derive(Debug)]
pub(crate) enum Resolved {
    /// A message: JSON, or SSE for a streaming request.
    Message(Box<Message>),
    /// Stream events: SSE.
    Events(Vec<MessageStreamEvent>),
    /// JSON.
    Json(Value),
    /// Verbatim bytes.
    Raw { content_type: String, bytes: Bytes },
    /// The API's error body.
    Error {
        error_type: ErrorType,
        message: String,
        error_code: Option<String>,
    },
    /// A body written as it is sent.
    Live {
        content_type: String,
        source: crate::body::LiveSource,
    },
}

/// Everything about the response but its body.
#[derive(Debug)]
pub(crate) struct Envelope {
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) fault: Fault,
    /// Bedrock InvokeModel's framing: errors as `{"message"}` typed by
    /// `x-amzn-errortype`, streams as eventstream frames.
    pub(crate) bedrock: bool,
}

/// The response and how long to wait before sending it.
pub(crate) fn render(
    reply: Resolved,
    envelope: Envelope,
    stream: bool,
    request_id: &str,
    kill: Option<KillSwitch>,
) -> (Duration, Response<MockBody>) {
    let Envelope {
        status,
        headers: extra_headers,
        fault,
        bedrock,
    } = envelope;
    let mut platform_headers: Vec<(HeaderName, HeaderValue)> = Vec::new();
    let mut status = status.unwrap_or(StatusCode::OK);
    let mut reply = reply;
    for part in &fault.parts {
        if let FaultKind::Status {
            status: s,
            error_type,
            message,
        } = part
        {
            status = *s;
            reply = Resolved::Error {
                error_type: error_type.clone(),
                message: message.clone(),
                error_code: None,
            };
        }
    }
    if let Resolved::Live {
        content_type,
        source,
    } = reply
    {
        let mut headers = HeaderMap::new();
        if content_type.starts_with("text/event-stream") {
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        }
        if let Ok(value) = HeaderValue::try_from(content_type) {
            headers.insert(CONTENT_TYPE, value);
        }
        if let Ok(value) = HeaderValue::try_from(request_id) {
            headers.insert("request-id", value);
        }
        for (name, value) in extra_headers {
            headers.insert(name, value);
        }
        let mut response = Response::new(MockBody::live(&source, kill));
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        return (Duration::ZERO, response);
    }
    let (content_type, chunks, is_sse) = match reply {
        Resolved::Live { .. } => ("application/json".to_owned(), Vec::new(), false),
        Resolved::Message(message) if stream => (
            "text/event-stream".to_owned(),
            sse::message_events(&message)
                .iter()
                .map(sse::encode_event)
                .collect(),
            true,
        ),
        Resolved::Message(message) => {
            if bedrock {
                platform_headers.extend(bedrock::token_headers(&message.usage));
            }
            json_chunks(&*message)
        }
        Resolved::Events(events) => (
            "text/event-stream".to_owned(),
            events.iter().map(sse::encode_event).collect(),
            true,
        ),
        Resolved::Json(value) => json_chunks(&value),
        Resolved::Error {
            error_type,
            message,
            error_code,
        } => {
            if status == StatusCode::OK {
                status = status_of(&error_type);
            }
            let body = if bedrock {
                let (body, kind) = bedrock::error_answer(&error_type, &message);
                platform_headers.push((bedrock::ERROR_TYPE_HEADER, kind));
                body.to_vec()
            } else {
                wire::error_body(&error_type, &message, error_code.as_deref(), request_id)
            };
            (
                "application/json".to_owned(),
                vec![Bytes::from(body)],
                false,
            )
        }
        Resolved::Raw {
            content_type,
            bytes,
        } if content_type.starts_with("text/event-stream") => {
            (content_type, split_frames(&bytes), true)
        }
        Resolved::Raw {
            content_type,
            bytes,
        } => (content_type, vec![bytes], false),
    };
    let chunks = if is_sse && bedrock {
        bedrock::reframe(break_sse(chunks, &fault.parts))
    } else if is_sse {
        break_sse(chunks, &fault.parts)
    } else {
        break_json(chunks, &fault.parts)
    };

    let full_len: usize = chunks.iter().map(Bytes::len).sum();
    let resets = fault
        .parts
        .iter()
        .any(|p| matches!(p, FaultKind::ResetAfter(_)));
    let body = MockBody::plan(chunks, &fault.parts, kill);
    let body = if is_sse { body.chunked() } else { body };

    let mut headers = HeaderMap::new();
    let content_type = if is_sse && bedrock {
        eventstream::CONTENT_TYPE.to_owned()
    } else {
        content_type
    };
    if let Ok(value) = HeaderValue::try_from(content_type) {
        headers.insert(CONTENT_TYPE, value);
    }
    if is_sse && !bedrock {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    } else if resets {
        // The client must see a body shorter than announced.
        headers.insert(CONTENT_LENGTH, HeaderValue::from(full_len));
    }
    if let Ok(value) = HeaderValue::try_from(request_id) {
        if bedrock {
            headers.insert("x-amzn-requestid", value.clone());
        }
        headers.insert("request-id", value);
    }
    let all_headers = platform_headers.into_iter().chain(fault.headers);
    for (name, value) in all_headers.chain(extra_headers) {
        headers.insert(name, value);
    }
    let stall = fault
        .parts
        .iter()
        .map(|p| match p {
            FaultKind::StallBeforeHeaders(d) => *d,
            _ => Duration::ZERO,
        })
        .sum();
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    (stall, response)
}

fn json_chunks<T: serde::Serialize + ?Sized>(value: &T) -> (String, Vec<Bytes>, bool) {
    let bytes = wire::to_vec(value);
    (
        "application/json".to_owned(),
        vec![Bytes::from(bytes)],
        false,
    )
}

/// Splits an SSE body into frames, each with its blank-line terminator
/// (LF or CRLF); they concatenate back to the input.
fn split_frames(bytes: &Bytes) -> Vec<Bytes> {
    let mut frames = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let end = if bytes[i..].starts_with(b"\n\n") {
            Some(i + 2)
        } else if bytes[i..].starts_with(b"\r\n\r\n") {
            Some(i + 4)
        } else {
            None
        };
        match end {
            Some(end) => {
                frames.push(bytes.slice(start..end));
                start = end;
                i = end;
            }
            None => i += 1,
        }
    }
    if start < bytes.len() {
        frames.push(bytes.slice(start..));
    }
    frames
}

/// Applies the SSE-level faults to a list of event frames.
fn break_sse(mut frames: Vec<Bytes>, faults: &[FaultKind]) -> Vec<Bytes> {
    for fault in faults {
        match fault {
            FaultKind::SseErrorAt(index, error_type, message) => {
                frames.truncate(*index);
                let data = wire::error_event(error_type, message);
                frames.push(sse::frame("error", &data));
            }
            FaultKind::MalformedJson => {
                let target = frames
                    .iter()
                    .position(|f| f.starts_with(b"event: content_block_delta"))
                    .or_else(|| {
                        frames
                            .iter()
                            .position(|f| f.starts_with(b"event: message_start"))
                    })
                    .unwrap_or(0);
                if let Some(frame) = frames.get_mut(target) {
                    *frame = corrupt_frame(frame);
                }
            }
            FaultKind::TruncatedSse(events) => {
                let keep = (*events).min(frames.len().saturating_sub(1));
                frames.truncate(keep + 1);
                if let Some(last) = frames.last_mut() {
                    *last = last.slice(..last.len() / 2);
                }
            }
            _ => {}
        }
    }
    frames
}

/// An SSE frame whose `data` JSON is cut in half (the frame stays complete).
fn corrupt_frame(frame: &Bytes) -> Bytes {
    let data_at = frame
        .windows(6)
        .position(|w| w == b"data: ")
        .map_or(0, |at| at + 6);
    let data_end = frame[data_at..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(frame.len(), |at| data_at + at);
    let cut = data_at + (data_end - data_at) / 2;
    let mut out = frame[..cut].to_vec();
    out.extend_from_slice(b"\n\n");
    Bytes::from(out)
}

/// Applies the faults that corrupt a JSON body.
fn break_json(chunks: Vec<Bytes>, faults: &[FaultKind]) -> Vec<Bytes> {
    let mut body: Bytes = chunks.concat().into();
    for fault in faults {
        match fault {
            FaultKind::MalformedJson => {
                let mut out = body[..body.len() / 2].to_vec();
                out.extend_from_slice(b"<<claude-rs-mock: malformed>>");
                body = out.into();
            }
            FaultKind::TruncatedSse(_) => body = body.slice(..body.len() / 2),
            _ => {}
        }
    }
    vec![body]
}

/// Fills in what a reply leaves to the request: the echo for a default
/// reply, and the id, model and usage of a message reply.
pub(crate) fn resolve(
    state: &State,
    reply: MockResponse,
    request: &RecordedRequest,
) -> (Resolved, Envelope) {
    let envelope = Envelope {
        status: reply.status,
        headers: reply.headers,
        fault: reply.fault,
        bedrock: false,
    };
    let json = request.json.as_ref().unwrap_or(&Value::Null);
    let content = match reply.body {
        ReplyBody::Default => echo::echo(json),
        ReplyBody::Content(content) => *content,
        ReplyBody::Message(message) => return (Resolved::Message(message), envelope),
        ReplyBody::Events(events) => return (Resolved::Events(events), envelope),
        ReplyBody::Json(value) => return (Resolved::Json(value), envelope),
        ReplyBody::Raw {
            content_type,
            bytes,
        } => {
            return (
                Resolved::Raw {
                    content_type,
                    bytes,
                },
                envelope,
            );
        }
        ReplyBody::Live {
            content_type,
            source,
        } => {
            return (
                Resolved::Live {
                    content_type,
                    source,
                },
                envelope,
            );
        }
        ReplyBody::Error {
            error_type,
            message,
            error_code,
        } => {
            return (
                Resolved::Error {
                    error_type,
                    message,
                    error_code,
                },
                envelope,
            );
        }
    };
    let model = json
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("claude-rs-mock");
    let message = echo::complete(content, model, echo::input_tokens(json), |prefix| {
        state.next_id(prefix)
    });
    (Resolved::Message(Box::new(message)), envelope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_concatenate_back() {
        let raw = Bytes::from_static(b"event: a\ndata: 1\n\nevent: b\r\ndata: 2\r\n\r\ntail");
        let frames = split_frames(&raw);
        assert_eq!(frames.len(), 3);
        assert_eq!(frames.concat(), raw.to_vec());
    }

    #[test]
    fn corrupted_frame_is_not_json() {
        let frame = sse::frame("content_block_delta", r#"{"type":"content_block_delta"}"#);
        let bad = corrupt_frame(&frame);
        let text = std::str::from_utf8(&bad).unwrap_or_default();
        let data = text
            .trim_end()
            .trim_start_matches("event: content_block_delta\ndata: ");
        assert!(serde_json::from_str::<Value>(data).is_err(), "{text}");
        assert!(text.ends_with("\n\n"));
    }
}
