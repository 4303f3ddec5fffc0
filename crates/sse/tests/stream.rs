//! The `Stream` adapters: over a chunk stream and over an `http_body::Body`.

mod common;

use std::convert::Infallible;
use std::error::Error as _;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use claude_rs_sse::{Error, Event, EventStream, EventStreamError, Parser};
use common::{Scripted, block_on};
use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream;
use http_body::Frame;
use http_body_util::StreamBody;

#[derive(Debug, PartialEq)]
struct Broken;

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection reset")
    }
}

impl std::error::Error for Broken {}

fn chunks(parts: &[&'static [u8]]) -> Vec<Result<Bytes, Broken>> {
    parts
        .iter()
        .map(|part| Ok(Bytes::from_static(part)))
        .collect()
}

fn collect<S: Stream + Unpin>(stream: S) -> Vec<S::Item> {
    block_on(stream.collect::<Vec<_>>())
}

fn data(event: &Event) -> &str {
    event.data()
}

#[test]
fn stream_yields_the_events_of_the_chunks() {
    let source = stream::iter(chunks(&[
        b"event: a\ndata: 1",
        b"\n\nda",
        b"ta: 2\r",
        b"\n\r\n",
    ]));
    let items = collect(EventStream::new(source));
    let events: Vec<_> = items.into_iter().map(Result::unwrap).collect();
    assert_eq!(events.len(), 2);
    assert_eq!((events[0].event_type(), data(&events[0])), ("a", "1"));
    assert_eq!((events[1].event_type(), data(&events[1])), ("message", "2"));
}

#[test]
fn stream_discards_an_unfinished_event_at_the_end() {
    let source = stream::iter(chunks(&[b"data: 1\n\ndata: 2\n"]));
    let items = collect(EventStream::new(source));
    assert_eq!(items.len(), 1);
}

#[test]
fn source_error_comes_after_every_complete_event_and_ends_the_stream() {
    let mut parts = chunks(&[b"id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\ndata: c"]);
    parts.push(Err(Broken));
    parts.extend(chunks(&[b"\n\ndata: never\n\n"]));
    let mut events = EventStream::new(stream::iter(parts));
    let items = block_on(async {
        let mut items = Vec::new();
        while let Some(item) = events.next().await {
            items.push(item);
        }
        items
    });
    assert_eq!(items.len(), 3);
    assert_eq!(data(items[0].as_ref().unwrap()), "a");
    assert_eq!(data(items[1].as_ref().unwrap()), "b");
    let Err(EventStreamError::Source(error)) = &items[2] else {
        panic!("expected a source error, got {:?}", items[2]);
    };
    assert_eq!(error, &Broken);
    // Resume after "b": the unfinished event with id 3 was not delivered.
    assert_eq!(events.last_event_id(), "2");
    // Fused after the error.
    assert!(block_on(events.next()).is_none());
}

#[test]
fn parse_error_does_not_end_the_stream() {
    let source = stream::iter(chunks(&[b"data: 0123456789abcdef\n\n", b"data: ok\n\n"]));
    let items = collect(EventStream::with_parser(
        source,
        Parser::with_max_event_size(8),
    ));
    assert_eq!(items.len(), 2);
    assert!(matches!(
        items[0],
        Err(EventStreamError::Parse(Error::EventTooLarge { .. }))
    ));
    assert_eq!(data(items[1].as_ref().unwrap()), "ok");
}

#[test]
fn stream_error_messages_and_sources() {
    let source: EventStreamError<Broken> = EventStreamError::Source(Broken);
    assert_eq!(source.to_string(), "failed to read the event stream");
    assert_eq!(source.source().unwrap().to_string(), "connection reset");

    let items = collect(EventStream::with_parser(
        stream::iter(chunks(&[b"data: 0123456789\n\n"])),
        Parser::with_max_event_size(4),
    ));
    let Err(parse) = &items[0] else {
        panic!("expected an error")
    };
    assert!(
        parse
            .to_string()
            .starts_with("event exceeds the maximum size of 4 bytes")
    );
    assert!(parse.source().is_none());
}

#[test]
fn pending_source_is_handled() {
    // Not ready before every 3-byte chunk.
    let raw = b"data: a\n\ndata: b\n\ndata: c\n\n";
    let items = collect(EventStream::new(Scripted::new(raw, &[3], &[true])));
    let data: Vec<_> = items
        .iter()
        .map(|e| e.as_ref().unwrap().data().to_owned())
        .collect();
    assert_eq!(data, ["a", "b", "c"]);
}

#[test]
fn body_adapter_reads_data_frames_and_skips_trailers() {
    let mut trailers = http::HeaderMap::new();
    trailers.insert("x-done", http::HeaderValue::from_static("1"));
    let frames: Vec<Result<Frame<Bytes>, Broken>> = vec![
        Ok(Frame::data(Bytes::from_static(b"event: x\ndata: "))),
        Ok(Frame::data(Bytes::new())),
        Ok(Frame::data(Bytes::from_static(b"hello\n\n"))),
        Ok(Frame::trailers(trailers)),
    ];
    let body = StreamBody::new(stream::iter(frames));
    let items = collect(EventStream::from_body(body));
    assert_eq!(items.len(), 1);
    let event = items[0].as_ref().unwrap();
    assert_eq!((event.event_type(), event.data()), ("x", "hello"));
}

#[test]
fn body_error_is_a_source_error_with_the_cause() {
    let frames: Vec<Result<Frame<Bytes>, Broken>> = vec![
        Ok(Frame::data(Bytes::from_static(b"data: a\n\ndata: b"))),
        Err(Broken),
    ];
    let items = collect(EventStream::from_body(StreamBody::new(stream::iter(
        frames,
    ))));
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().data(), "a");
    assert!(matches!(items[1], Err(EventStreamError::Source(Broken))));
}

