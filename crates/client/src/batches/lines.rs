//! Splits a body arriving in arbitrary chunks into lines, holding at most
//! one partial line.
//!
//! A line that lies wholly inside one chunk is handed out as a slice of
//! that chunk (no copy). Only a line cut by a chunk boundary is copied, into
//! a buffer that is reused, so memory stays at the size of the longest cut
//! line whatever the size of the body.

use bytes::Bytes;

use crate::core::error::{Error, ProtocolKind};

/// An incremental line splitter (`\n`, with an optional `\r` before it).
#[derive(Debug)]
pub(crate) struct Lines {
    /// The unread rest of the current chunk.
    chunk: Bytes,
    /// The start of a line cut by a chunk boundary.
    partial: Vec<u8>,
    /// The line last handed out, when it was a slice of a chunk.
    line: Bytes,
    /// Whether `partial` holds the line last handed out (cleared on the
    /// next call).
    partial_is_line: bool,
    max_line: usize,
    /// 1-based number of the line last handed out, for error messages.
    number: u64,
}

impl Lines {
    pub(crate) fn new(max_line: usize) -> Self {
        Self {
            chunk: Bytes::new(),
            partial: Vec::new(),
            line: Bytes::new(),
            partial_is_line: false,
            max_line,
            number: 0,
        }
    }

    /// Gives the next chunk; call only once `next_line` has returned `None`
    /// (the previous chunk is used up).
    pub(crate) fn feed(&mut self, chunk: Bytes) {
        debug_assert!(self.chunk.is_empty(), "fed before the last chunk was read");
        self.chunk = chunk;
    }

    /// The number of the line last returned.
    pub(crate) fn number(&self) -> u64 {
        self.number
    }

    /// Bytes reserved for lines cut by chunk boundaries.
    pub(crate) fn buffer_capacity(&self) -> usize {
        self.partial.capacity()
    }

    /// The next complete line of the chunks fed so far (without its line
    /// ending), or `None` when more input is needed.
    pub(crate) fn next_line(&mut self) -> Result<Option<&[u8]>, Error> {
        self.reset_last();
        let Some(at) = memchr::memchr(b'\n', &self.chunk) else {
            let rest = self.chunk.split_off(0);
            self.keep_partial(&rest)?;
            return Ok(None);
        };
        let head = self.chunk.split_to(at + 1);
        let body = &head[..at];
        if self.partial.is_empty() {
            self.line = head.slice(..trim_cr(body).len());
            self.number += 1;
            return Ok(Some(&self.line));
        }
        self.keep_partial(body)?;
        self.finish_partial()
    }

    /// The last line when the body ends without a final newline.
    pub(crate) fn finish(&mut self) -> Result<Option<&[u8]>, Error> {
        self.reset_last();
        let rest = self.chunk.split_off(0);
        self.keep_partial(&rest)?;
        if self.partial.is_empty() {
            return Ok(None);
        }
        self.finish_partial()
    }

    fn reset_last(&mut self) {
        if self.partial_is_line {
            self.partial.clear();
            self.partial_is_line = false;
        }
        self.line = Bytes::new();
    }

    fn finish_partial(&mut self) -> Result<Option<&[u8]>, Error> {
        let len = trim_cr(&self.partial).len();
        self.partial.truncate(len);
        self.partial_is_line = true;
        self.number += 1;
        Ok(Some(&self.partial))
    }

    fn keep_partial(&mut self, piece: &[u8]) -> Result<(), Error> {
        if self.partial.len() + piece.len() > self.max_line {
            return Err(Error::protocol(
                ProtocolKind::LineTooLong,
                format!(
                    "line {} of the body is longer than the limit of {} bytes",
                    self.number + 1,
                    self.max_line
                ),
            ));
        }
        self.partial.extend_from_slice(piece);
        Ok(())
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `input` fed in pieces of `size` bytes.
    fn split(input: &[u8], size: usize, max: usize) -> Result<Vec<String>, Error> {
        let mut lines = Lines::new(max);
        let mut out = Vec::new();
        for piece in input.chunks(size) {
            lines.feed(Bytes::copy_from_slice(piece));
            while let Some(line) = lines.next_line()? {
                out.push(String::from_utf8_lossy(line).into_owned());
            }
            assert!(lines.chunk.is_empty());
        }
        if let Some(line) = lines.finish()? {
            out.push(String::from_utf8_lossy(line).into_owned());
        }
        Ok(out)
    }

    #[test]
    fn every_chunking_gives_the_same_lines() {
        let input = b"{\"a\":1}\r\n{\"b\":22}\n\n{\"c\":333}";
        let expected = ["{\"a\":1}", "{\"b\":22}", "", "{\"c\":333}"];
        for size in 1..=input.len() {
            assert_eq!(
                split(input, size, 64).unwrap(),
                expected,
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn a_final_newline_adds_no_line() {
        assert_eq!(split(b"x\ny\n", 3, 64).unwrap(), ["x", "y"]);
    }

    #[test]
    fn long_lines_are_refused_with_their_number() {
        let error = split(b"ok\n0123456789\n", 4, 8).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("line 2") && text.contains("8 bytes"),
            "{text}"
        );
    }

    #[test]
    fn the_buffer_holds_only_cut_lines() {
        let mut lines = Lines::new(1 << 20);
        // Whole lines in one chunk: nothing is copied.
        lines.feed(Bytes::from_static(b"aaaa\nbbbb\n"));
        while lines.next_line().unwrap().is_some() {}
        assert_eq!(lines.buffer_capacity(), 0);
        // A cut line is copied once and the buffer is then reused.
        lines.feed(Bytes::from_static(b"cc"));
        assert!(lines.next_line().unwrap().is_none());
        lines.feed(Bytes::from_static(b"cc\n"));
        assert_eq!(lines.next_line().unwrap(), Some(&b"cccc"[..]));
        assert_eq!(lines.number(), 3);
        assert!(lines.buffer_capacity() < 64);
    }
}
