//! [`PartialLine`]: a line that has begun but whose end has not arrived yet.

use bytes::{Bytes, BytesMut};

/// The start of a line that continues into a later chunk, copied into a
/// reusable buffer.
///
/// Each piece is copied exactly once, right after the line search has pulled
/// it into the cache, and the buffer grows geometrically, so a line split into
/// many chunks costs linear time. (Keeping the pieces as zero-copy slices and
/// joining them at the end was measured to be slower: the join reads them back
/// from memory, and every slice costs two atomic reference-count updates.)
#[derive(Debug, Default)]
pub(crate) struct PartialLine {
    buf: BytesMut,
}

impl PartialLine {
    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Appends a piece of the line.
    pub(crate) fn push(&mut self, piece: &[u8]) {
        self.buf.extend_from_slice(piece);
    }

    /// Completes the line with `tail` and returns all of it.
    pub(crate) fn finish(&mut self, tail: &[u8]) -> Bytes {
        self.buf.extend_from_slice(tail);
        // The split-off part is frozen so values can be sliced from it without
        // a copy; the buffer gets its allocation back (`BytesMut::reserve`
        // reclaims it) once those slices are dropped.
        self.buf.split().freeze()
    }

    /// Forgets the line (it is being discarded).
    pub(crate) fn clear(&mut self) {
        // Do not keep an allocation as large as the size limit around.
        self.buf = BytesMut::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_assembled_in_order_and_the_buffer_is_reusable() {
        let mut line = PartialLine::default();
        line.push(b"da");
        line.push(b"ta: ");
        assert_eq!(line.len(), 6);
        let first = line.finish(b"x");
        assert_eq!(&first[..], b"data: x");
        assert!(line.is_empty());
        line.push(b"id");
        assert_eq!(&line.finish(b": 1")[..], b"id: 1");
        assert_eq!(&first[..], b"data: x", "earlier lines are not overwritten");
        line.push(b"gone");
        line.clear();
        assert!(line.is_empty());
    }
}
