//! The push [`Parser`]: input chunks in, events out.

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use memchr::memchr2;

use crate::block::{Block, Line};
use crate::error::Error;
use crate::event::{Event, EventRef};
use crate::line::PartialLine;

/// The default for [`Parser::with_max_event_size`]: 16 MiB.
///
/// Far above any event a well-behaved server sends, yet small enough that a
/// broken or hostile server cannot make the parser buffer without bound.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;

/// The UTF-8 byte order mark, stripped once at the start of a stream.
const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// What parsing stopped at, short of using up the chunk.
#[derive(Debug)]
enum Step {
    /// A blank line: the block ends, and may dispatch an event.
    BlankLine,
    /// The block went over the size limit.
    Error(Error),
}

/// Input waiting to be parsed, in order.
#[derive(Debug)]
enum Input {
    Chunk(Bytes),
    /// [`Parser::finish`] was called here.
    End,
}

/// An incremental `text/event-stream` parser.
///
/// Feed it the body in chunks of any size with [`feed`](Self::feed), take the
/// events out with [`next_event`](Self::next_event), and call
/// [`finish`](Self::finish) at the end of the body. The result never depends on
/// how the body was split into chunks.
///
/// Parsing is lazy: `feed` only queues the chunk, and each `next_event` call
/// parses just far enough to produce one event. The parser therefore never
/// holds more than the queued input plus one incomplete event, however many
/// events a chunk contains.
///
/// # Zero copy
///
/// A line that lies wholly inside one chunk is never copied: an event whose
/// `data` is a single such line hands out a slice of the chunk
/// ([`next_event`](Self::next_event)) or lends it
/// ([`next_event_ref`](Self::next_event_ref)). Lines split across chunks are
/// assembled in a reusable buffer, and so is multi-line data.
///
/// # Reconnecting
///
/// After [`finish`](Self::finish) the same parser can parse the body of a new
/// connection: the stream-level state (BOM, line ending, unfinished event) is
/// reset, while [`last_event_id`](Self::last_event_id) and
/// [`retry`](Self::retry) carry over, as they do for a browser's `EventSource`.
pub struct Parser {
    /// The chunk being parsed, from `pos` on; used up when `pos` reaches its
    /// end, and kept until the next one replaces it (the block's values and
    /// the last event may be ranges of it).
    chunk: Bytes,
    pos: usize,
    /// Stream offset of `chunk[0]`.
    chunk_offset: u64,
    /// Input queued behind `chunk`.
    queue: VecDeque<Input>,
    /// Start of a line that continues into the next chunk.
    line: PartialLine,
    /// The current line is too large and is being skipped up to its end.
    discarding_line: bool,
    /// The last line ended with CR: a LF right after it belongs to it.
    after_cr: bool,
    /// `Some(n)`: at the start of the stream, `n` bytes of a BOM matched so far.
    bom: Option<usize>,
    /// No line of the current event block has been seen yet.
    fresh_block: bool,
    /// Stream offset of the first line of the current event block.
    block_offset: u64,
    max_event_size: usize,
    block: Block,
}

impl Parser {
    /// A parser with the [default size limit](DEFAULT_MAX_EVENT_SIZE).
    pub fn new() -> Self {
        Self::with_max_event_size(DEFAULT_MAX_EVENT_SIZE)
    }

    /// A parser that rejects events larger than `max_event_size` bytes.
    ///
    /// The size of an event is what the parser must hold for it: the bytes of
    /// its data so far, as received (joining newlines included), plus the
    /// whole line being read (field name included). An event over the limit
    /// yields [`Error::EventTooLarge`] as soon as it goes over, and is skipped;
    /// parsing goes on with the next event. The check is made on bytes of the
    /// stream, so its outcome does not depend on the chunking either.
    pub fn with_max_event_size(max_event_size: usize) -> Self {
        Self {
            chunk: Bytes::new(),
            pos: 0,
            chunk_offset: 0,
            queue: VecDeque::new(),
            line: PartialLine::default(),
            discarding_line: false,
            after_cr: false,
            bom: Some(0),
            fresh_block: true,
            block_offset: 0,
            max_event_size,
            block: Block::new(),
        }
    }

    /// The size limit this parser enforces.
    pub fn max_event_size(&self) -> usize {
        self.max_event_size
    }

    /// Queues the next chunk of the stream. Chunks may be of any size, and may
    /// split lines, line endings and UTF-8 characters anywhere.
    #[inline]
    pub fn feed(&mut self, chunk: Bytes) {
        if chunk.is_empty() {
            return;
        }
        if self.pos >= self.chunk.len() && self.queue.is_empty() {
            self.next_chunk(chunk);
        } else {
            self.queue.push_back(Input::Chunk(chunk));
        }
    }

