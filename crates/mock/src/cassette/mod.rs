//! Cassettes: recorded exchanges with the real API, written as readable
//! files a user can commit, and replayed by the mock.
//!
//! A cassette is `NNNN-<method>-<path>.json` holding the request (method,
//! path, query, headers with credentials redacted, body) and the response
//! (status, headers, body). An event-stream body is kept beside it, byte for
//! byte, as `NNNN-<method>-<path>.sse`, with the arrival time of each chunk
//! in the JSON; other bodies are kept in the JSON, as text (or base64 when
//! they are not UTF-8).
//!
//! Replay matches a request by method, path and normalized body (JSON
//! compared by value, so key order and spacing do not matter). Matching
//! cassettes are served in recorded order, the last one again once all are
//! used; a request that matches none gets a 404 naming the closest one.

mod matching;
#[cfg(feature = "record")]
pub(crate) mod proxy;

use std::path::{Path, PathBuf};
use std::time::Duration;
use std::{fs, io};

use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::base64;
use crate::record::headers_json;

pub(crate) use matching::Replay;

/// One recorded exchange.
#[derive(Debug, Clone)]
pub(crate) struct Cassette {
    /// The file it came from (or will be written to), for messages.
    pub(crate) name: String,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    /// The request body, normalized (see [`normalize`]).
    pub(crate) body: String,
    pub(crate) status: u16,
    /// Response headers, hop-by-hop ones left out.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) response: Bytes,
    /// `(bytes, milliseconds after the headers)` per chunk as it arrived.
    pub(crate) chunks: Vec<(usize, u64)>,
}

/// Headers that describe one connection's framing, not the response.
#[cfg_attr(not(feature = "record"), allow(dead_code))] // Only recording filters.
const HOP_BY_HOP: [&str; 6] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "date",
    "set-cookie",
];

/// The reply that replays a cassette: its status, headers and body bytes,
/// and with `timing` the pauses between its chunks as recorded.
pub(crate) fn reply(cassette: &Cassette, timing: bool) -> crate::MockResponse {
    let content_type = cassette
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map_or("application/json", |(_, v)| v.as_str());
    let mut reply = crate::MockResponse::raw(content_type.to_owned(), cassette.response.clone());
    if let Ok(status) = http::StatusCode::from_u16(cassette.status) {
        reply = reply.with_status(status);
    }
    let headers = cassette
        .headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("content-type"))
        .filter_map(|(n, v)| crate::fault::try_header(n, v));
    reply.headers.extend(headers);
    if timing {
        reply = reply.with_fault(pauses(&cassette.chunks));
    }
    reply
}

/// The recorded gaps between chunks, as stalls at their byte offsets.
fn pauses(chunks: &[(usize, u64)]) -> crate::Fault {
    let mut fault = crate::Fault::default();
    let (mut offset, mut previous) = (0, 0);
    for &(bytes, after_ms) in chunks {
        let gap = after_ms.saturating_sub(previous);
        if gap > 0 {
            fault = fault.and(crate::Fault::stall_after(
                offset,
                Duration::from_millis(gap),
            ));
        }
        offset += bytes;
        previous = after_ms;
    }
    fault
}

/// Whether a response header is kept in a cassette.
#[cfg_attr(not(feature = "record"), allow(dead_code))] // Only recording filters.
pub(crate) fn keeps_header(name: &str) -> bool {
    !HOP_BY_HOP.contains(&name.to_ascii_lowercase().as_str())
}

/// A request body as replay compares it: JSON re-serialized (keys sorted,
/// no spacing), anything else as lossy text.
pub(crate) fn normalize(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => value.to_string(),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    }
}

#[cfg_attr(not(feature = "record"), allow(dead_code))] // Only recording writes.
/// The file stem of the `index`th exchange: `0007-post-v1-messages`.
pub(crate) fn stem(index: usize, method: &str, path: &str) -> String {
    let slug: String = path
        .trim_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{index:04}-{}-{slug}", method.to_ascii_lowercase())
}

fn is_event_stream(headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("content-type") && v.starts_with("text/event-stream"))
}

