//! Test helpers shared by the integration tests: a deliberately naive reference
//! implementation of the spec, and ways to drive the real parser.

#![allow(dead_code, unreachable_pub)] // Each test binary uses a different subset.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use claude_rs_sse::{Error, Event, EventStream, EventStreamError, Parser};
use futures_core::Stream;

/// An event as plain owned strings, to compare implementations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plain {
    pub event_type: String,
    pub data: String,
    pub id: String,
    pub retry: Option<Duration>,
}

impl From<&Event> for Plain {
    fn from(event: &Event) -> Self {
        Self {
            event_type: event.event_type().to_owned(),
            data: event.data().to_owned(),
            id: event.id().to_owned(),
            retry: event.retry(),
        }
    }
}

/// Everything observable after parsing a whole stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub events: Vec<Result<Plain, Error>>,
    pub last_event_id: String,
    pub retry: Option<Duration>,
}

/// The spec, transcribed as literally as possible and without any cleverness:
/// decode the whole stream first, then walk it character by character.
pub fn reference(input: &[u8]) -> Outcome {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let text = String::from_utf8_lossy(input);
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(std::mem::take(&mut current));
            }
            '\n' => lines.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    // `current` is an unterminated last line: pending data, discarded.

    let mut events = Vec::new();
    let (mut data, mut event_type, mut id_buffer) = (String::new(), String::new(), String::new());
    let mut last_event_id = String::new();
    let mut retry = None;
    let mut block_retry = None;
    for line in lines {
        if line.is_empty() {
            last_event_id = id_buffer.clone();
            let this_retry = block_retry.take();
            if data.is_empty() {
                event_type.clear();
                continue;
            }
            if data.ends_with('\n') {
                data.pop();
            }
            let ty = if event_type.is_empty() {
                "message".to_owned()
            } else {
                event_type.clone()
            };
            events.push(Ok(Plain {
                event_type: ty,
                data: std::mem::take(&mut data),
                id: id_buffer.clone(),
                retry: this_retry,
            }));
            event_type.clear();
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (name, value) = match line.find(':') {
            Some(i) => {
                let value = &line[i + 1..];
                (&line[..i], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (line.as_str(), ""),
        };
        match name {
            "event" => event_type = value.to_owned(),
            "data" => {
                data.push_str(value);
                data.push('\n');
            }
            "id" if !value.contains('\0') => id_buffer = value.to_owned(),
            "retry" if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()) => {
                let ms = value.parse::<u64>().unwrap_or(u64::MAX);
                retry = Some(Duration::from_millis(ms));
                block_retry = retry;
            }
            _ => {}
        }
    }
    Outcome {
        events,
        last_event_id,
        retry,
    }
}

/// Drains every event the parser can produce now.
pub fn drain(parser: &mut Parser, out: &mut Vec<Result<Plain, Error>>) {
    while let Some(item) = parser.next_event() {
        out.push(item.as_ref().map(Plain::from).map_err(Clone::clone));
    }
}

/// [`drain`] with [`Parser::next_event_ref`].
pub fn drain_ref(parser: &mut Parser, out: &mut Vec<Result<Plain, Error>>) {
    while let Some(item) = parser.next_event_ref() {
        out.push(item.map(|event| Plain::from(&event.to_event())));
    }
}

/// Parses `input` fed in the given chunk lengths (cycled), draining after each.
pub fn parse_split(parser: Parser, input: &[u8], lengths: &[usize]) -> Outcome {
    parse_split_with(parser, input, lengths, drain)
}

/// [`parse_split`] reading borrowed events.
pub fn parse_split_ref(parser: Parser, input: &[u8], lengths: &[usize]) -> Outcome {
    parse_split_with(parser, input, lengths, drain_ref)
}

fn parse_split_with(
    parser: Parser,
    input: &[u8],
    lengths: &[usize],
    drain: fn(&mut Parser, &mut Vec<Result<Plain, Error>>),
) -> Outcome {
    let mut parser = parser;
    let mut events = Vec::new();
    let mut rest = input;
    let mut lengths = lengths.iter().copied().filter(|&n| n > 0).cycle();
    while !rest.is_empty() {
        let n = lengths.next().unwrap_or(rest.len()).min(rest.len());
        parser.feed(Bytes::copy_from_slice(&rest[..n]));
        rest = &rest[n..];
        drain(&mut parser, &mut events);
    }
    parser.finish();
    drain(&mut parser, &mut events);
    Outcome {
        events,
        last_event_id: parser.last_event_id().to_owned(),
        retry: parser.retry(),
    }
}

/// A chunk source that is not ready before the chunks marked so (and wakes
/// its task), as a network body is now and then.
pub struct Scripted {
    /// `(pending first, chunk)`.
    parts: VecDeque<(bool, Bytes)>,
}

impl Scripted {
    /// `input` split in the given lengths (cycled); `pendings` (cycled) says
    /// before which chunks the source is not ready.
    pub fn new(input: &[u8], lengths: &[usize], pendings: &[bool]) -> Self {
        let mut parts = VecDeque::new();
        let mut rest = input;
        let mut lengths = lengths.iter().copied().filter(|&n| n > 0).cycle();
        let mut pendings = pendings.iter().copied().cycle();
        while !rest.is_empty() {
            let n = lengths.next().unwrap_or(rest.len()).min(rest.len());
            parts.push_back((
                pendings.next().unwrap_or(false),
                Bytes::copy_from_slice(&rest[..n]),
            ));
            rest = &rest[n..];
        }
        Self { parts }
    }
}

impl Stream for Scripted {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.parts.front_mut() {
            None => Poll::Ready(None),
            Some((pending @ true, _)) => {
                *pending = false;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Some(_) => Poll::Ready(self.parts.pop_front().map(|(_, chunk)| Ok(chunk))),
        }
    }
}

/// Parses `input` through an [`EventStream`] over a [`Scripted`] source.
pub fn parse_stream(parser: Parser, input: &[u8], lengths: &[usize], pendings: &[bool]) -> Outcome {
    let mut stream = pin!(EventStream::with_parser(
        Scripted::new(input, lengths, pendings),
        parser
    ));
    let mut events = Vec::new();
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        match stream.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(Ok(event))) => events.push(Ok(Plain::from(&event))),
            Poll::Ready(Some(Err(EventStreamError::Parse(error)))) => events.push(Err(error)),
            Poll::Ready(Some(Err(error))) => panic!("the source cannot fail: {error}"),
            Poll::Ready(None) => break,
            Poll::Pending => {}
        }
    }
    Outcome {
        events,
        last_event_id: stream.last_event_id().to_owned(),
        retry: stream.retry(),
    }
}

/// Parses `input` fed in chunks of `size` bytes with a default parser.
pub fn parse_chunked(input: &[u8], size: usize) -> Outcome {
    parse_split(Parser::new(), input, &[size])
}

/// Parses `input` fed as one chunk with a default parser.
pub fn parse(input: &[u8]) -> Outcome {
    parse_split(Parser::new(), input, &[])
}

/// Just the successful events of `input`, as `(type, data, id)` tuples.
pub fn events(input: &[u8]) -> Vec<(String, String, String)> {
    parse(input)
        .events
        .into_iter()
        .map(|e| {
            let e = e.expect("no parse error expected");
            (e.event_type, e.data, e.id)
        })
        .collect()
}

/// Runs a future whose wake-ups all come from itself (in-memory streams).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}
