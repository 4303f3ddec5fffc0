//! The eventstream decoder and chunk events against every vector in
//! `fixtures/` (the official Python decoder's output, `decode_ref.out`),
//! fed whole, split at every byte boundary and byte by byte; and a
//! proptest of random frames.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use claude_rs_bedrock::Bedrock;
use claude_rs_bedrock::eventstream::{Frame, FrameDecoder, FrameError, HeaderValue};
use claude_rs_client::backend::{Backend, Framing};
use claude_rs_client::{Error, ProtocolKind};
use claude_rs_transport::Body;
use futures_util::StreamExt;
use http::HeaderMap;
use http_body::Frame as BodyFrame;
use proptest::prelude::*;

use crate::support::fixture;

/// A body that yields the given pieces.
struct Pieces(std::collections::VecDeque<Bytes>);

impl http_body::Body for Pieces {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<BodyFrame<Bytes>, std::io::Error>>> {
        Poll::Ready(self.0.pop_front().map(|b| Ok(BodyFrame::data(b))))
    }
}

fn backend() -> Bedrock {
    Bedrock::builder()
        .region("us-east-1")
        .api_key("test-key")
        .env_lookup(|_| None)
        .build()
        .unwrap()
}

/// Runs the backend's event source over `pieces`: the event JSONs, then
/// the error that ended it, if any.
async fn events(pieces: Vec<Bytes>) -> (Vec<serde_json::Value>, Option<Error>) {
    let body = Body::wrap(Pieces(pieces.into()));
    let Framing::Events(mut source) = backend().stream_framing(&HeaderMap::new(), body) else {
        panic!("Bedrock frames its own events");
    };
    let mut out = Vec::new();
    while let Some(item) = source.next().await {
        match item {
            Ok(json) => out.push(serde_json::from_slice(&json).unwrap()),
            Err(error) => {
                assert!(source.next().await.is_none(), "an error ends the source");
                return (out, Some(error));
            }
        }
    }
    (out, None)
}