#[test]
fn parser_is_reusable_for_the_next_connection() {
    let mut first = EventStream::new(stream::iter(chunks(&[b"id: 41\ndata: a\n\nretry: 5\n\n"])));
    assert_eq!(collect(&mut first).len(), 1);
    assert_eq!(first.retry(), Some(std::time::Duration::from_millis(5)));
    let parser = first.into_parser();
    let second = EventStream::with_parser(stream::iter(chunks(&[b"data: b\n\n"])), parser);
    let items = collect(second);
    assert_eq!(items[0].as_ref().unwrap().id(), "41");
}

/// A source that has the given chunks ready, and then is never ready again
/// (and never wakes its task): input that stops arriving mid-stream.
struct Stalled(Vec<Bytes>);

impl Stream for Stalled {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.0.is_empty() {
            Poll::Pending
        } else {
            Poll::Ready(Some(Ok(self.0.remove(0))))
        }
    }
}

#[test]
fn an_event_in_small_chunks_is_not_held_back_for_more_input() {
    let raw = b"event: delta\ndata: {\"text\":\"hi\"}\n\ndata: next";
    let parts = raw.chunks(5).map(Bytes::copy_from_slice).collect();
    let mut events = EventStream::new(Stalled(parts));
    let mut cx = Context::from_waker(std::task::Waker::noop());
    let Poll::Ready(Some(Ok(event))) = Pin::new(&mut events).poll_next(&mut cx) else {
        panic!("the complete event must be yielded at once");
    };
    assert_eq!(
        (event.event_type(), event.data()),
        ("delta", "{\"text\":\"hi\"}")
    );
    // The rest is an unfinished event: wait for more.
    assert!(Pin::new(&mut events).poll_next(&mut cx).is_pending());
}

#[test]
fn source_error_after_small_chunks_comes_after_their_events() {
    let raw: &'static [u8] = b"id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\ndata: c";
    let mut parts: Vec<_> = raw.chunks(3).map(|c| Ok(Bytes::from_static(c))).collect();
    parts.push(Err(Broken));
    parts.push(Ok(Bytes::from_static(b"\n\ndata: never\n\n")));
    let mut events = EventStream::new(stream::iter(parts));
    let items = collect(&mut events);
    let data: Vec<_> = items[..2]
        .iter()
        .map(|e| e.as_ref().unwrap().data())
        .collect();
    assert_eq!(data, ["a", "b"]);
    assert!(matches!(items[2], Err(EventStreamError::Source(Broken))));
    assert_eq!(items.len(), 3);
    assert_eq!(events.last_event_id(), "2");
}

#[test]
fn many_small_chunks_ready_together_give_every_event() {
    // Far more than one joined block's worth, in 64-byte chunks.
    let raw: Vec<u8> = (0..2000)
        .flat_map(|i| format!("event: e{}\ndata: {i}\n\n", i % 3).into_bytes())
        .collect();
    let parts: Vec<Result<_, Infallible>> = raw
        .chunks(64)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let items = collect(EventStream::new(stream::iter(parts)));
    assert_eq!(items.len(), 2000);
    for (i, item) in items.iter().enumerate() {
        let event = item.as_ref().unwrap();
        assert_eq!(
            (event.event_type(), event.data()),
            (format!("e{}", i % 3).as_str(), i.to_string().as_str())
        );
    }
}

#[test]
fn data_in_a_large_chunk_is_not_copied() {
    let mut raw = b"data: ".to_vec();
    raw.resize(700, b'x');
    raw.extend_from_slice(b"\n\n");
    let chunk = Bytes::from(raw);
    let range = chunk.as_ptr_range();
    let items = collect(EventStream::new(stream::iter([Ok::<_, Infallible>(
        chunk.clone(),
    )])));
    let data = items[0].as_ref().unwrap().data_bytes();
    assert_eq!(data.len(), 694);
    assert!(
        range.contains(&data.as_ptr()),
        "the data must point into the chunk"
    );
}

#[test]
fn a_small_chunk_that_comes_alone_is_not_copied() {
    let chunk = Bytes::from_static(b"data: alone\n\n");
    let mut events = EventStream::new(Stalled(vec![chunk.clone()]));
    let mut cx = Context::from_waker(std::task::Waker::noop());
    let Poll::Ready(Some(Ok(event))) = Pin::new(&mut events).poll_next(&mut cx) else {
        panic!("the event must be yielded at once");
    };
    assert_eq!(event.data(), "alone");
    assert!(chunk.as_ptr_range().contains(&event.data_bytes().as_ptr()));
}
