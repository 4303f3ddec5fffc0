//! UTF-8 decoding of completed fields.
//!
//! The spec decodes the whole stream as UTF-8 (with U+FFFD replacement) before
//! splitting it into lines. Decoding each completed field value separately gives
//! the same text, because every byte the line splitter and the field splitter
//! look at (CR, LF, `:`, space) is ASCII, and an ASCII byte always ends a
//! malformed sequence in both decoders; and `String::from_utf8_lossy` replaces
//! maximal subparts exactly like the WHATWG decoder. Decoding per *completed*
//! value (never per chunk) is what keeps a multi-byte character that was split
//! across two chunks intact.

use std::ops::Range;

use bytes::{Bytes, BytesMut};
use bytestring::ByteString;

/// Turns the completed field value `src[range]` into text, without copying
/// when it is valid UTF-8 (the common case); only invalid input pays for a
/// lossy copy. Taking the source and range, rather than a sliced `Bytes`,
/// keeps the input around for that fallback without an extra reference count.
#[inline]
pub(crate) fn decode(src: &Bytes, range: Range<usize>) -> ByteString {
    match ByteString::try_from(src.slice(range.clone())) {
        Ok(text) => text,
        Err(_) => lossy(&src[range]),
    }
}

/// Like [`decode`], for bytes in a buffer about to be reused: copies them.
pub(crate) fn decode_copy(bytes: &[u8]) -> ByteString {
    match std::str::from_utf8(bytes) {
        Ok(text) => ByteString::from(text),
        Err(_) => lossy(bytes),
    }
}

/// Like [`decode`], for data assembled in a buffer.
pub(crate) fn decode_buf(buf: BytesMut) -> ByteString {
    let bytes = buf.freeze();
    // `try_from` consumes its argument: give it a (reference-counted) clone.
    match ByteString::try_from(bytes.clone()) {
        Ok(text) => text,
        Err(_) => lossy(&bytes),
    }
}

fn lossy(bytes: &[u8]) -> ByteString {
    ByteString::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_is_not_copied() {
        let bytes = Bytes::from(String::from("héllo"));
        let text = decode(&bytes, 0..bytes.len());
        assert_eq!(&*text, "héllo");
        assert_eq!(text.as_bytes().as_ptr(), bytes.as_ptr());
    }

    #[test]
    fn invalid_utf8_is_replaced_per_maximal_subpart() {
        // E2 82 is a truncated 3-byte sequence: one U+FFFD; FF is never valid.
        let bytes = Bytes::from_static(b"-a\xE2\x82b\xFFc-");
        assert_eq!(&*decode(&bytes, 1..7), "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(
            &*decode_buf(BytesMut::from(&bytes[1..7])),
            "a\u{FFFD}b\u{FFFD}c"
        );
        assert_eq!(&*decode_buf(BytesMut::from("ok é")), "ok é");
    }
}
