//! Amazon's `application/vnd.amazon.eventstream` framing: an incremental,
//! checksum-checked frame decoder with bounded frame sizes.
//!
//! A frame is a 12-byte big-endian prelude (total length, headers length,
//! CRC-32 of those 8 bytes), the headers, the payload, and a CRC-32 of
//! everything before it. Each header is a one-byte name length, the name,
//! a one-byte value type and the value.

use std::fmt;

use bytes::{Buf, Bytes, BytesMut};

pub use crate::crc32::crc32;

mod headers;

use headers::{check_headers, encode_header, value_of, walk};

/// The largest headers section accepted (botocore's limit).
pub const MAX_HEADERS_LEN: usize = 128 * 1024;
/// The largest payload accepted (botocore's limit).
pub const MAX_PAYLOAD_LEN: usize = 24 * 1024 * 1024;

/// Prelude (12 bytes) plus the message CRC (4 bytes).
const OVERHEAD: usize = 16;

/// A header value of an eventstream frame.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderValue {
    /// Type 0 or 1.
    Bool(bool),
    /// Type 2.
    Byte(i8),
    /// Type 3.
    Int16(i16),
    /// Type 4.
    Int32(i32),
    /// Type 5.
    Int64(i64),
    /// Type 6.
    Bytes(Bytes),
    /// Type 7.
    String(String),
    /// Type 8: milliseconds since the Unix epoch.
    Timestamp(i64),
    /// Type 9.
    Uuid([u8; 16]),
}

/// One decoded frame: its headers and payload. The headers stay in their
/// wire form (checked once when the frame is decoded) and are read in
/// place, so decoding a frame allocates nothing for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    headers: Bytes,
    payload: Bytes,
}

impl Frame {
    /// A frame of these headers and payload (for encoders and tests).
    pub fn new(headers: Vec<(String, HeaderValue)>, payload: Bytes) -> Self {
        let mut raw = Vec::new();
        for (name, value) in &headers {
            encode_header(&mut raw, name, value);
        }
        Self {
            headers: Bytes::from(raw),
            payload,
        }
    }

    /// The value of header `name`.
    pub fn header(&self, name: &str) -> Option<HeaderValue> {
        let mut found = None;
        let _ = walk(&self.headers, |n, kind, value| {
            if found.is_none() && n == name.as_bytes() {
                found = Some(value_of(kind, value));
            }
        });
        found
    }

    /// The value of header `name` when it is a string, without copying.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        let [value] = self.string_headers([name]);
        value.and_then(|value| std::str::from_utf8(value).ok())
    }

    /// The bytes of the string headers `names` (UTF-8, as the decoder
    /// checked), in one pass over the headers.
    pub(crate) fn string_headers<const N: usize>(&self, names: [&str; N]) -> [Option<&[u8]>; N] {
        let mut found = [None; N];
        let _ = walk(&self.headers, |n, kind, value| {
            if kind == 7 {
                for (slot, name) in found.iter_mut().zip(names) {
                    if slot.is_none() && n == name.as_bytes() {
                        *slot = Some(value);
                    }
                }
            }
        });
        found
    }

    /// Every header, in order.
    pub fn headers(&self) -> Vec<(String, HeaderValue)> {
        let mut out = Vec::new();
        let _ = walk(&self.headers, |name, kind, value| {
            out.push((
                String::from_utf8_lossy(name).into_owned(),
                value_of(kind, value),
            ));
        });
        out
    }

    /// The payload.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// A frame from its checked wire form (`headers` bytes of headers).
    fn from_wire(wire: Bytes, headers: usize) -> Self {
        Self {
            headers: wire.slice(12..12 + headers),
            payload: wire.slice(12 + headers..wire.len() - 4),
        }
    }

    /// The frame as bytes on the wire.
    pub fn encode(&self) -> Vec<u8> {
        let total = OVERHEAD + self.headers.len() + self.payload.len();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(self.headers.len() as u32).to_be_bytes());
        let prelude_crc = crc32(&out);
        out.extend_from_slice(&prelude_crc.to_be_bytes());
        out.extend_from_slice(&self.headers);
        out.extend_from_slice(&self.payload);
        let message_crc = crc32(&out);
        out.extend_from_slice(&message_crc.to_be_bytes());
        out
    }
}

