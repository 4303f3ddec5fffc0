//! [`PartialLine`]: a line that has begun but whose end has not arrived yet.

use std::ops::Range;

use bytes::{Bytes, BytesMut};

/// Up to this length a partial line is copied into a reusable buffer, which is
/// cheapest for the common case of a short line split between two chunks.
/// Past it, the remaining pieces are kept as zero-copy slices and joined once
/// at the end, so a huge line costs one copy in total, whatever the chunking:
/// no re-copying as a buffer grows, no quadratic case.
const COPY_LIMIT: usize = 16 * 1024;

/// The pieces of a line that started in an earlier chunk.
#[derive(Debug, Default)]
pub(crate) struct PartialLine {
    /// The start of the line, copied (while the line is short).
    head: BytesMut,
    /// Further pieces, not copied (once the line is long).
    pieces: Vec<Bytes>,
    len: usize,
}

impl PartialLine {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `chunk[range]`.
    pub(crate) fn push(&mut self, chunk: &Bytes, range: Range<usize>) {
        self.len += range.len();
        if self.pieces.is_empty() && self.head.len() + range.len() <= COPY_LIMIT {
            self.head.extend_from_slice(&chunk[range]);
        } else {
            if !self.head.is_empty() {
                self.pieces.push(self.head.split().freeze());
            }
            self.pieces.push(chunk.slice(range));
        }
    }

    /// Appends bytes that are not part of any chunk (a BOM prefix that turned
    /// out not to be a BOM: at most two bytes, at the start of the stream).
    pub(crate) fn push_bytes(&mut self, bytes: &[u8]) {
        debug_assert!(self.pieces.is_empty());
        self.len += bytes.len();
        self.head.extend_from_slice(bytes);
    }

    /// Completes the line with `tail` and returns all of it, contiguous.
    pub(crate) fn finish(&mut self, tail: &[u8]) -> Bytes {
        self.len = 0;
        if self.pieces.is_empty() {
            self.head.extend_from_slice(tail);
            // The split-off part is frozen so values can be sliced from it;
            // `head` gets its allocation back once those slices are dropped.
            return self.head.split().freeze();
        }
        let total = self.pieces.iter().map(Bytes::len).sum::<usize>() + tail.len();
        let mut line = BytesMut::with_capacity(total);
        for piece in self.pieces.drain(..) {
            line.extend_from_slice(&piece);
        }
        line.extend_from_slice(tail);
        line.freeze()
    }

    /// Forgets the line (it is being discarded).
    pub(crate) fn clear(&mut self) {
        self.len = 0;
        self.head.clear();
        self.pieces = Vec::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_lines_are_assembled_in_order() {
        for piece_len in [1, 100, COPY_LIMIT - 1, COPY_LIMIT + 1] {
            let chunk = Bytes::from((0..=255u8).cycle().take(piece_len * 3).collect::<Vec<_>>());
            let mut line = PartialLine::default();
            line.push_bytes(b"ab");
            line.push(&chunk, 0..piece_len);
            line.push(&chunk, piece_len..2 * piece_len);
            assert_eq!(line.len(), 2 + 2 * piece_len);
            let whole = line.finish(&chunk[2 * piece_len..]);
            assert_eq!(&whole[..2], b"ab");
            assert_eq!(&whole[2..], &chunk[..]);
            assert!(line.is_empty());
            // Reusable afterwards.
            line.push(&chunk, 0..1);
            assert_eq!(&line.finish(b"z")[..], &[0, b'z']);
        }
    }
}
