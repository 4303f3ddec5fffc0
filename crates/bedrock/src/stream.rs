//! A streamed InvokeModel answer: eventstream frames into the event JSON
//! the client decodes, and exception or error frames into typed errors.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Bytes, BytesMut};
use claude_rs_client::backend::{EventSource, api_error, body_error};
use claude_rs_client::{Error, ProtocolKind};
use claude_rs_transport::Body;
use claude_rs_types::error::ErrorType;
use futures_core::Stream;
use http::{HeaderMap, StatusCode};
use http_body::Body as _;
use serde::Deserialize;

use crate::errors::exception_status;
use crate::eventstream::{Frame, FrameDecoder, FrameError};

/// The event source of a streamed answer's body.
pub(crate) fn events(headers: &HeaderMap, body: Body) -> EventSource {
    Box::pin(ChunkEvents {
        body,
        decoder: ChunkDecoder::new(headers.clone()),
        done: false,
    })
}

/// Eventstream frames read from a body, one event JSON per `chunk` frame.
struct ChunkEvents {
    body: Body,
    decoder: ChunkDecoder,
    done: bool,
}

/// Turns the bytes of an InvokeModelWithResponseStream body into the event
/// JSON the client decodes: one event per `chunk` frame (its base64 `bytes`
/// decoded), frames of other kinds skipped, and exception or error frames
/// as the typed [`Error::Api`] they stand for (see the [crate docs](crate)).
/// The [`Backend`](claude_rs_client::backend::Backend) uses it; it is public
/// for benchmarks and for reading recorded bodies.
///
/// ```
/// use claude_rs_bedrock::ChunkDecoder;
///
/// let mut decoder = ChunkDecoder::new(http::HeaderMap::new());
/// decoder.push(b"");
/// assert!(decoder.next_event()?.is_none());
/// decoder.finish()?;
/// # Ok::<(), claude_rs_client::Error>(())
/// ```
#[derive(Debug)]
pub struct ChunkDecoder {
    frames: FrameDecoder,
    /// The response's headers, kept in the errors of exception frames.
    headers: HeaderMap,
    /// Where `bytes` members are decoded: each event is split off it, and
    /// its space is used again once the event is dropped.
    decoded: BytesMut,
}

impl ChunkDecoder {
    /// A decoder for a body whose response carried `headers`.
    pub fn new(headers: HeaderMap) -> Self {
        Self {
            frames: FrameDecoder::new(),
            headers,
            decoded: BytesMut::new(),
        }
    }

    /// Appends received bytes (copied; see [`push_bytes`](Self::push_bytes)).
    pub fn push(&mut self, bytes: &[u8]) {
        self.frames.push(bytes);
    }

    /// Appends a received chunk, whose whole frames are read in place
    /// ([`FrameDecoder::push_bytes`]).
    pub fn push_bytes(&mut self, bytes: Bytes) {
        self.frames.push_bytes(bytes);
    }

    /// The next event's JSON, `None` if more bytes are needed. An error
    /// (a broken frame, an exception) ends the stream.
    pub fn next_event(&mut self) -> Result<Option<Bytes>, Error> {
        loop {
            match self.frames.next_frame().map_err(frame_error)? {
                None => return Ok(None),
                Some(frame) => match self.read(frame)? {
                    Read::Event(json) => return Ok(Some(json)),
                    Read::Skip => {}
                },
            }
        }
    }

    /// Checks that the body did not end inside a frame.
    pub fn finish(&self) -> Result<(), Error> {
        self.frames.finish().map_err(frame_error)
    }
}

/// A `chunk` frame's payload: `{"bytes": "<base64 of one event's JSON>"}`
/// (other members, such as the `p` padding, are ignored).
#[derive(Deserialize)]
struct Chunk<'a> {
    #[serde(borrow)]
    bytes: std::borrow::Cow<'a, str>,
}

/// The `bytes` member of a chunk payload as Bedrock writes it, found
/// without a JSON parse: `{"bytes":"<base64>"}` or
/// `{"bytes":"<base64>","p":"<padding>"}`, with no space and no escape.
/// `None` sends any other spelling (valid or not) to serde, so nothing
/// that serde would refuse is accepted here.
fn plain_bytes_member(payload: &[u8]) -> Option<&[u8]> {
    const KEY: &[u8] = b"{\"bytes\":\"";
    const PADDING: &[u8] = b",\"p\":\"";
    let value = payload.strip_prefix(KEY)?;
    let end = memchr::memchr2(b'"', b'\\', value)?;
    if value[end] != b'"' {
        return None;
    }
    let rest = &value[end + 1..];
    let plain = rest == b"}"
        || rest
            .strip_prefix(PADDING)
            .and_then(|padding| padding.strip_suffix(b"\"}"))
            .is_some_and(|padding| memchr::memchr2(b'"', b'\\', padding).is_none());
    plain.then(|| &value[..end])
}

/// An exception frame's payload.
#[derive(Deserialize)]
struct Exception {
    #[serde(default)]
    message: Option<String>,
}

/// What one frame means.
enum Read {
    Event(Bytes),
    Skip,
}

