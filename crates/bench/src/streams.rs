//! The benchmark streams, as the API writes them
//! (`event: <type>\ndata: <json>\n\n`).

use std::fmt::Write as _;

use bytes::Bytes;

/// Where the recorded vectors are.
pub const RECORDED_DIR: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/recorded");

const MESSAGE_START: &str = r#"{"type":"message_start","message":{"model":"claude-sonnet-4-5-20250929","id":"msg_01BenchStream0000000000","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":15,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}"#;

/// Small text pieces, as JSON string contents (escapes included), the size
/// of the tokens the API streams.
const WORDS: &[&str] = &[
    "The",
    " answer",
    " is",
    " that",
    " streaming",
    " keeps",
    " the",
    " reader",
    " busy",
    ",",
    " and",
    " each",
    " piece",
    " is",
    " small",
    ".",
    "\\n\\n",
    "It",
    " says",
    " \\\"hello\\\"",
    " to",
    " caf\u{e9}",
    " users",
    " too",
    ".",
];

/// The kinds of stream the benches use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One message of small `text_delta` events.
    TextDeltas,
    /// One recorded-style message: a thinking block, a text block and a
    /// tool call whose input comes in fragments, with pings.
    Mixed,
    /// The recorded vectors, concatenated (many messages).
    Recorded,
}

impl Kind {
    /// Parses `deltas`, `mixed` or `recorded`.
    pub fn parse(name: &str) -> Option<Kind> {
        match name {
            "deltas" => Some(Kind::TextDeltas),
            "mixed" => Some(Kind::Mixed),
            "recorded" => Some(Kind::Recorded),
            _ => None,
        }
    }

    /// Builds the stream: `n` delta events (for `Recorded`, the vectors
    /// repeated until they hold at least `n` events).
    pub fn build(self, n: usize) -> Bytes {
        match self {
            Kind::TextDeltas => text_deltas(n),
            Kind::Mixed => mixed(n),
            Kind::Recorded => recorded(n),
        }
    }
}

fn event(out: &mut String, kind: &str, data: &str) {
    let _ = write!(out, "event: {kind}\ndata: {data}\n\n");
}

fn delta(out: &mut String, index: usize, kind: &str, field: &str, value: &str) {
    let _ = write!(
        out,
        "event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":{index},\
         \"delta\":{{\"type\":\"{kind}\",\"{field}\":\"{value}\"}}}}\n\n"
    );
}