#[cfg_attr(not(feature = "record"), allow(dead_code))] // Only recording writes.
/// Writes a cassette as `<dir>/<name>.json` (and `.sse`); `request_headers`
/// are redacted on the way.
pub(crate) fn write(
    dir: &Path,
    cassette: &Cassette,
    request_headers: &http::HeaderMap,
    request_body: &[u8],
) -> io::Result<PathBuf> {
    fs::create_dir_all(dir)?;
    let request_body = serde_json::from_slice::<Value>(request_body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(request_body).into_owned()));
    let headers: Map<String, Value> = cassette
        .headers
        .iter()
        .map(|(n, v)| (n.clone(), Value::String(v.clone())))
        .collect();
    let mut response = json!({"status": cassette.status, "headers": headers});
    if is_event_stream(&cassette.headers) {
        let file = format!("{}.sse", cassette.name);
        fs::write(dir.join(&file), &cassette.response)?;
        response["body_file"] = json!(file);
    } else {
        match std::str::from_utf8(&cassette.response) {
            Ok(text) => response["body"] = json!(text),
            Err(_) => response["body_base64"] = json!(base64::encode(&cassette.response)),
        }
    }
    let chunks: Vec<Value> = cassette
        .chunks
        .iter()
        .map(|(bytes, ms)| json!({"bytes": bytes, "after_ms": ms}))
        .collect();
    response["chunks"] = Value::Array(chunks);
    let document = json!({
        "request": {
            "method": cassette.method,
            "path": cassette.path,
            "query": cassette.query,
            "headers": headers_json(request_headers),
            "body": request_body,
        },
        "response": response,
    });
    let path = dir.join(format!("{}.json", cassette.name));
    let text = serde_json::to_string_pretty(&document).map_err(io::Error::other)?;
    fs::write(&path, text + "\n")?;
    Ok(path)
}

/// Every cassette of a directory, in file-name order.
pub(crate) fn load_dir(dir: &Path) -> io::Result<Vec<Cassette>> {
    let mut names: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    names.iter().map(|path| load(dir, path)).collect()
}

fn bad(path: &Path, problem: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("cassette {}: {problem}", path.display()),
    )
}

fn load(dir: &Path, path: &Path) -> io::Result<Cassette> {
    let text = fs::read_to_string(path)?;
    let document: Value =
        serde_json::from_str(&text).map_err(|err| bad(path, &format!("not JSON: {err}")))?;
    let text_at = |pointer: &str| document.pointer(pointer).and_then(Value::as_str);
    let method = text_at("/request/method").ok_or_else(|| bad(path, "no request.method"))?;
    let request_path = text_at("/request/path").ok_or_else(|| bad(path, "no request.path"))?;
    let body = match document.pointer("/request/body") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => normalize(text.as_bytes()),
        Some(value) => value.to_string(),
    };
    let status = document
        .pointer("/response/status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or_else(|| bad(path, "no response.status"))?;
    let headers = document
        .pointer("/response/headers")
        .and_then(Value::as_object)
        .map(|h| {
            h.iter()
                .filter_map(|(n, v)| Some((n.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    let response = if let Some(file) = text_at("/response/body_file") {
        Bytes::from(fs::read(dir.join(file))?)
    } else if let Some(encoded) = text_at("/response/body_base64") {
        Bytes::from(base64::decode(encoded).ok_or_else(|| bad(path, "body_base64 is not base64"))?)
    } else {
        Bytes::from(text_at("/response/body").unwrap_or_default().to_owned())
    };
    let chunks = document
        .pointer("/response/chunks")
        .and_then(Value::as_array)
        .map(|chunks| {
            chunks
                .iter()
                .filter_map(|c| {
                    let bytes = usize::try_from(c.get("bytes")?.as_u64()?).ok()?;
                    Some((bytes, c.get("after_ms")?.as_u64()?))
                })
                .collect()
        })
        .unwrap_or_default();
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Cassette {
        name,
        method: method.to_owned(),
        path: request_path.to_owned(),
        query: text_at("/request/query").map(str::to_owned),
        body,
        status,
        headers,
        response,
        chunks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fault::FaultKind;

    #[test]
    fn recorded_gaps_become_stalls_at_their_offsets() {
        let fault = pauses(&[(10, 0), (5, 30), (7, 30), (3, 100)]);
        let stalls: Vec<(usize, u64)> = fault
            .parts
            .iter()
            .filter_map(|part| match part {
                FaultKind::StallAfter(at, d) => Some((*at, d.as_millis() as u64)),
                _ => None,
            })
            .collect();
        assert_eq!(stalls, [(10, 30), (22, 70)]);
    }
}
