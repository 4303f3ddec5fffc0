//! Feeds arbitrary bytes to the parser in arbitrary chunks.
//!
//! Besides "never panics", it checks the parser's central promise: the
//! outcome (events, errors, last event id, retry) does not depend on how the
//! input was split into chunks.
//!
//! Input layout: byte 0 picks the size limit, bytes 1..9 are chunk lengths
//! (cycled), the rest is the stream.

#![no_main]

use bytes::Bytes;
use claude_sse::Parser;
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

fuzz_target!(|input: &[u8]| {
    let Some((&limit, rest)) = input.split_first() else {
        return;
    };
    let (lengths, stream) = rest.split_at(rest.len().min(8));
    let lengths: Vec<usize> = lengths.iter().map(|&n| usize::from(n)).collect();
    // Small limits exercise the oversized-event path; 255 means "default".
    let max_event_size = if limit == 255 {
        claude_sse::DEFAULT_MAX_EVENT_SIZE
    } else {
        usize::from(limit)
    };
    let whole = run(max_event_size, stream, &[]);
    let split = run(max_event_size, stream, &lengths);
    assert_eq!(whole, split, "chunking changed the outcome");
    let bytewise = run(max_event_size, stream, &[1]);
    assert_eq!(whole, bytewise, "byte-by-byte feeding changed the outcome");
});