impl ChunkDecoder {
    fn read(&mut self, frame: Frame) -> Result<Read, Error> {
        let [message_type, event_type] = frame.string_headers([":message-type", ":event-type"]);
        match message_type {
            Some(b"event") => {}
            Some(b"exception") => return Err(self.exception(&frame)),
            Some(b"error") => return Err(self.error_frame(&frame)),
            _ => return Ok(Read::Skip),
        }
        if event_type != Some(b"chunk") {
            return Ok(Read::Skip);
        }
        let payload = frame.payload();
        let chunk = match plain_bytes_member(payload) {
            Some(bytes) => std::borrow::Cow::Borrowed(bytes),
            None => {
                let chunk: Chunk<'_> = serde_json::from_slice(payload)
                    .map_err(|e| framing_decode("chunk frame", payload, e))?;
                match chunk.bytes {
                    std::borrow::Cow::Borrowed(text) => std::borrow::Cow::Borrowed(text.as_bytes()),
                    std::borrow::Cow::Owned(text) => std::borrow::Cow::Owned(text.into_bytes()),
                }
            }
        };
        let json = self.decode_base64(&chunk)?;
        // Events begin with their `type`: the fast path.
        if json.starts_with(b"{\"type\"") {
            return Ok(Read::Event(json));
        }
        // Anything else must still be a JSON object; one that carries no
        // event (no `type` at all) is skipped, as the official SDKs do.
        match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&json) {
            Ok(object) if object.contains_key("type") => Ok(Read::Event(json)),
            Ok(_) => Ok(Read::Skip),
            Err(error) => Err(framing_decode("chunk's event", &json, error)),
        }
    }

    /// Decodes base64 `text` into the reused buffer and splits it off.
    fn decode_base64(&mut self, text: &[u8]) -> Result<Bytes, Error> {
        self.decoded.clear();
        if let Err(e) = crate::base64_decode::decode_into(text, &mut self.decoded) {
            self.decoded.clear();
            return Err(framing(format!(
                "a chunk frame's bytes are not base64 (at offset {})",
                e.at
            )));
        }
        Ok(self.decoded.split().freeze())
    }

    /// A modeled exception (`:exception-type`), or an unmodeled one that
    /// uses the `:error-code` headers.
    fn exception(&self, frame: &Frame) -> Error {
        let Some(kind) = frame.header_str(":exception-type") else {
            return self.error_frame(frame);
        };
        let message = serde_json::from_slice::<Exception>(frame.payload())
            .ok()
            .and_then(|e| e.message)
            .or_else(|| frame.header_str(":error-message").map(str::to_owned))
            .unwrap_or_else(|| kind.to_owned());
        let status = exception_status(kind).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        self.typed(status, kind, message, frame)
    }

    /// An `error` frame: the code and message are headers.
    fn error_frame(&self, frame: &Frame) -> Error {
        let code = frame.header_str(":error-code").unwrap_or("unknown_error");
        let message = frame.header_str(":error-message").unwrap_or(code);
        let status = exception_status(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        self.typed(status, code, message.to_owned(), frame)
    }

    /// The error as the client's, with Bedrock's request id
    /// (`x-amzn-requestid`) when the response has no `request-id`.
    fn typed(&self, status: StatusCode, kind: &str, message: String, frame: &Frame) -> Error {
        let mut error = api_error(
            status,
            Some(ErrorType::from(kind)),
            message,
            frame.payload().clone(),
            self.headers.clone(),
        );
        if let Error::Api(api) = &mut error
            && api.request_id.is_none()
        {
            api.request_id = crate::errors::request_id(&self.headers).map(str::to_owned);
        }
        error
    }
}

impl Stream for ChunkEvents {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            match this.decoder.next_event() {
                Ok(Some(json)) => return Poll::Ready(Some(Ok(json))),
                Ok(None) => {}
                Err(error) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
            match ready!(Pin::new(&mut this.body).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        this.decoder.push_bytes(data);
                    }
                }
                Some(Err(error)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(body_error(error))));
                }
                None => {
                    this.done = true;
                    return match this.decoder.finish() {
                        Ok(()) => Poll::Ready(None),
                        Err(error) => Poll::Ready(Some(Err(error))),
                    };
                }
            }
        }
    }
}

fn framing(message: String) -> Error {
    Error::Protocol {
        kind: ProtocolKind::Framing,
        message,
    }
}

fn frame_error(error: FrameError) -> Error {
    framing(error.to_string())
}

fn framing_decode(what: &str, payload: &[u8], error: serde_json::Error) -> Error {
    let start = String::from_utf8_lossy(&payload[..payload.len().min(256)]).into_owned();
    framing(format!(
        "a {what} is not the expected JSON ({error}); it begins {start:?}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_bytes_member_is_read_without_a_parse_and_anything_else_by_serde() {
        for plain in [&br#"{"bytes":"QQ==","p":"x"}"#[..], br#"{"bytes":"QQ=="}"#] {
            assert_eq!(plain_bytes_member(plain), Some(&b"QQ=="[..]));
        }
        for other in [
            &br#"{"p":"x","bytes":"QQ=="}"#[..],
            br#"{"bytes":"Q\/Q="}"#,
            br#"{ "bytes": "QQ=="}"#,
            br#"{"bytes":"QQ=="#,
            br#"{"bytes":"QQ==" }"#,
            br#"{"bytes":"QQ==","p":"x","q":"y"}"#,
            br#"{"bytes":"QQ==","p":"x\"}"#,
            br#"{"bytes":"QQ==","p":1}"#,
            br#"{"bytes":"QQ=="}x"#,
        ] {
            assert_eq!(plain_bytes_member(other), None);
        }
    }
}