/// Why a frame could not be decoded. Every variant ends the stream: the
/// framing cannot be resynchronized.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The prelude's CRC does not match its 8 bytes.
    PreludeChecksum {
        /// The CRC the frame carries.
        expected: u32,
        /// The CRC of the bytes received.
        computed: u32,
    },
    /// The message CRC does not match the frame.
    MessageChecksum {
        /// The CRC the frame carries.
        expected: u32,
        /// The CRC of the bytes received.
        computed: u32,
    },
    /// The lengths in the prelude are impossible or over the limits.
    Length {
        /// The frame's total length.
        total: u32,
        /// The frame's headers length.
        headers: u32,
    },
    /// A header is cut short, has an unknown type, or repeats a name.
    Header(String),
    /// The stream ended inside a frame.
    Truncated {
        /// The bytes of the unfinished frame that had arrived.
        buffered: usize,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::PreludeChecksum { expected, computed } => write!(
                f,
                "eventstream prelude checksum mismatch: the frame says {expected:#010x}, its \
                 bytes give {computed:#010x}"
            ),
            FrameError::MessageChecksum { expected, computed } => write!(
                f,
                "eventstream message checksum mismatch: the frame says {expected:#010x}, its \
                 bytes give {computed:#010x}"
            ),
            FrameError::Length { total, headers } => write!(
                f,
                "eventstream frame lengths out of bounds: total {total}, headers {headers} \
                 (limits: headers {MAX_HEADERS_LEN}, payload {MAX_PAYLOAD_LEN})"
            ),
            FrameError::Header(why) => write!(f, "eventstream frame header: {why}"),
            FrameError::Truncated { buffered } => write!(
                f,
                "the eventstream ended inside a frame ({buffered} byte(s) of it had arrived)"
            ),
        }
    }
}

impl std::error::Error for FrameError {}

/// An incremental frame decoder: feed it bytes as they arrive and take
/// whole frames out.
///
/// ```
/// use bytes::Bytes;
/// use claude_rs_bedrock::eventstream::{Frame, FrameDecoder, HeaderValue};
///
/// let frame = Frame::new(
///     vec![(":message-type".into(), HeaderValue::String("event".into()))],
///     Bytes::from_static(b"{}"),
/// );
/// let wire = frame.encode();
/// let mut decoder = FrameDecoder::new();
/// decoder.push(&wire[..5]);
/// assert_eq!(decoder.next_frame()?, None, "not whole yet");
/// decoder.push(&wire[5..]);
/// assert_eq!(decoder.next_frame()?, Some(frame));
/// decoder.finish()?;
/// # Ok::<(), claude_rs_bedrock::eventstream::FrameError>(())
/// ```
#[derive(Debug, Default)]
pub struct FrameDecoder {
    /// A frame being assembled from pieces of several chunks.
    buffer: BytesMut,
    /// The received chunk not yet taken as frames (its bytes come after
    /// `buffer`'s), kept as it came: the frames whole in it are taken
    /// without a copy.
    chunk: Bytes,
}

impl FrameDecoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends received bytes, copied ([`push_bytes`](Self::push_bytes)
    /// takes a chunk without a copy).
    pub fn push(&mut self, bytes: &[u8]) {
        self.flush_chunk();
        self.buffer.extend_from_slice(bytes);
    }

    /// Appends a received chunk. The frames whole in it are taken from it
    /// without a copy; only the bytes of a frame cut between chunks are
    /// copied, to assemble it.
    pub fn push_bytes(&mut self, bytes: Bytes) {
        self.flush_chunk();
        self.chunk = bytes;
    }

    /// The next whole frame, `None` if more bytes are needed.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        if self.buffer.is_empty() {
            if let Some((total, headers)) = lengths(&self.chunk)?
                && self.chunk.len() >= total
            {
                check(&self.chunk[..total], headers)?;
                return Ok(Some(Frame::from_wire(self.chunk.split_to(total), headers)));
            }
            // A frame cut at the chunk's end: set aside to be completed.
            self.flush_chunk();
            return Ok(None);
        }
        // Completing a frame: only the bytes it lacks come from the chunk.
        self.top_up(12);
        let Some((total, headers)) = lengths(&self.buffer)? else {
            return Ok(None);
        };
        self.buffer.reserve(total.saturating_sub(self.buffer.len()));
        self.top_up(total);
        if self.buffer.len() < total {
            return Ok(None);
        }
        check(&self.buffer[..total], headers)?;
        let wire = self.buffer.split_to(total).freeze();
        Ok(Some(Frame::from_wire(wire, headers)))
    }

    /// Checks that the stream did not end inside a frame.
    pub fn finish(&self) -> Result<(), FrameError> {
        match self.buffer.len() + self.chunk.len() {
            0 => Ok(()),
            buffered => Err(FrameError::Truncated { buffered }),
        }
    }

    /// Moves the chunk's bytes into the assembly buffer.
    fn flush_chunk(&mut self) {
        if !self.chunk.is_empty() {
            self.buffer.extend_from_slice(&self.chunk);
            self.chunk.clear();
        }
    }

    /// Moves bytes from the chunk until the buffer holds `len` (or the
    /// chunk is empty).
    fn top_up(&mut self, len: usize) {
        let n = len.saturating_sub(self.buffer.len()).min(self.chunk.len());
        self.buffer.extend_from_slice(&self.chunk[..n]);
        self.chunk.advance(n);
    }
}

