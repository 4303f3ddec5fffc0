//! The stream accumulator against recorded streams, the official SDK's own
//! fixtures and synthetic streams of a newer API.

mod official;
mod recorded;
mod twins;

use std::fs;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use claude_rs_client::messages::MessageAccumulator;
use claude_rs_sse::Parser;
use claude_rs_types::stream::MessageStreamEvent;

/// A file of `tests/fixtures/<dir>`.
fn fixture(dir: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(dir)
        .join(name)
}

/// The files of `tests/fixtures/<dir>` ending in `.<ext>`, sorted.
fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(fixture(dir, ""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// The `data` of every event of an SSE body, parsed with the SSE crate in
/// 7-byte chunks.
fn sse_datas(body: &[u8]) -> Vec<String> {
    let mut parser = Parser::new();
    let mut out = Vec::new();
    for chunk in body.chunks(7) {
        parser.feed(Bytes::copy_from_slice(chunk));
        while let Some(event) = parser.next_event() {
            out.push(event.unwrap().data().to_owned());
        }
    }
    parser.finish();
    while let Some(event) = parser.next_event() {
        out.push(event.unwrap().data().to_owned());
    }
    out
}

/// Decodes and applies every event; the first error, if any, with its event.
fn accumulate_datas(datas: &[String]) -> Result<MessageAccumulator, String> {
    let mut accumulator = MessageAccumulator::new();
    for data in datas {
        let event: MessageStreamEvent =
            serde_json::from_str(data).map_err(|e| format!("decoding {data}: {e}"))?;
        accumulator
            .apply(&event)
            .map_err(|e| format!("applying {data}: {e}"))?;
    }
    Ok(accumulator)
}
