//! Recording: the mock as a proxy to the real API (or any upstream),
//! writing every exchange as a cassette.
//!
//! The client's credentials are passed through to the upstream and never
//! written: cassettes hold the request headers with `x-api-key` and
//! `authorization` redacted.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use std::{fmt, fs, io};

use bytes::Bytes;
use claude_rs_transport::{HttpTransport, RequestBody};
use http_body_util::BodyExt;

use super::{Cassette, keeps_header, normalize, stem, write};
use crate::record::RecordedRequest;

/// Request headers not forwarded: the connection's own, and
/// `accept-encoding`, so the upstream answers uncompressed and the cassette
/// holds the bytes a client sees.
const NOT_FORWARDED: [&str; 5] = [
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "accept-encoding",
];

/// Where recorded requests go, and where their cassettes are written.
pub(crate) struct Upstream {
    base: String,
    dir: PathBuf,
    transport: HttpTransport,
    next: AtomicUsize,
}

impl fmt::Debug for Upstream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upstream")
            .field("base", &self.base)
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Upstream {
    /// A recorder forwarding to `base` (`https://api.anthropic.com`) and
    /// writing to `dir`, numbering after the cassettes already there.
    pub(crate) fn new(base: &str, dir: PathBuf) -> io::Result<Self> {
        fs::create_dir_all(&dir)?;
        let existing = fs::read_dir(&dir)?
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count();
        let transport = HttpTransport::builder()
            .build()
            .map_err(|err| io::Error::other(format!("claude-rs-mock record: {err}")))?;
        Ok(Upstream {
            base: base.trim_end_matches('/').to_owned(),
            dir,
            transport,
            next: AtomicUsize::new(existing + 1),
        })
    }

    /// Sends `request` upstream, reads the whole response (noting when each
    /// chunk came) and writes it as a cassette.
    pub(crate) async fn forward(&self, request: &RecordedRequest) -> Result<Cassette, String> {
        let query = request
            .query
            .as_deref()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        let uri = format!("{}{}{query}", self.base, request.path);
        let mut builder = http::Request::builder()
            .method(request.method.clone())
            .uri(&uri);
        for (name, value) in &request.headers {
            if !NOT_FORWARDED.contains(&name.as_str()) {
                builder = builder.header(name, value);
            }
        }
        let outgoing = builder
            .body(RequestBody::from(request.body.clone()))
            .map_err(|err| format!("cannot forward to {uri}: {err}"))?;
        let response = self
            .transport
            .send(outgoing)
            .await
            .map_err(|err| format!("upstream {uri}: {err}"))?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter(|(name, _)| keeps_header(name.as_str()))
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let started = Instant::now();
        let mut body = response.into_body();
        let mut bytes = Vec::new();
        let mut chunks = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|err| format!("upstream {uri}: {err}"))?;
            if let Ok(data) = frame.into_data() {
                let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                chunks.push((data.len(), ms));
                bytes.extend_from_slice(&data);
            }
        }
        let index = self.next.fetch_add(1, Ordering::SeqCst);
        let cassette = Cassette {
            name: stem(index, request.method.as_str(), &request.path),
            method: request.method.as_str().to_owned(),
            path: request.path.clone(),
            query: request.query.clone(),
            body: normalize(&request.body),
            status,
            headers,
            response: Bytes::from(bytes),
            chunks,
        };
        write(&self.dir, &cassette, &request.headers, &request.body)
            .map_err(|err| format!("cannot write the cassette: {err}"))?;
        Ok(cassette)
    }
}
