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
/// A chunk that turns out to be alone (the source is not ready after it, as
/// when events trickle in one at a time) is handed back as it is: no copy,
/// and no block is allocated for streams that never have two small chunks
/// ready together, which keeps many idle streams cheap.
///
/// [`EventStream`]: crate::EventStream
#[derive(Debug, Default)]
pub(crate) struct Gather {
    /// The first small chunk of a batch, kept as it is until a second one
    /// comes (`buf` is empty meanwhile).
    first: Option<Bytes>,
    buf: BytesMut,
}

impl Gather {
    /// Adds a small chunk; `true` when enough is held to be parsed now.
    pub(crate) fn push(&mut self, chunk: Bytes) -> bool {
        if self.buf.is_empty() {
            let Some(first) = self.first.take() else {
                self.first = Some(chunk);
                return false;
            };
            // Batches follow each other in a block. When one is used up, this
            // takes it back from its start if no event points into it any
            // more, or starts a new one. (A batch that outgrows what is left
            // of its block is moved to a new one by `extend_from_slice`.)
            if self.buf.capacity() < SMALL {
                self.buf.reserve(BLOCK);
            }
            self.buf.extend_from_slice(&first);
        }
        self.buf.extend_from_slice(&chunk);
        self.buf.len() >= TARGET
    }

    /// Nothing is held.
    pub(crate) fn is_empty(&self) -> bool {
        self.first.is_none() && self.buf.is_empty()
    }

    /// What is held, as one chunk (empty if nothing is).
    pub(crate) fn take(&mut self) -> Bytes {
        if let Some(first) = self.first.take() {
            return first;
        }
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
        assert!(!gather.push(Bytes::from_static(b"data: ")));
        assert!(!gather.push(Bytes::from_static(b"x\n")));
        assert!(!gather.push(Bytes::from_static(b"\n")));
        assert!(!gather.is_empty());
        assert_eq!(&gather.take()[..], b"data: x\n\n");
        assert!(gather.is_empty());
        let piece = Bytes::from(vec![b'y'; SMALL - 1]);
        let pushes = (1..).find(|_| gather.push(piece.clone())).unwrap_or(0);
        assert_eq!(pushes, TARGET.div_ceil(SMALL - 1));
        assert_eq!(gather.take().len(), pushes * (SMALL - 1));
    }

    #[test]
    fn a_chunk_alone_is_given_back_without_a_copy_or_a_block() {
        let mut gather = Gather::default();
        let chunk = Bytes::from_static(b"data: alone\n\n");
        assert!(!gather.push(chunk.clone()));
        let taken = gather.take();
        assert_eq!(taken.as_ptr(), chunk.as_ptr());
        assert_eq!(taken, chunk);
        assert_eq!(gather.buf.capacity(), 0);
        assert!(gather.is_empty());
    }

    /// Fills the rest of the current block with batches that are dropped.
    fn use_up_block(gather: &mut Gather) {
        while gather.buf.capacity() >= SMALL {
            gather.push(Bytes::from_static(&[b'z'; 8]));
            gather.push(Bytes::from_static(&[b'z'; SMALL - 9]));
            drop(gather.take());
        }
    }

    #[test]
    fn a_block_is_taken_back_once_nothing_points_into_it() {
        let mut gather = Gather::default();
        let pair = |gather: &mut Gather, a: &'static [u8], b: &'static [u8]| {
            gather.push(Bytes::from_static(a));
            gather.push(Bytes::from_static(b));
            gather.take()
        };
        let first = pair(&mut gather, b"fir", b"st");
        let start = first.as_ptr() as usize;
        drop(first);
        // Batches follow each other in the block...
        assert_eq!(
            pair(&mut gather, b"sec", b"ond").as_ptr() as usize,
            start + 5
        );
        // ...and once it is used up, it is reused from its start.
        use_up_block(&mut gather);
        assert_eq!(pair(&mut gather, b"aga", b"in").as_ptr() as usize, start);
    }

    #[test]
    fn a_block_in_use_is_left_alone() {
        let mut gather = Gather::default();
        gather.push(Bytes::from_static(b"ke"));
        gather.push(Bytes::from_static(b"pt"));
        let kept = gather.take();
        use_up_block(&mut gather);
        gather.push(Bytes::from_static(b"oth"));
        gather.push(Bytes::from_static(b"er"));
        let other = gather.take();
        let block = kept.as_ptr() as usize..kept.as_ptr() as usize + BLOCK;
        assert!(!block.contains(&(other.as_ptr() as usize)));
        assert_eq!(&kept[..], b"kept");
        assert_eq!(&other[..], b"other");
    }
}
