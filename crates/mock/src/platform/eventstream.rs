//! Amazon's `application/vnd.amazon.eventstream` framing, the encoding
//! side only: Bedrock's InvokeModelWithResponseStream sends each event of
//! the Messages stream as a `chunk` frame, and failures as exception frames.
//!
//! A frame is a 12-byte prelude (total length, headers length, CRC-32 of
//! those 8 bytes, all big-endian), the headers (u8 name length, name, type
//! 7 = string, u16 value length, value), the payload, and a CRC-32 of
//! everything before it.

use bytes::Bytes;

use crate::base64;

/// The content type of an eventstream response.
pub(crate) const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

/// The CRC-32 (IEEE, reflected, as zlib's) lookup table.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

/// CRC-32/IEEE of `bytes`.
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |crc, &b| {
        CRC_TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8)
    })
}

/// One frame with string headers, in the order given.
pub(crate) fn frame(headers: &[(&str, &str)], payload: &[u8]) -> Bytes {
    let mut encoded_headers = Vec::new();
    for (name, value) in headers {
        // Names and values here are the mock's own short constants and
        // messages; lengths beyond the fields' ranges are cut.
        let name = &name.as_bytes()[..name.len().min(usize::from(u8::MAX))];
        let value = &value.as_bytes()[..value.len().min(usize::from(u16::MAX))];
        encoded_headers.push(name.len() as u8);
        encoded_headers.extend_from_slice(name);
        encoded_headers.push(7);
        encoded_headers.extend_from_slice(&(value.len() as u16).to_be_bytes());
        encoded_headers.extend_from_slice(value);
    }
    let total = 12 + encoded_headers.len() + payload.len() + 4;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&(encoded_headers.len() as u32).to_be_bytes());
    let prelude_crc = crc32(&out);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(&encoded_headers);
    out.extend_from_slice(payload);
    let message_crc = crc32(&out);
    out.extend_from_slice(&message_crc.to_be_bytes());
    Bytes::from(out)
}

/// A `chunk` event frame carrying one event's JSON, base64-encoded in
/// `{"bytes": ...}` as Bedrock sends it.
pub(crate) fn chunk(event_json: &str) -> Bytes {
    let payload = serde_json::json!({ "bytes": base64::encode(event_json.as_bytes()) });
    frame(
        &[
            (":event-type", "chunk"),
            (":content-type", "application/json"),
            (":message-type", "event"),
        ],
        payload.to_string().as_bytes(),
    )
}

/// An exception frame (`:exception-type` in camelCase, e.g.
/// `throttlingException`) with `{"message": ...}`.
pub(crate) fn exception(kind: &str, message: &str) -> Bytes {
    let payload = serde_json::json!({ "message": message });
    frame(
        &[
            (":exception-type", kind),
            (":content-type", "application/json"),
            (":message-type", "exception"),
        ],
        payload.to_string().as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The frames of a body, split by their length fields, each checked.
    fn frames(mut body: &[u8]) -> Vec<&[u8]> {
        let mut out = Vec::new();
        while body.len() >= 16 {
            let total = u32::from_be_bytes([body[0], body[1], body[2], body[3]]) as usize;
            let (frame, rest) = body.split_at(total);
            let crc = u32::from_be_bytes([frame[8], frame[9], frame[10], frame[11]]);
            assert_eq!(crc32(&frame[..8]), crc, "prelude CRC");
            let tail = &frame[total - 4..];
            assert_eq!(
                crc32(&frame[..total - 4]).to_be_bytes(),
                tail,
                "message CRC"
            );
            out.push(frame);
            body = rest;
        }
        assert!(body.is_empty());
        out
    }

    #[test]
    fn crc32_is_zlibs() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn chunks_are_byte_identical_to_the_recorded_vector() {
        // Each chunk frame of the vector, re-encoded from the event JSON its
        // payload carries, comes out the same, CRCs included.
        let vector = include_bytes!("../../tests/fixtures/bedrock/bedrock_stream_ok.bin");
        let found = frames(vector);
        assert_eq!(found.len(), 6);
        for frame in found {
            let headers_len = u32::from_be_bytes([frame[4], frame[5], frame[6], frame[7]]);
            let payload = &frame[12 + headers_len as usize..frame.len() - 4];
            let payload: serde_json::Value = serde_json::from_slice(payload).unwrap();
            let bytes = base64::decode(payload["bytes"].as_str().unwrap()).unwrap();
            let event = String::from_utf8(bytes).unwrap();
            assert_eq!(&chunk(&event)[..], frame);
        }
    }

    #[test]
    fn exception_frames_name_their_type() {
        let frame = exception("throttlingException", "Too many requests");
        let all = frames(&frame);
        assert_eq!(all.len(), 1);
        let text = String::from_utf8_lossy(&frame);
        assert!(text.contains(":exception-type"));
        assert!(text.contains("throttlingException"));
        assert!(text.contains(r#"{"message":"Too many requests"}"#));
    }
}
