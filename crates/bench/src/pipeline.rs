//! The client's streaming path, in memory: SSE parser -> typed events ->
//! accumulated message, as `MessageStream` runs it on a response body.

use std::hint::black_box;

use bytes::Bytes;
use claude_rs_client::messages::MessageAccumulator;
use claude_rs_sse::Parser;
use claude_rs_types::stream::MessageStreamEvent;

/// What one pass over a stream produced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Decoded {
    /// Events decoded.
    pub events: u64,
    /// Messages completed (`message_stop` seen).
    pub messages: u64,
    /// Bytes of text and thinking accumulated in the completed messages.
    pub text_bytes: u64,
}

/// Parses, decodes and accumulates every event of `chunks`, like
/// `MessageStream` does (`serde_json::from_str` of the event's data, then
/// [`MessageAccumulator::apply`]). A new `message_start` begins a new
/// message. Panics on any error: the benchmark streams are valid.
pub fn decode(chunks: &[Bytes]) -> Decoded {
    decode_with(chunks, MessageAccumulator::new())
}

/// [`decode`] with a given accumulator (for instance with live tool input
/// on); each message after the first starts from a default one.
pub fn decode_with(chunks: &[Bytes], accumulator: MessageAccumulator) -> Decoded {
    let mut parser = Parser::new();
    let mut accumulator = accumulator;
    let mut out = Decoded::default();
    let mut apply = |parser: &mut Parser, out: &mut Decoded| {
        while let Some(event) = parser.next_event() {
            let event = event.expect("a valid SSE event");
            let typed: MessageStreamEvent =
                serde_json::from_str(event.data()).expect("a valid stream event");
            accumulate(&mut accumulator, out, typed);
        }
    };
    for chunk in chunks {
        parser.feed(chunk.clone());
        apply(&mut parser, &mut out);
    }
    parser.finish();
    apply(&mut parser, &mut out);
    out
}

/// The same over Bedrock's eventstream framing, like the Bedrock backend
/// runs it: body chunks taken as they come (`push_bytes`) -> frames (both
/// CRCs checked) -> each `chunk`'s base64 JSON ->
/// UTF-8 check and `serde_json::from_str` -> [`MessageAccumulator::apply`].
pub fn decode_eventstream(chunks: &[Bytes]) -> Decoded {
    let mut decoder = claude_rs_bedrock::ChunkDecoder::new(http::HeaderMap::new());
    let mut accumulator = MessageAccumulator::new();
    let mut out = Decoded::default();
    for chunk in chunks {
        decoder.push_bytes(chunk.clone());
        while let Some(json) = decoder.next_event().expect("valid frames") {
            // As `MessageStream` does: UTF-8 checked once, then `from_str`.
            let text = std::str::from_utf8(&json).expect("UTF-8 event JSON");
            let typed: MessageStreamEvent =
                serde_json::from_str(text).expect("a valid stream event");
            accumulate(&mut accumulator, &mut out, typed);
        }
    }
    decoder.finish().expect("no frame cut short");
    out
}

/// Applies one event; a completed message is counted and a new one begun.
fn accumulate(accumulator: &mut MessageAccumulator, out: &mut Decoded, typed: MessageStreamEvent) {
    accumulator.apply(&typed).expect("events in order");
    out.events += 1;
    if accumulator.is_complete() {
        let message = std::mem::take(accumulator).into_message();
        let message = message.expect("a message_start before message_stop");
        out.text_bytes += text_len(&message);
        black_box(message);
        out.messages += 1;
    }
    black_box(typed);
}

fn text_len(message: &claude_rs_types::message::Message) -> u64 {
    use claude_rs_types::content::ContentBlock;
    message
        .content
        .iter()
        .map(|block| match block {
            ContentBlock::Text(text) => text.text.len() as u64,
            ContentBlock::Thinking(thinking) => thinking.thinking.len() as u64,
            _ => 0,
        })
        .sum()
}

/// Allocations per event kind (`message_start`, `content_block_delta/text_delta`, ...):
/// `(kind, events, allocations, reallocations)`, for finding where they come from.
/// `now` reads the allocation counters (`AllocCount::now` of [`crate::alloc`]).
pub fn allocations_by_kind(
    chunks: &[Bytes],
    now: impl Fn() -> crate::alloc::AllocCount,
) -> Vec<(String, u64, u64, u64)> {
    let mut parser = Parser::new();
    let mut accumulator = MessageAccumulator::new();
    let mut table: Vec<(String, u64, u64, u64)> = Vec::new();
    for chunk in chunks.iter().cloned().map(Some).chain([None]) {
        match chunk {
            Some(chunk) => parser.feed(chunk),
            None => parser.finish(),
        }
        loop {
            let before = now();
            let Some(event) = parser.next_event() else {
                break;
            };
            let event = event.expect("a valid SSE event");
            let typed: MessageStreamEvent =
                serde_json::from_str(event.data()).expect("a valid stream event");
            accumulator.apply(&typed).expect("events in order");
            let kind = match &typed {
                MessageStreamEvent::ContentBlockDelta(delta) => {
                    format!("content_block_delta/{}", delta.delta.type_str())
                }
                other => other.type_str().to_owned(),
            };
            drop(typed);
            drop(event);
            if accumulator.is_complete() {
                black_box(std::mem::take(&mut accumulator));
            }
            let spent = now().since(before);
            match table.iter_mut().find(|row| row.0 == kind) {
                Some(row) => {
                    row.1 += 1;
                    // The kind's own name is one allocation of this loop.
                    row.2 += spent.allocs.saturating_sub(1);
                    row.3 += spent.reallocs;
                }
                None => table.push((kind, 1, spent.allocs.saturating_sub(1), spent.reallocs)),
            }
        }
    }
    table
}