/// The total and headers lengths of the frame `bytes` begins with, from its
/// prelude (CRC and bounds checked); `None` before the 12 prelude bytes.
fn lengths(bytes: &[u8]) -> Result<Option<(usize, usize)>, FrameError> {
    let Some(prelude) = bytes.first_chunk::<12>() else {
        return Ok(None);
    };
    let word = |at: usize| {
        u32::from_be_bytes([
            prelude[at],
            prelude[at + 1],
            prelude[at + 2],
            prelude[at + 3],
        ])
    };
    let (total, headers, prelude_crc) = (word(0), word(4), word(8));
    let computed = crc32(&prelude[..8]);
    if computed != prelude_crc {
        return Err(FrameError::PreludeChecksum {
            expected: prelude_crc,
            computed,
        });
    }
    let (total_len, headers_len) = (total as usize, headers as usize);
    let bounded = headers_len <= MAX_HEADERS_LEN
        && total_len >= OVERHEAD + headers_len
        && total_len - OVERHEAD - headers_len <= MAX_PAYLOAD_LEN;
    if !bounded {
        return Err(FrameError::Length { total, headers });
    }
    Ok(Some((total_len, headers_len)))
}

/// Checks a whole frame's message CRC and its headers section.
fn check(wire: &[u8], headers: usize) -> Result<(), FrameError> {
    let (body, crc) = wire.split_at(wire.len() - 4);
    let expected = u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]]);
    let computed = crc32(body);
    if computed != expected {
        return Err(FrameError::MessageChecksum { expected, computed });
    }
    check_headers(&body[12..12 + headers])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_long_frames_are_refused_before_buffering() {
        let mut prelude = Vec::new();
        prelude.extend_from_slice(&(u32::MAX).to_be_bytes());
        prelude.extend_from_slice(&0u32.to_be_bytes());
        let crc = crc32(&prelude);
        prelude.extend_from_slice(&crc.to_be_bytes());
        let mut decoder = FrameDecoder::new();
        decoder.push(&prelude);
        assert!(matches!(
            decoder.next_frame(),
            Err(FrameError::Length {
                total: u32::MAX,
                ..
            })
        ));
    }

    #[test]
    fn duplicate_and_unknown_headers_are_refused() {
        let twice = Frame::new(
            vec![
                ("a".into(), HeaderValue::Bool(true)),
                ("a".into(), HeaderValue::Bool(false)),
            ],
            Bytes::new(),
        );
        let mut decoder = FrameDecoder::new();
        decoder.push(&twice.encode());
        assert!(
            matches!(decoder.next_frame(), Err(FrameError::Header(why)) if why.contains("twice"))
        );

        let mut bad =
            Frame::new(vec![("b".into(), HeaderValue::Bool(true))], Bytes::new()).encode();
        bad[14] = 42; // the value type
        let len = bad.len();
        let crc = crc32(&bad[..len - 4]);
        bad[len - 4..].copy_from_slice(&crc.to_be_bytes());
        let mut decoder = FrameDecoder::new();
        decoder.push(&bad);
        assert!(matches!(decoder.next_frame(), Err(FrameError::Header(why)) if why.contains("42")));
    }
}
