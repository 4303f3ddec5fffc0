//! Standard base64 (RFC 4648 §4, padded) decoding of a `chunk` frame's
//! `bytes`, straight into the reused event buffer.
//!
//! Every streamed event passes through here, and decoding was the largest
//! cost of an eventstream event after the JSON itself. Written for this one
//! shape: canonical padded input, decoded a block at a time through a stack
//! buffer, with no zero-filling of the output. It is exactly as strict as
//! the `base64` crate's `STANDARD` engine (padding required, no whitespace,
//! no non-zero trailing bits); a test holds the two to the same answers.

use bytes::BytesMut;

/// Marks a byte outside the alphabet in [`DECODE`].
const INVALID: u8 = 0xFF;

/// Each byte's 6-bit value, or [`INVALID`].
const DECODE: [u8; 256] = {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Why a text is not canonical padded base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InvalidBase64 {
    /// The offset of the first character that cannot be where it is (for a
    /// length that is not a multiple of four: the length).
    pub(crate) at: usize,
}

/// Decodes `text` and appends the bytes to `out`; on an error `out` may
/// hold part of the output and should be cleared.
pub(crate) fn decode_into(text: &[u8], out: &mut BytesMut) -> Result<(), InvalidBase64> {
    if !text.len().is_multiple_of(4) {
        return Err(InvalidBase64 { at: text.len() });
    }
    let Some(split) = text.len().checked_sub(4) else {
        return Ok(());
    };
    let (body, last) = text.split_at(split);
    out.reserve(body.len() / 4 * 3 + 3);
    // Whole quads, 64 at a time through a stack buffer.
    let mut block = [0u8; 192];
    for (index, run) in body.chunks(256).enumerate() {
        let mut len = 0;
        for (quad_index, quad) in run.chunks_exact(4).enumerate() {
            let (a, b, c, d) = (
                DECODE[usize::from(quad[0])],
                DECODE[usize::from(quad[1])],
                DECODE[usize::from(quad[2])],
                DECODE[usize::from(quad[3])],
            );
            if (a | b | c | d) & 0x80 != 0 {
                let at = index * 256 + quad_index * 4;
                return Err(first_invalid(&text[at..at + 4], at));
            }
            let n = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
            block[len] = (n >> 16) as u8;
            block[len + 1] = (n >> 8) as u8;
            block[len + 2] = n as u8;
            len += 3;
        }
        out.extend_from_slice(&block[..len]);
    }
    last_quad(last, split, out)
}

/// The last quad, which may end in one or two `=`; the bits the padding
/// leaves unused must be zero.
fn last_quad(quad: &[u8], at: usize, out: &mut BytesMut) -> Result<(), InvalidBase64> {
    let value = |i: usize| match DECODE[usize::from(quad[i])] {
        INVALID => Err(InvalidBase64 { at: at + i }),
        v => Ok(u32::from(v)),
    };
    let (a, b) = (value(0)?, value(1)?);
    match (quad[2], quad[3]) {
        (b'=', b'=') => {
            if b & 0x0F != 0 {
                return Err(InvalidBase64 { at: at + 1 });
            }
            out.extend_from_slice(&[(a << 2 | b >> 4) as u8]);
        }
        (_, b'=') => {
            let c = value(2)?;
            if c & 0x03 != 0 {
                return Err(InvalidBase64 { at: at + 2 });
            }
            let n = a << 18 | b << 12 | c << 6;
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]);
        }
        _ => {
            let n = a << 18 | b << 12 | value(2)? << 6 | value(3)?;
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
        }
    }
    Ok(())
}

/// The offset of the first character of `quad` outside the alphabet.
fn first_invalid(quad: &[u8], at: usize) -> InvalidBase64 {
    let offset = quad
        .iter()
        .position(|&byte| DECODE[usize::from(byte)] == INVALID)
        .unwrap_or(0);
    InvalidBase64 { at: at + offset }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use proptest::prelude::*;

    use super::*;

    fn decode(text: &[u8]) -> Result<Vec<u8>, InvalidBase64> {
        let mut out = BytesMut::new();
        decode_into(text, &mut out).map(|()| out.to_vec())
    }

    #[test]
    fn known_answers() {
        assert_eq!(decode(b"").unwrap(), b"");
        assert_eq!(decode(b"Zg==").unwrap(), b"f");
        assert_eq!(decode(b"Zm8=").unwrap(), b"fo");
        assert_eq!(decode(b"Zm9v").unwrap(), b"foo");
        assert_eq!(decode(b"Zm9vYmFy").unwrap(), b"foobar");
        assert_eq!(decode(b"Zm9").unwrap_err(), InvalidBase64 { at: 3 });
        assert_eq!(decode(b"Zm9v!mFy").unwrap_err(), InvalidBase64 { at: 4 });
        assert_eq!(
            decode(b"Zh==").unwrap_err(),
            InvalidBase64 { at: 1 },
            "trailing bits"
        );
        assert_eq!(
            decode(b"Zm9=").unwrap_err(),
            InvalidBase64 { at: 2 },
            "trailing bits"
        );
        assert!(decode(b"Zg==Zg==").is_err(), "padding only at the end");
        assert!(decode(b"Z===").is_err());
        assert!(decode(b"====").is_err());
    }

    #[test]
    fn long_inputs_cross_the_block_boundary() {
        let data: Vec<u8> = (0..2000u32).map(|i| (i * 7 + i / 3) as u8).collect();
        for len in [0, 1, 2, 191, 192, 193, 194, 195, 1000, 2000] {
            let text = STANDARD.encode(&data[..len]);
            assert_eq!(
                decode(text.as_bytes()).unwrap(),
                &data[..len],
                "length {len}"
            );
        }
    }

    proptest! {
        #[test]
        fn round_trips_what_the_base64_crate_encodes(data in proptest::collection::vec(any::<u8>(), 0..600)) {
            let text = STANDARD.encode(&data);
            prop_assert_eq!(decode(text.as_bytes()).unwrap(), data);
        }

        #[test]
        fn accepts_and_rejects_exactly_what_the_base64_crate_does(
            text in proptest::collection::vec(
                prop_oneof![Just(b'A'), Just(b'Q'), Just(b'z'), Just(b'+'), Just(b'/'), Just(b'='), Just(b'!'), Just(b'\n'), any::<u8>()],
                0..40,
            )
        ) {
            let ours = decode(&text);
            let theirs = STANDARD.decode(&text);
            prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: {:?} vs {:?}", String::from_utf8_lossy(&text), ours, theirs);
            if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
                prop_assert_eq!(ours, theirs);
            }
        }
    }
}
