//! Arbitrary bytes as a Messages event stream, the way the client reads one:
//! fed to the SSE parser in arbitrary chunks, each event's data decoded as a
//! `MessageStreamEvent` and applied to a `MessageAccumulator`.
//!
//! Nothing may panic, whatever the bytes; an event that decodes must
//! re-encode and decode to an equal event (no field is lost or changed).
//!
//! Input layout: bytes 0..4 are chunk lengths (cycled), the rest is the stream.

#![no_main]

use bytes::Bytes;
use claude_rs_client::messages::MessageAccumulator;
use claude_rs_sse::Parser;
use claude_rs_types::stream::MessageStreamEvent;
use libfuzzer_sys::fuzz_target;

fn drain(parser: &mut Parser, accumulator: &mut MessageAccumulator) {
    while let Some(item) = parser.next_event() {
        let Ok(event) = item else { continue };
        let Ok(decoded) = serde_json::from_slice::<MessageStreamEvent>(event.data_bytes()) else {
            continue;
        };
        let encoded = serde_json::to_vec(&decoded).expect("a decoded event encodes");
        let again: MessageStreamEvent =
            serde_json::from_slice(&encoded).expect("an encoded event decodes");
        assert_eq!(decoded, again, "event round trip");
        // Out-of-order or ill-formed events are errors, never panics.
        let _ = accumulator.apply(&decoded);
        let _ = accumulator.snapshot();
        let _ = accumulator.is_complete();
        let _ = accumulator.partial_json(0);
    }
}

fuzz_target!(|input: &[u8]| {
    let (lengths, stream) = input.split_at(input.len().min(4));
    let mut lengths = lengths.iter().map(|&n| usize::from(n)).cycle();
    let mut parser = Parser::new();
    let mut accumulator = MessageAccumulator::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let n = lengths.next().unwrap_or(rest.len()).clamp(1, rest.len());
        parser.feed(Bytes::copy_from_slice(&rest[..n]));
        rest = &rest[n..];
        drain(&mut parser, &mut accumulator);
    }
    parser.finish();
    drain(&mut parser, &mut accumulator);
    let _ = accumulator.into_message();
});