/// `decode_ref.out`: per vector, the event JSONs (and the error event).
fn reference(name: &str) -> Vec<serde_json::Value> {
    let text = String::from_utf8(fixture("decode_ref.out")).unwrap();
    let section = text.split(&format!("## {name}\n")).nth(1).unwrap();
    let section = section.split("\n## ").next().unwrap();
    section
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

/// Every way of cutting `data` in two, then byte by byte.
fn cuttings(data: &[u8]) -> Vec<Vec<Bytes>> {
    let data = Bytes::copy_from_slice(data);
    let mut all: Vec<Vec<Bytes>> = (0..=data.len())
        .map(|at| vec![data.slice(..at), data.slice(at..)])
        .collect();
    all.push((0..data.len()).map(|i| data.slice(i..i + 1)).collect());
    all
}

#[tokio::test]
async fn ok_stream_gives_the_reference_events_however_it_is_cut() {
    let data = fixture("bedrock_stream_ok.bin");
    let expected = reference("bedrock_stream_ok.bin");
    assert_eq!(expected.len(), 6);
    for pieces in cuttings(&data) {
        let (events, error) = events(pieces).await;
        assert!(error.is_none(), "{error:?}");
        assert_eq!(events, expected);
    }
}

#[tokio::test]
async fn exception_frame_is_a_429_after_the_events_before_it() {
    let data = fixture("bedrock_stream_exception.bin");
    let expected = reference("bedrock_stream_exception.bin");
    for pieces in cuttings(&data) {
        let (events, error) = events(pieces).await;
        assert_eq!(events, expected[..1]);
        let error = error.expect("the exception");
        let api = error.api().expect("an API error");
        assert_eq!(api.status.as_u16(), 429);
        assert_eq!(
            api.error_type.as_ref().map(|t| t.to_string()),
            expected[1]["error"]["type"].as_str().map(str::to_owned)
        );
        assert_eq!(
            api.message,
            expected[1]["error"]["message"].as_str().unwrap()
        );
        assert!(error.is_rate_limit() && error.is_retryable());
    }
}

#[tokio::test]
async fn error_frame_uses_its_error_code_headers() {
    let data = fixture("bedrock_stream_error_frame.bin");
    let expected = reference("bedrock_stream_error_frame.bin");
    for pieces in cuttings(&data) {
        let (events, error) = events(pieces).await;
        assert_eq!(events, expected[..1], "the chunk's `p` padding is ignored");
        let api = error.as_ref().and_then(Error::api).expect("an API error");
        assert_eq!(
            api.error_type.as_ref().unwrap().to_string(),
            "InternalFailure"
        );
        assert_eq!(api.message, "boom");
    }
}

#[tokio::test]
async fn bad_crc_is_a_typed_framing_error() {
    let data = fixture("bedrock_stream_bad_crc.bin");
    for pieces in cuttings(&data) {
        let (_, error) = events(pieces).await;
        match error {
            Some(Error::Protocol {
                kind: ProtocolKind::Framing,
                message,
            }) => {
                // botocore: expected 0xc0567e41, calculated 0xc0567ebe.
                assert!(
                    message.contains("0xc0567e41") && message.contains("0xc0567ebe"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn a_stream_cut_inside_a_frame_is_a_typed_error() {
    let data = fixture("bedrock_stream_ok.bin");
    let (events, error) = events(vec![Bytes::copy_from_slice(&data[..data.len() - 3])]).await;
    assert_eq!(events.len(), 5);
    assert!(
        matches!(&error, Some(Error::Protocol { kind: ProtocolKind::Framing, message }) if message.contains("ended inside")),
        "{error:?}"
    );
}

#[test]
fn the_real_converse_stream_decodes_at_every_cut() {
    let data = fixture("real_converse_stream.bin");
    for at in 0..=data.len() {
        let mut decoder = FrameDecoder::new();
        let mut frames = 0;
        for piece in [&data[..at], &data[at..]] {
            decoder.push(piece);
            while let Some(frame) = decoder.next_frame().unwrap() {
                assert_eq!(frame.header_str(":message-type"), Some("event"));
                frames += 1;
            }
        }
        decoder.finish().unwrap();
        assert_eq!(frames, 33);
    }
}

fn header_value() -> impl Strategy<Value = HeaderValue> {
    prop_oneof![
        any::<bool>().prop_map(HeaderValue::Bool),
        any::<i8>().prop_map(HeaderValue::Byte),
        any::<i16>().prop_map(HeaderValue::Int16),
        any::<i32>().prop_map(HeaderValue::Int32),
        any::<i64>().prop_map(HeaderValue::Int64),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(|v| HeaderValue::Bytes(v.into())),
        "[a-z:/ -]{0,40}".prop_map(HeaderValue::String),
        any::<i64>().prop_map(HeaderValue::Timestamp),
        any::<[u8; 16]>().prop_map(HeaderValue::Uuid),
    ]
}

fn frame() -> impl Strategy<Value = Frame> {
    (
        proptest::collection::btree_map("[a-z:-]{1,20}", header_value(), 0..6),
        proptest::collection::vec(any::<u8>(), 0..300),
    )
        .prop_map(|(headers, payload)| {
            let headers: Vec<_> = headers.into_iter().collect();
            let frame = Frame::new(headers.clone(), payload.into());
            assert_eq!(frame.headers(), headers, "headers read back as given");
            frame
        })
}

proptest! {
    #[test]
    fn random_frames_round_trip_however_cut(
        frames in proptest::collection::vec(frame(), 1..6),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
        flip in any::<prop::sample::Index>(),
    ) {
        let wire: Vec<u8> = frames.iter().flat_map(Frame::encode).collect();
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(wire.len() + 1)).collect();
        at.push(0);
        at.push(wire.len());
        at.sort_unstable();
        let mut decoder = FrameDecoder::new();
        let mut decoded = Vec::new();
        for pair in at.windows(2) {
            decoder.push(&wire[pair[0]..pair[1]]);
            while let Some(frame) = decoder.next_frame().unwrap() {
                decoded.push(frame);
            }
        }
        decoder.finish().unwrap();
        prop_assert_eq!(&decoded, &frames);
        for (got, sent) in decoded.iter().zip(&frames) {
            // Values read back from the wire form, sign and all.
            let headers = got.headers();
            for (name, value) in &headers {
                prop_assert_eq!(got.header(name), Some(value.clone()));
            }
            prop_assert_eq!(headers, sent.headers());
        }

        // One flipped bit anywhere is caught (every byte is under a
        // checksum): a mismatch, a length bound or a truncation; no panic.
        let mut bad = wire.clone();
        let bit = flip.index(bad.len() * 8);
        bad[bit / 8] ^= 1 << (bit % 8);
        let mut decoder = FrameDecoder::new();
        decoder.push(&bad);
        let mut outcome: Result<Vec<Frame>, FrameError> = Ok(Vec::new());
        loop {
            match decoder.next_frame() {
                Ok(Some(frame)) => outcome.as_mut().unwrap().push(frame),
                Ok(None) => { if let Err(e) = decoder.finish() { outcome = Err(e) } break }
                Err(e) => { outcome = Err(e); break }
            }
        }
        prop_assert!(outcome.is_err(), "a flipped bit went unnoticed");
    }
}

/// A `chunk` event frame carrying `event` (base64-encoded, as Bedrock does).
fn chunk_frame(event: &[u8]) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::new();
    for group in event.chunks(3) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                encoded.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                encoded.push('=');
            }
        }
    }
    let headers = vec![
        (
            ":message-type".to_owned(),
            HeaderValue::String("event".to_owned()),
        ),
        (
            ":event-type".to_owned(),
            HeaderValue::String("chunk".to_owned()),
        ),
    ];
    let payload = format!(r#"{{"bytes":"{encoded}"}}"#);
    Frame::new(headers, payload.into_bytes().into()).encode()
}

const MESSAGE_START: &[u8] = br#"{"type":"message_start","message":{"id":"msg_bedrock","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}"#;
const BLOCK_START: &[u8] =
    br#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#;
const DELTA: &[u8] =
    br#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#;

#[tokio::test]
async fn a_chunk_that_is_not_a_json_event_fails_the_stream() {
    // A JSON object without `type` is no event and is skipped.
    let skipped = [chunk_frame(MESSAGE_START), chunk_frame(br#"{"ping":1}"#)].concat();
    let (got, error) = events(vec![skipped.into()]).await;
    assert_eq!((got.len(), error.is_none()), (1, true), "{error:?}");
    for bad in [&b"not json at all"[..], b"[1,2]", b"{\"ty"] {
        let wire = [chunk_frame(MESSAGE_START), chunk_frame(bad)].concat();
        let (got, error) = events(vec![wire.into()]).await;
        assert_eq!(got.len(), 1);
        assert!(
            matches!(&error, Some(Error::Protocol { kind: ProtocolKind::Framing, message }) if message.contains("chunk's event")),
            "{bad:?}: {error:?}"
        );
    }
}

#[tokio::test]
async fn the_client_keeps_the_partial_message_when_a_chunk_is_not_an_event() {
    let wire: Bytes = [
        chunk_frame(MESSAGE_START),
        chunk_frame(BLOCK_START),
        chunk_frame(DELTA),
        chunk_frame(b"\x00garbage"),
    ]
    .concat()
    .into();
    let transport = tower::service_fn(move |_: http::Request<claude_rs_transport::RequestBody>| {
        let wire = wire.clone();
        async move {
            let response = http::Response::builder()
                .header("content-type", "application/vnd.amazon.eventstream")
                .body(Body::wrap(Pieces(vec![wire].into())))
                .unwrap();
            Ok::<_, claude_rs_transport::Error>(response)
        }
    });
    let client = claude_rs_client::Client::builder()
        .backend(backend())
        .transport(transport)
        .max_retries(0)
        .build()
        .unwrap();
    let request = claude_rs_types::request::CreateMessageRequest::new(
        "anthropic.claude-sonnet-5",
        64,
        vec![claude_rs_types::request::MessageParam::user("Hi")],
    );
    let stream = client.messages().stream(request).await.unwrap();
    let error = stream.final_message().await.unwrap_err();
    assert!(
        matches!(
            error.cause(),
            Error::Protocol {
                kind: ProtocolKind::Framing,
                ..
            }
        ),
        "{error:?}"
    );
    let partial = error.partial_message().expect("the message so far");
    assert_eq!(partial.text(), "Hello");
}
