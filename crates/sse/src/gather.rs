//! [`Gather`]: small chunks that are ready together, joined into one.

use bytes::{Bytes, BytesMut};

/// Chunks shorter than this are gathered; longer ones are parsed as they are.
pub(crate) const SMALL: usize = 512;

/// Gathering stops once this much is held, so that events are never held
/// back for long and the buffer stays small.
const TARGET: usize = 8 * 1024;

/// The size of the blocks that batches are gathered in: room for at least
/// one whole batch (the target, plus the overshoot of its last chunk).
const BLOCK: usize = TARGET + SMALL;

/// Joins small chunks that the source had ready at the same time.
///
/// A line split between two chunks has to be assembled in a buffer and its
/// value copied out; with chunks of a few dozen bytes nearly every line is
/// split, and that path costs several times the one for a line wholly inside
/// a chunk. Copying the small chunks into one block is cheaper: each byte is
/// copied once, and the parser then hands out slices of the block. Only
/// chunks that are already there are joined (the [`EventStream`] stops at the
/// first `Pending`), so no event is delayed waiting for input.
///
/// [`EventStream`]: crate::EventStream
#[derive(Debug, Default)]
pub(crate) struct Gather {
    buf: BytesMut,
}

impl Gather {
    /// Adds a small chunk; `true` when enough is held to be parsed now.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> bool {
        // Batches follow each other in a block. When one is used up, this
        // takes it back from its start if no event points into it any more,
        // or starts a new one. (A batch that outgrows what is left of its
        // block is moved to a new one by `extend_from_slice`.)
        if self.buf.is_empty() && self.buf.capacity() < SMALL {
            self.buf.reserve(BLOCK);
        }
        self.buf.extend_from_slice(chunk);
        self.buf.len() >= TARGET
    }

    /// Nothing is held.
    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The chunks gathered so far, as one (empty if there were none).
    pub(crate) fn take(&mut self) -> Bytes {
        if self.buf.is_empty() {
            // `split` would still update the block's reference count.
            return Bytes::new();
        }
        self.buf.split().freeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_joined_in_order_until_the_target() {
        let mut gather = Gather::default();
        assert!(gather.is_empty());
        assert!(gather.take().is_empty());
        assert!(!gather.push(b"data: "));
        assert!(!gather.push(b"x\n\n"));
        assert_eq!(&gather.take()[..], b"data: x\n\n");
        assert!(gather.is_empty());
        let piece = [b'y'; SMALL - 1];
        let pushes = (1..).find(|_| gather.push(&piece)).unwrap_or(0);
        assert_eq!(pushes, TARGET.div_ceil(SMALL - 1));
        assert_eq!(gather.take().len(), pushes * (SMALL - 1));
    }

    /// Fills the rest of the current block with batches that are dropped.
    fn use_up_block(gather: &mut Gather) {
        while gather.buf.capacity() >= SMALL {
            gather.push(&[b'z'; SMALL - 1]);
            drop(gather.take());
        }
    }

    #[test]
    fn a_block_is_taken_back_once_nothing_points_into_it() {
        let mut gather = Gather::default();
        gather.push(b"first");
        let first = gather.take();
        let start = first.as_ptr() as usize;
        drop(first);
        // Batches follow each other in the block...
        gather.push(b"second");
        assert_eq!(gather.take().as_ptr() as usize, start + 5);
        // ...and once it is used up, it is reused from its start.
        use_up_block(&mut gather);
        gather.push(b"again");
        assert_eq!(gather.take().as_ptr() as usize, start);
    }

    #[test]
    fn a_block_in_use_is_left_alone() {
        let mut gather = Gather::default();
        gather.push(b"kept");
        let kept = gather.take();
        use_up_block(&mut gather);
        gather.push(b"other");
        let other = gather.take();
        let block = kept.as_ptr() as usize..kept.as_ptr() as usize + BLOCK;
        assert!(!block.contains(&(other.as_ptr() as usize)));
        assert_eq!(&kept[..], b"kept");
        assert_eq!(&other[..], b"other");
    }
}
