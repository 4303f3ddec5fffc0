//! [`PartialLine`]: a line that has begun but whose end has not arrived yet.

use bytes::BytesMut;

use crate::block::Line;

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

    /// Completes the line with `tail` and passes it to `f`; the buffer is
    /// reused for the next line.
    pub(crate) fn finish<R>(&mut self, tail: &[u8], f: impl FnOnce(Line<'_>) -> R) -> R {
        self.buf.extend_from_slice(tail);
        let result = f(Line::Copied(&self.buf));
        self.buf.clear();
        result
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
        let bytes = |line: Line<'_>| match line {
            Line::Copied(bytes) => bytes.to_vec(),
            Line::InChunk { chunk, start, end } => panic!("{:?}", &chunk[start..end]),
        };
        assert_eq!(line.finish(b"x", bytes), b"data: x".to_vec());
        assert!(line.is_empty());
        line.push(b"id");
        assert_eq!(line.finish(b": 1", bytes), b"id: 1".to_vec());
        let long = vec![b'x'; 8 * 1024];
        line.push(&long);
        assert_eq!(line.finish(b"", bytes), long);
        line.push(b"gone");
        line.clear();
        assert!(line.is_empty());
    }
}