    /// Marks the end of the stream.
    ///
    /// Once the input fed so far has been parsed, an event without its closing
    /// blank line is discarded, as the spec says, and the parser is ready for
    /// the stream of a new connection.
    pub fn finish(&mut self) {
        self.queue.push_back(Input::End);
    }

    /// Parses the queued input up to the next event or error.
    ///
    /// Returns `None` when the queued input holds no further complete event;
    /// feed more input and call again. An `Err` does not end the stream: the
    /// offending event is skipped and the following calls carry on after it.
    ///
    /// The event's text is shared with the input (see [`Event`]);
    /// [`next_event_ref`](Self::next_event_ref) borrows it instead, which
    /// costs nothing per event.
    #[inline]
    pub fn next_event(&mut self) -> Option<Result<Event, Error>> {
        match self.advance()? {
            // The event is built here, in the caller's frame: moving a
            // finished `Event` up through every helper measurably slowed
            // down the small-chunk case.
            Ok(()) => Some(Ok(self.block.take_event(&self.chunk))),
            Err(error) => Some(Err(error)),
        }
    }

    /// Like [`next_event`](Self::next_event), but the event is borrowed from
    /// the input chunk (or, when it straddled two chunks or had several
    /// `data` lines, from the parser's buffer): no copy, no allocation, no
    /// reference count. The borrow ends with the next call on the parser.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use claude_rs_sse::Parser;
    ///
    /// let mut parser = Parser::new();
    /// parser.feed(Bytes::from_static(b"event: ping\ndata: {}\n\n"));
    /// let event = parser.next_event_ref().unwrap()?;
    /// assert_eq!((event.event_type(), event.data()), ("ping", "{}"));
    /// assert!(parser.next_event_ref().is_none());
    /// # Ok::<(), claude_rs_sse::Error>(())
    /// ```
    #[inline]
    pub fn next_event_ref(&mut self) -> Option<Result<EventRef<'_>, Error>> {
        match self.advance()? {
            Ok(()) => Some(Ok(self.event_ref())),
            Err(error) => Some(Err(error)),
        }
    }

    /// The event that [`advance`](Self::advance) dispatched, owned.
    #[inline(always)]
    pub(crate) fn take_event(&mut self) -> Event {
        self.block.take_event(&self.chunk)
    }

    /// The event that [`advance`](Self::advance) dispatched, borrowed.
    #[inline]
    pub(crate) fn event_ref(&mut self) -> EventRef<'_> {
        self.block.event_ref(&self.chunk)
    }

    /// Parses up to the next event (left in the block, to be read with
    /// [`event_ref`](Self::event_ref) or taken) or error.
    #[inline]
    pub(crate) fn advance(&mut self) -> Option<Result<(), Error>> {
        self.block.clear_ready();
        loop {
            if self.pos < self.chunk.len() {
                match self.parse_chunk() {
                    Some(Step::BlankLine) if self.block.dispatch() => return Some(Ok(())),
                    Some(Step::Error(error)) => return Some(Err(error)),
                    Some(Step::BlankLine) | None => {}
                }
                continue;
            }
            match self.queue.pop_front()? {
                Input::Chunk(chunk) => self.next_chunk(chunk),
                Input::End => self.end_of_stream(),
            }
        }
    }

    /// Moves on to `chunk`; what the block holds of the current one is
    /// copied out first (an event straddling the two).
    fn next_chunk(&mut self, chunk: Bytes) {
        self.block.clear_ready();
        self.block.detach(&self.chunk);
        self.chunk_offset += self.chunk.len() as u64;
        self.chunk = chunk;
        self.pos = 0;
    }

    /// The last event id: what to send as `Last-Event-ID` when reconnecting.
    ///
    /// This is the spec's "last event ID string": it changes at the blank line
    /// that ends a block with an `id` field (even when the block dispatches no
    /// event), not at the `id` line itself, so an `id` in an event that never
    /// completed is not reported.
    pub fn last_event_id(&self) -> &str {
        self.block.last_event_id()
    }

    /// The reconnection time set by the last valid `retry` field, if any.
    pub fn retry(&self) -> Option<Duration> {
        self.block.retry()
    }

    /// Parses lines of `self.chunk` up to a blank line or an error, or until
    /// the chunk is used up (`None`).
    fn parse_chunk(&mut self) -> Option<Step> {
        // Take the chunk out so lines can borrow it while `self` is mutated.
        let chunk = std::mem::take(&mut self.chunk);
        let mut pos = self.pos;
        let mut result = None;
        while pos < chunk.len() && result.is_none() {
            if self.after_cr {
                self.after_cr = false;
                if chunk[pos] == b'\n' {
                    pos += 1;
                    continue;
                }
            }
            if let Some(matched) = self.bom {
                pos += self.match_bom(matched, &chunk[pos..]);
                continue;
            }
            // A blank line is found without a search: one per event.
            let len = if matches!(chunk[pos], b'\n' | b'\r') {
                Some(0)
            } else {
                memchr2(b'\n', b'\r', &chunk[pos..])
            };
            let Some(len) = len else {
                result = self.continue_line(&chunk, pos);
                pos = chunk.len();
                break;
            };
            let (start, end) = (pos, pos + len);
            self.after_cr = chunk[end] == b'\r';
            pos = end + 1;
            result = if !self.line.is_empty() || self.discarding_line {
                self.end_buffered_line(&chunk[start..end])
            } else {
                self.line_in_chunk(&chunk, start, end)
            };
        }
        self.chunk = chunk;
        self.pos = pos;
        result
    }

    /// Matches the start of the stream against the BOM; returns how many bytes
    /// of `input` were consumed (dropped as part of a BOM).
    fn match_bom(&mut self, matched: usize, input: &[u8]) -> usize {
        let mut matched = matched;
        for (i, &byte) in input.iter().enumerate() {
            if byte != BOM[matched] {
                // Not a BOM after all: the bytes held back start the first line.
                self.bom = None;
                if matched > 0 {
                    self.begin_line(0);
                    self.line.push(&BOM[..matched]);
                }
                return i;
            }
            matched += 1;
            if matched == BOM.len() {
                self.bom = None;
                return i + 1;
            }
        }
        self.bom = Some(matched);
        input.len()
    }

    /// Notes where a non-blank line starts, to locate its event in errors.
    fn begin_line(&mut self, offset: u64) {
        if self.fresh_block {
            self.fresh_block = false;
            self.block_offset = offset;
        }
    }

    /// Checks the size limit for a line of `line_len` bytes. `Ok` when it may
    /// be kept; otherwise the error to report (`None` if this event was already
    /// reported).
    fn check_size(&mut self, line_len: usize) -> Result<(), Option<Error>> {
        if line_len.saturating_add(self.block.data_len()) <= self.max_event_size {
            return Ok(());
        }
        if self.block.is_oversized() {
            return Err(None);
        }
        self.block.set_oversized();
        Err(Some(Error::EventTooLarge {
            max_event_size: self.max_event_size,
            offset: self.block_offset,
        }))
    }

    /// `chunk[pos..]` is the start (or middle) of a line.
    fn continue_line(&mut self, chunk: &Bytes, pos: usize) -> Option<Step> {
        if self.discarding_line {
            return None;
        }
        if self.line.is_empty() {
            self.begin_line(self.chunk_offset + pos as u64);
        }
        match self.check_size(self.line.len() + (chunk.len() - pos)) {
            Ok(()) => {
                self.line.push(&chunk[pos..]);
                None
            }
            Err(error) => {
                self.line.clear();
                self.discarding_line = true;
                error.map(Step::Error)
            }
        }
    }

    /// `tail` completes the line held in `self.line`.
    fn end_buffered_line(&mut self, tail: &[u8]) -> Option<Step> {
        if std::mem::take(&mut self.discarding_line) {
            return None;
        }
        if let Err(error) = self.check_size(self.line.len() + tail.len()) {
            self.line.clear();
            return error.map(Step::Error);
        }
        let block = &mut self.block;
        self.line.finish(tail, |line| block.line(line));
        None
    }

    /// A complete line at `chunk[start..end]`.
    fn line_in_chunk(&mut self, chunk: &Bytes, start: usize, end: usize) -> Option<Step> {
        if start == end {
            self.fresh_block = true;
            return Some(Step::BlankLine);
        }
        self.begin_line(self.chunk_offset + start as u64);
        if let Err(error) = self.check_size(end - start) {
            return error.map(Step::Error);
        }
        self.block.line(Line::InChunk { chunk, start, end });
        None
    }

    /// Reached the [`Input::End`] marker: discard what is unfinished and get
    /// ready for a new stream.
    fn end_of_stream(&mut self) {
        self.chunk = Bytes::new();
        self.pos = 0;
        self.chunk_offset = 0;
        self.line.clear();
        self.discarding_line = false;
        self.after_cr = false;
        self.bom = Some(0);
        self.fresh_block = true;
        self.block_offset = 0;
        self.block.end_of_stream();
    }
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Parser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parser")
            .field("queued_bytes", &self.queued_bytes())
            .field("partial_line_len", &self.line.len())
            .field("last_event_id", &self.last_event_id())
            .field("retry", &self.retry())
            .field("max_event_size", &self.max_event_size)
            .finish_non_exhaustive()
    }
}

impl Parser {
    /// Bytes fed but not parsed yet (for `Debug`).
    fn queued_bytes(&self) -> usize {
        let queued: usize = self
            .queue
            .iter()
            .map(|input| match input {
                Input::Chunk(chunk) => chunk.len(),
                Input::End => 0,
            })
            .sum();
        self.chunk.len() - self.pos + queued
    }
}
