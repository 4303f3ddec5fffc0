//! Arbitrary bytes as a Bedrock eventstream body, the way the Bedrock
//! backend reads one: fed to `ChunkDecoder` in arbitrary chunks.
//!
//! Nothing may panic, whatever the bytes; every frame that decodes must
//! re-encode to the very bytes it came from (no header or payload byte
//! lost or changed), and decoding stops at the first error.
//!
//! Input layout: bytes 0..4 are chunk lengths (cycled), the rest is the body.

#![no_main]

use claude_rs_bedrock::ChunkDecoder;
use claude_rs_bedrock::eventstream::FrameDecoder;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (lengths, body) = data.split_at(4);
    let mut pieces = Vec::new();
    let (mut at, mut i) = (0, 0);
    while at < body.len() {
        let end = (at + usize::from(lengths[i % 4]).max(1)).min(body.len());
        pieces.push(&body[at..end]);
        (at, i) = (end, i + 1);
    }

    // Frames: each decoded frame re-encodes to its own bytes.
    let mut frames = FrameDecoder::new();
    let mut offset = 0;
    'frames: for piece in &pieces {
        frames.push(piece);
        loop {
            match frames.next_frame() {
                Ok(Some(frame)) => {
                    let wire = frame.encode();
                    assert_eq!(&body[offset..offset + wire.len()], &wire[..], "frame round trip");
                    offset += wire.len();
                    let _ = frame.headers();
                }
                Ok(None) => break,
                Err(_) => break 'frames,
            }
        }
    }

    // Events: never a panic; after an error, nothing more. The chunks are
    // taken as the backend takes them (`push_bytes`, read in place), the
    // frames above copied (`push`): both paths are exercised.
    let mut events = ChunkDecoder::new(http::HeaderMap::new());
    'events: for piece in &pieces {
        events.push_bytes(bytes::Bytes::copy_from_slice(piece));
        loop {
            match events.next_event() {
                Ok(Some(json)) => {
                    let _ = serde_json::from_slice::<claude_rs_types::stream::MessageStreamEvent>(&json);
                }
                Ok(None) => break,
                Err(_) => break 'events,
            }
        }
    }
    let _ = events.finish();
});