fn block_start(out: &mut String, index: usize, block: &str) {
    let data =
        format!(r#"{{"type":"content_block_start","index":{index},"content_block":{block}}}"#);
    event(out, "content_block_start", &data);
}

fn block_stop(out: &mut String, index: usize) {
    let data = format!(r#"{{"type":"content_block_stop","index":{index}}}"#);
    event(out, "content_block_stop", &data);
}

fn end(out: &mut String, output_tokens: usize, stop_reason: &str) {
    let data = format!(
        r#"{{"type":"message_delta","delta":{{"stop_reason":"{stop_reason}","stop_sequence":null}},"usage":{{"output_tokens":{output_tokens}}}}}"#
    );
    event(out, "message_delta", &data);
    event(out, "message_stop", r#"{"type":"message_stop"}"#);
}

/// One message whose text comes in `n` small `text_delta` events.
pub fn text_deltas(n: usize) -> Bytes {
    let mut out = String::with_capacity(n * 110 + 1024);
    event(&mut out, "message_start", MESSAGE_START);
    block_start(&mut out, 0, r#"{"type":"text","text":""}"#);
    for i in 0..n {
        delta(&mut out, 0, "text_delta", "text", WORDS[i % WORDS.len()]);
    }
    block_stop(&mut out, 0);
    end(&mut out, n, "end_turn");
    Bytes::from(out)
}

/// One recorded-style message with `n` deltas in all: a third thinking, a
/// third text, a third tool input fragments; a ping every 1,000 events.
pub fn mixed(n: usize) -> Bytes {
    let third = n / 3;
    let mut out = String::with_capacity(n * 130 + 1024);
    event(&mut out, "message_start", MESSAGE_START);
    block_start(
        &mut out,
        0,
        r#"{"type":"thinking","thinking":"","signature":""}"#,
    );
    let mut sent = 0;
    let ping = |out: &mut String, sent: &mut usize| {
        *sent += 1;
        if sent.is_multiple_of(1000) {
            event(out, "ping", r#"{"type": "ping"}"#);
        }
    };
    for i in 0..third {
        delta(
            &mut out,
            0,
            "thinking_delta",
            "thinking",
            WORDS[(i + 3) % WORDS.len()],
        );
        ping(&mut out, &mut sent);
    }
    delta(
        &mut out,
        0,
        "signature_delta",
        "signature",
        "EqQBCkYIBxgCKkBbenchsignature",
    );
    block_stop(&mut out, 0);
    block_start(&mut out, 1, r#"{"type":"text","text":""}"#);
    for i in 0..third {
        delta(&mut out, 1, "text_delta", "text", WORDS[i % WORDS.len()]);
        ping(&mut out, &mut sent);
    }
    block_stop(&mut out, 1);
    let tool = r#"{"type":"tool_use","id":"toolu_01BenchTool","name":"record","input":{}}"#;
    block_start(&mut out, 2, tool);
    let fragments = (n - 2 * third).max(2);
    delta(
        &mut out,
        2,
        "input_json_delta",
        "partial_json",
        "{\\\"items\\\": [",
    );
    for i in 1..fragments - 1 {
        let piece = format!("\\\"item {i}\\\", ");
        delta(&mut out, 2, "input_json_delta", "partial_json", &piece);
        ping(&mut out, &mut sent);
    }
    delta(
        &mut out,
        2,
        "input_json_delta",
        "partial_json",
        "\\\"end\\\"]}",
    );
    block_stop(&mut out, 2);
    end(&mut out, n, "tool_use");
    Bytes::from(out)
}

/// A tool-input-heavy message: `text_deltas` small text deltas, then one
/// tool call whose input, an object holding `items` objects in a list,
/// arrives in fragments of `fragment` bytes.
pub fn tool_input_heavy(text_deltas: usize, items: usize, fragment: usize) -> Bytes {
    let mut input = String::from("{\"items\": [");
    for i in 0..items {
        if i > 0 {
            input.push_str(", ");
        }
        let _ = write!(
            input,
            "{{\"id\": {i}, \"name\": \"item {i}\", \"ok\": true}}"
        );
    }
    input.push_str("]}");
    let mut out = String::with_capacity(input.len() * 4 + text_deltas * 130);
    event(&mut out, "message_start", MESSAGE_START);
    block_start(&mut out, 0, r#"{"type":"text","text":""}"#);
    for i in 0..text_deltas {
        delta(&mut out, 0, "text_delta", "text", WORDS[i % WORDS.len()]);
    }
    block_stop(&mut out, 0);
    let tool = r#"{"type":"tool_use","id":"toolu_01BenchTool","name":"record","input":{}}"#;
    block_start(&mut out, 1, tool);
    for piece in input.as_bytes().chunks(fragment.max(1)) {
        let piece = std::str::from_utf8(piece).expect("ASCII input");
        let quoted = serde_json::to_string(piece).expect("a string");
        let escaped = &quoted[1..quoted.len() - 1];
        delta(&mut out, 1, "input_json_delta", "partial_json", escaped);
    }
    block_stop(&mut out, 1);
    end(&mut out, text_deltas + items, "tool_use");
    Bytes::from(out)
}

/// The recorded `.sse` vectors (sorted by name) concatenated, repeated
/// until they hold at least `min_events` events.
pub fn recorded(min_events: usize) -> Bytes {
    let mut files: Vec<_> = std::fs::read_dir(RECORDED_DIR)
        .expect("the recorded vectors")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sse"))
        .collect();
    files.sort();
    let once: Vec<u8> = files
        .iter()
        .flat_map(|path| std::fs::read(path).expect("a recorded vector"))
        .collect();
    let per_copy = count_events(&once).max(1);
    let copies = min_events.div_ceil(per_copy).max(1);
    Bytes::from(once.repeat(copies))
}

/// The number of events (blank-line terminated blocks) in `stream`.
pub fn count_events(stream: &[u8]) -> usize {
    stream.windows(2).filter(|w| w == b"\n\n").count()
}

/// The stream cut after each event, as the API (and the mock) send it.
pub fn event_chunks(stream: &Bytes) -> Vec<Bytes> {
    let mut chunks = Vec::new();
    let mut start = 0;
    for i in 1..stream.len() {
        if stream[i - 1] == b'\n' && stream[i] == b'\n' {
            chunks.push(stream.slice(start..=i));
            start = i + 1;
        }
    }
    if start < stream.len() {
        chunks.push(stream.slice(start..));
    }
    chunks
}

/// The stream cut every `size` bytes, wherever that falls.
pub fn fixed_chunks(stream: &Bytes, size: usize) -> Vec<Bytes> {
    (0..stream.len())
        .step_by(size)
        .map(|at| stream.slice(at..(at + size).min(stream.len())))
        .collect()
}

/// The same events as Bedrock's InvokeModelWithResponseStream sends them:
/// one eventstream `chunk` frame per event, its JSON base64-encoded in
/// `{"bytes": ...}` with a `p` padding member of varying length as on real
/// frames, the frames one body cut at frame boundaries
/// (as the SSE cases' events are).
pub fn eventstream_frames(stream: &Bytes) -> Vec<Bytes> {
    use base64::Engine as _;
    use claude_rs_bedrock::eventstream::{Frame, HeaderValue};
    const PADDING: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let text = |value: &str| HeaderValue::String(value.to_owned());
    let mut body = Vec::new();
    let mut ends = Vec::new();
    for (i, event) in event_chunks(stream).iter().enumerate() {
        let Some(data) = std::str::from_utf8(event)
            .ok()
            .and_then(|event| event.lines().find_map(|l| l.strip_prefix("data:")))
        else {
            continue;
        };
        let encoded = base64::engine::general_purpose::STANDARD.encode(data.trim_start());
        let padding = &PADDING[..1 + (i * 7) % PADDING.len()];
        let payload = format!("{{\"bytes\":\"{encoded}\",\"p\":\"{padding}\"}}");
        let frame = Frame::new(
            vec![
                (":event-type".into(), text("chunk")),
                (":content-type".into(), text("application/json")),
                (":message-type".into(), text("event")),
            ],
            Bytes::from(payload),
        );
        body.extend_from_slice(&frame.encode());
        ends.push(body.len());
    }
    let body = Bytes::from(body);
    let mut start = 0;
    ends.into_iter()
        .map(|end| {
            let frame = body.slice(start..end);
            start = end;
            frame
        })
        .collect()
}

/// The text pieces of [`big`]: two are joined for each text delta.
const BIG_WORDS: &[&str] = &[
    "The",
    " quick",
    " brown",
    " fox",
    " jumps",
    " over",
    " the",
    " lazy",
    " dog",
    ".",
    " Caf\u{e9}",
    " \u{4e16}\u{754c}",
    "\n\n",
];

/// `value` as a JSON string the way Python's `json.dumps` writes it
/// (`ensure_ascii`: every non-ASCII character as `\uXXXX`).
fn py_json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
    out
}

/// The long stream of the side-by-side comparisons with other clients,
/// byte for byte: a thinking block of `n / 10` deltas and its signature, a
/// text block of `n` small deltas (a `ping` every 1,000), and a tool call
/// whose input (`tool_items` objects in a list) arrives in 17-byte
/// fragments. `big(200_000, 4_000)` is the 200k-delta stream (29 MB),
/// `big(20_000, 400)` the 20k one.
pub fn big(n: usize, tool_items: usize) -> Bytes {
    let mut out = String::with_capacity(n * 150 + tool_items * 200 + 4096);
    event(
        &mut out,
        "message_start",
        r#"{"type":"message_start","message":{"id":"msg_big","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1200,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1,"service_tier":"standard"}}}"#,
    );
    block_start(
        &mut out,
        0,
        r#"{"type":"thinking","thinking":"","signature":""}"#,
    );
    for i in 0..n / 10 {
        let thinking = format!("step {i}: consider the user's question carefully. ");
        delta(&mut out, 0, "thinking_delta", "thinking", &thinking);
    }
    let signature = format!("EqQBCkYIARgCIkD{}", "x".repeat(200));
    delta(&mut out, 0, "signature_delta", "signature", &signature);
    block_stop(&mut out, 0);
    block_start(&mut out, 1, r#"{"type":"text","text":""}"#);
    let words = BIG_WORDS.len();
    for i in 0..n {
        if i % 1000 == 0 {
            event(&mut out, "ping", r#"{"type":"ping"}"#);
        }
        let text = py_json_string(&[BIG_WORDS[i % words], BIG_WORDS[(i * 7) % words]].concat());
        delta(&mut out, 1, "text_delta", "text", &text[1..text.len() - 1]);
    }
    block_stop(&mut out, 1);
    let tool = r#"{"type":"tool_use","id":"toolu_big","name":"record","input":{}}"#;
    block_start(&mut out, 2, tool);
    let mut payload = String::from("{\"items\": [");
    for i in 0..tool_items {
        if i > 0 {
            payload.push_str(", ");
        }
        let _ = write!(
            payload,
            "{{\"id\": {i}, \"name\": \"item {i}\", \"tags\": [\"a\", \"b\"]}}"
        );
    }
    payload.push_str("]}");
    for piece in payload.as_bytes().chunks(17) {
        let piece = std::str::from_utf8(piece).expect("ASCII input");
        let quoted = py_json_string(piece);
        delta(
            &mut out,
            2,
            "input_json_delta",
            "partial_json",
            &quoted[1..quoted.len() - 1],
        );
    }
    block_stop(&mut out, 2);
    let data = format!(
        r#"{{"type":"message_delta","delta":{{"stop_reason":"tool_use","stop_sequence":null}},"usage":{{"output_tokens":{n}}}}}"#
    );
    event(&mut out, "message_delta", &data);
    event(&mut out, "message_stop", r#"{"type":"message_stop"}"#);
    Bytes::from(out)
}

/// The stream as hyper hands an HTTP/1.1 body over when the server writes
/// faster than it is read: slices of one read buffer that starts at 8 KiB
/// and doubles each time a read fills it, up to 256 KiB (hyper's adaptive
/// read strategy); each slice is a `Bytes` sharing the buffer's allocation.
pub fn hyper_chunks(stream: &[u8]) -> Vec<Bytes> {
    let mut chunks = Vec::new();
    let mut buf = bytes::BytesMut::new();
    let mut size = 8 * 1024;
    let mut rest = stream;
    while !rest.is_empty() {
        if buf.capacity() < size {
            buf.reserve(size);
        }
        let take = size.min(rest.len());
        buf.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        chunks.push(buf.split().freeze());
        size = (size * 2).min(256 * 1024);
    }
    chunks
}
