//! Feeds arbitrary bytes to the parser in arbitrary chunks.
//!
//! Besides "never panics", it checks the parser's central promise: the
//! outcome (events, errors, last event id, retry) does not depend on how the
//! input was split into chunks.
//!
//! The same holds through `EventStream`, which joins small chunks that are
//! ready together: it is run with the chunk lengths, and with them scaled up
//! past its joining threshold, with the source not ready before some chunks.
//!
//! Input layout: byte 0 picks the size limit, bytes 1..9 are chunk lengths
//! (cycled), the rest is the stream.

#![no_main]

use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use claude_rs_sse::{EventStream, EventStreamError, Parser};
use futures_core::Stream;
use libfuzzer_sys::fuzz_target;

type Outcome = (Vec<String>, String, Option<std::time::Duration>);

fn run(max_event_size: usize, stream: &[u8], lengths: &[usize]) -> Outcome {
    let mut parser = Parser::with_max_event_size(max_event_size);
    let mut out = Vec::new();
    let mut drain = |parser: &mut Parser| {
        while let Some(item) = parser.next_event() {
            out.push(match item {
                Ok(event) => format!("{event:?}"),
                Err(error) => format!("error: {error}"),
            });
        }
    };
    let mut rest = stream;
    let mut lengths = lengths.iter().copied().cycle();
    while !rest.is_empty() {
        let n = lengths.next().unwrap_or(rest.len()).clamp(1, rest.len());
        parser.feed(Bytes::copy_from_slice(&rest[..n]));
        rest = &rest[n..];
        drain(&mut parser);
    }
    parser.finish();
    drain(&mut parser);
    (out, parser.last_event_id().to_owned(), parser.retry())
}

/// Chunks, each after a `Pending` if its flag says so.
struct Source(VecDeque<(bool, Bytes)>);

impl Stream for Source {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.0.front_mut() {
            None => Poll::Ready(None),
            Some((pending @ true, _)) => {
                *pending = false;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Some(_) => Poll::Ready(self.0.pop_front().map(|(_, chunk)| Ok(chunk))),
        }
    }
}

/// Like `run`, through `EventStream`; odd lengths are preceded by `Pending`.
fn run_stream(max_event_size: usize, stream: &[u8], lengths: &[usize]) -> Outcome {
    let mut parts = VecDeque::new();
    let mut rest = stream;
    let mut lengths = lengths.iter().copied().cycle();
    while !rest.is_empty() {
        let length = lengths.next().unwrap_or(rest.len());
        let n = length.clamp(1, rest.len());
        parts.push_back((length % 2 == 1, Bytes::copy_from_slice(&rest[..n])));
        rest = &rest[n..];
    }
    let parser = Parser::with_max_event_size(max_event_size);
    let mut events = pin!(EventStream::with_parser(Source(parts), parser));
    let mut cx = Context::from_waker(Waker::noop());
    let mut out = Vec::new();
    loop {
        match events.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(Ok(event))) => out.push(format!("{event:?}")),
            Poll::Ready(Some(Err(EventStreamError::Parse(error)))) => {
                out.push(format!("error: {error}"));
            }
            Poll::Ready(Some(Err(_))) => unreachable!("the source cannot fail"),
            Poll::Ready(None) => break,
            Poll::Pending => {}
        }
    }
    (out, events.last_event_id().to_owned(), events.retry())
}

fuzz_target!(|input: &[u8]| {
    let Some((&limit, rest)) = input.split_first() else {
        return;
    };
    let (lengths, stream) = rest.split_at(rest.len().min(8));
    let lengths: Vec<usize> = lengths.iter().map(|&n| usize::from(n)).collect();
    // Small limits exercise the oversized-event path; 255 means "default".
    let max_event_size = if limit == 255 {
        claude_rs_sse::DEFAULT_MAX_EVENT_SIZE
    } else {
        usize::from(limit)
    };
    let whole = run(max_event_size, stream, &[]);
    let split = run(max_event_size, stream, &lengths);
    assert_eq!(whole, split, "chunking changed the outcome");
    let bytewise = run(max_event_size, stream, &[1]);
    assert_eq!(whole, bytewise, "byte-by-byte feeding changed the outcome");
    let streamed = run_stream(max_event_size, stream, &lengths);
    assert_eq!(whole, streamed, "EventStream changed the outcome");
    let scaled: Vec<usize> = lengths.iter().map(|&n| n * 5).collect();
    let streamed = run_stream(max_event_size, stream, &scaled);
    assert_eq!(whole, streamed, "EventStream with larger chunks changed the outcome");
});
