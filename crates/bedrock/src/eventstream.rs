//! Amazon's `application/vnd.amazon.eventstream` framing: an incremental,
//! checksum-checked frame decoder with bounded frame sizes.
//!
//! A frame is a 12-byte big-endian prelude (total length, headers length,
//! CRC-32 of those 8 bytes), the headers, the payload, and a CRC-32 of
//! everything before it. Each header is a one-byte name length, the name,
//! a one-byte value type and the value.

use std::fmt;

use bytes::{Buf, Bytes, BytesMut};

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

/// One decoded frame: its headers and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    headers: Vec<(String, HeaderValue)>,
    payload: Bytes,
}

impl Frame {
    /// A frame of these headers and payload (for encoders and tests).
    pub fn new(headers: Vec<(String, HeaderValue)>, payload: Bytes) -> Self {
        Self { headers, payload }
    }

    /// The value of header `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The value of header `name` when it is a string.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        match self.header(name)? {
            HeaderValue::String(value) => Some(value),
            _ => None,
        }
    }

    /// Every header, in order.
    pub fn headers(&self) -> &[(String, HeaderValue)] {
        &self.headers
    }

    /// The payload.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// The frame as bytes on the wire.
    pub fn encode(&self) -> Vec<u8> {
        let mut headers = Vec::new();
        for (name, value) in &self.headers {
            headers.push(name.len() as u8);
            headers.extend_from_slice(name.as_bytes());
            match value {
                HeaderValue::Bool(true) => headers.push(0),
                HeaderValue::Bool(false) => headers.push(1),
                HeaderValue::Byte(v) => {
                    headers.push(2);
                    headers.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Int16(v) => {
                    headers.push(3);
                    headers.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Int32(v) => {
                    headers.push(4);
                    headers.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Int64(v) => {
                    headers.push(5);
                    headers.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Bytes(v) => {
                    headers.push(6);
                    headers.extend_from_slice(&(v.len() as u16).to_be_bytes());
                    headers.extend_from_slice(v);
                }
                HeaderValue::String(v) => {
                    headers.push(7);
                    headers.extend_from_slice(&(v.len() as u16).to_be_bytes());
                    headers.extend_from_slice(v.as_bytes());
                }
                HeaderValue::Timestamp(v) => {
                    headers.push(8);
                    headers.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Uuid(v) => {
                    headers.push(9);
                    headers.extend_from_slice(v);
                }
            }
        }
        let total = OVERHEAD + headers.len() + self.payload.len();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let prelude_crc = crc32(&out);
        out.extend_from_slice(&prelude_crc.to_be_bytes());
        out.extend_from_slice(&headers);
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
/// use claude_bedrock::eventstream::{Frame, FrameDecoder, HeaderValue};
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
/// # Ok::<(), claude_bedrock::eventstream::FrameError>(())
/// ```
#[derive(Debug, Default)]
pub struct FrameDecoder {
    buffer: BytesMut,
}

impl FrameDecoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole frame, `None` if more bytes are needed.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        if self.buffer.len() < 12 {
            return Ok(None);
        }
        let total = u32::from_be_bytes(self.buffer[0..4].try_into().unwrap_or_default());
        let headers_len = u32::from_be_bytes(self.buffer[4..8].try_into().unwrap_or_default());
        let prelude_crc = u32::from_be_bytes(self.buffer[8..12].try_into().unwrap_or_default());
        let computed = crc32(&self.buffer[..8]);
        if computed != prelude_crc {
            return Err(FrameError::PreludeChecksum {
                expected: prelude_crc,
                computed,
            });
        }
        let (total_len, headers) = (total as usize, headers_len as usize);
        let bounded = headers <= MAX_HEADERS_LEN
            && total_len >= OVERHEAD + headers
            && total_len - OVERHEAD - headers <= MAX_PAYLOAD_LEN;
        if !bounded {
            return Err(FrameError::Length {
                total,
                headers: headers_len,
            });
        }
        if self.buffer.len() < total_len {
            self.buffer.reserve(total_len - self.buffer.len());
            return Ok(None);
        }
        let mut frame = self.buffer.split_to(total_len).freeze();
        let message_crc = u32::from_be_bytes(frame[total_len - 4..].try_into().unwrap_or_default());
        let computed = crc32(&frame[..total_len - 4]);
        if computed != message_crc {
            return Err(FrameError::MessageChecksum {
                expected: message_crc,
                computed,
            });
        }
        frame.advance(12);
        let header_bytes = frame.split_to(headers);
        frame.truncate(frame.len() - 4);
        let headers = parse_headers(header_bytes)?;
        Ok(Some(Frame {
            headers,
            payload: frame,
        }))
    }

    /// Checks that the stream did not end inside a frame.
    pub fn finish(&self) -> Result<(), FrameError> {
        match self.buffer.len() {
            0 => Ok(()),
            buffered => Err(FrameError::Truncated { buffered }),
        }
    }
}

/// Parses a headers section.
fn parse_headers(mut bytes: Bytes) -> Result<Vec<(String, HeaderValue)>, FrameError> {
    let short = |what: &str| FrameError::Header(format!("cut short in {what}"));
    let mut headers: Vec<(String, HeaderValue)> = Vec::with_capacity(4);
    while bytes.has_remaining() {
        let name_len = usize::from(bytes.get_u8());
        if bytes.remaining() < name_len + 1 {
            return Err(short("a header name"));
        }
        let name = String::from_utf8(bytes.split_to(name_len).to_vec())
            .map_err(|_| FrameError::Header("a header name is not UTF-8".into()))?;
        let kind = bytes.get_u8();
        let fixed = |bytes: &mut Bytes, n: usize| -> Result<Bytes, FrameError> {
            if bytes.remaining() < n {
                return Err(short(&format!("the value of {name:?}")));
            }
            Ok(bytes.split_to(n))
        };
        let value = match kind {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(fixed(&mut bytes, 1)?.get_i8()),
            3 => HeaderValue::Int16(fixed(&mut bytes, 2)?.get_i16()),
            4 => HeaderValue::Int32(fixed(&mut bytes, 4)?.get_i32()),
            5 => HeaderValue::Int64(fixed(&mut bytes, 8)?.get_i64()),
            6 | 7 => {
                let len = usize::from(fixed(&mut bytes, 2)?.get_u16());
                let value = fixed(&mut bytes, len)?;
                if kind == 6 {
                    HeaderValue::Bytes(value)
                } else {
                    HeaderValue::String(String::from_utf8(value.to_vec()).map_err(|_| {
                        FrameError::Header(format!("the string value of {name:?} is not UTF-8"))
                    })?)
                }
            }
            8 => HeaderValue::Timestamp(fixed(&mut bytes, 8)?.get_i64()),
            9 => {
                let mut uuid = [0; 16];
                fixed(&mut bytes, 16)?.copy_to_slice(&mut uuid);
                HeaderValue::Uuid(uuid)
            }
            other => {
                return Err(FrameError::Header(format!(
                    "unknown value type {other} of {name:?}"
                )));
            }
        };
        if headers.iter().any(|(n, _)| *n == name) {
            return Err(FrameError::Header(format!("{name:?} appears twice")));
        }
        headers.push((name, value));
    }
    Ok(headers)
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), slicing by one
/// byte over a table built at compile time.
pub fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut crc = i as u32;
            let mut bit = 0;
            while bit < 8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
                bit += 1;
            }
            table[i] = crc;
            i += 1;
        }
        table
    };
    let mut crc = !0u32;
    for &byte in bytes {
        crc = TABLE[((crc ^ u32::from(byte)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

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
