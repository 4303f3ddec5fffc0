//! CRC-32 (IEEE 802.3: reflected, polynomial 0xEDB88320), the checksum of
//! eventstream preludes and frames.
//!
//! Every byte of a Bedrock stream passes through it, so it uses
//! `crc32fast`, the CRC the AWS eventstream crates use: carry-less multiply
//! (PCLMULQDQ, or the ARM CRC instructions) chosen at run time, a table
//! fallback elsewhere. A table-driven CRC in safe Rust cost about 4
//! instructions a byte, a fifth of the decode of a `text_delta` event; the
//! SIMD one is a small fraction of that, and this crate forbids the
//! `unsafe` that writing it here would need.

/// The CRC-32 of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bit by bit, straight from the definition.
    fn reference(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn check_value_and_every_length_against_the_definition() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        let data: Vec<u8> = (0..300u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for len in 0..data.len() {
            assert_eq!(crc32(&data[..len]), reference(&data[..len]), "length {len}");
        }
    }
}
