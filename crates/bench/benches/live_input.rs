//! Live tool input: decoding a tool-input-heavy stream (1,000 text deltas,
//! then a 3,000-item tool input in 17-byte fragments) with the input parsed
//! as it arrives, against the same decode without it, and against parsing
//! the whole text again after every fragment (what the official SDKs do).
//!
//! Target: live parsing costs at most 2x the no-live decode.
//!
//! `cargo bench -p claude-rs-bench --bench live_input [-- --passes N]`

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use claude_rs_bench::pipeline::decode_with;
use claude_rs_bench::{arg_usize, streams};
use claude_rs_client::messages::MessageAccumulator;
use claude_rs_sse::Parser;
use claude_rs_types::stream::ContentBlockDelta;
use claude_rs_types::stream::MessageStreamEvent;

/// The best time of `passes` runs of `f`.
fn best(passes: usize, mut f: impl FnMut()) -> Duration {
    (0..passes.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Decodes the stream and, after each tool fragment, parses the whole input
/// text so far from the start: the quadratic way. The closing is naive
/// (`"]}` appended), so most of these parses fail, but only where the text
/// stops matching, near its end: each still reads the whole text once.
fn reparse_every_fragment(chunks: &[Bytes]) -> usize {
    let mut parser = Parser::new();
    let mut text = String::new();
    let mut parsed = 0;
    for chunk in chunks {
        parser.feed(chunk.clone());
        while let Some(event) = parser.next_event() {
            let event: MessageStreamEvent =
                serde_json::from_str(event.expect("SSE").data()).expect("an event");
            if let MessageStreamEvent::ContentBlockDelta(delta) = &event
                && let ContentBlockDelta::InputJson(json) = &delta.delta
            {
                text.push_str(&json.partial_json);
                let closed = format!("{text}\"]}}");
                parsed += usize::from(serde_json::from_str::<serde_json::Value>(&closed).is_ok());
            }
            black_box(event);
        }
    }
    parsed
}

#[allow(clippy::print_stdout)] // A bench prints its figures.
fn main() {
    let passes = arg_usize("--passes", 20);
    let stream = streams::tool_input_heavy(1_000, 3_000, 17);
    let chunks = streams::event_chunks(&stream);
    let fragments = chunks.len() - 1_000;
    println!(
        "live_input: {} events ({fragments} tool fragments, {} KiB), best of {passes}",
        chunks.len(),
        stream.len() / 1024
    );
    // Warm up, and check both paths decode the same message.
    let plain = decode_with(&chunks, MessageAccumulator::new());
    let live = decode_with(&chunks, MessageAccumulator::new().live_input());
    assert_eq!(plain, live);

    let off = best(passes, || {
        black_box(decode_with(&chunks, MessageAccumulator::new()));
    });
    let on = best(passes, || {
        black_box(decode_with(&chunks, MessageAccumulator::new().live_input()));
    });
    let reparse = best(passes.min(3), || {
        black_box(reparse_every_fragment(&chunks));
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("no live input        {:>9.2} ms", ms(off));
    println!(
        "live input           {:>9.2} ms  ({:.2}x, target <= 2x)",
        ms(on),
        ms(on) / ms(off)
    );
    println!(
        "re-parse per fragment{:>9.2} ms  ({:.0}x the live decode)",
        ms(reparse),
        ms(reparse) / ms(on)
    );
}
