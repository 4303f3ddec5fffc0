//! A raw HTTP/1.1 client for the tests: it reports exactly what came over
//! the socket (status, headers, body bytes, whether the body completed), which
//! is what fault tests need and what a real client would hide.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use claude_rs_mock::MockServer;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A bound on every wait, so a broken mock fails a test instead of hanging it.
pub(crate) const HANG: Duration = Duration::from_secs(20);

/// A response as seen on the wire.
#[derive(Debug)]
pub(crate) struct Raw {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    /// The body bytes received (de-chunked).
    pub(crate) body: Vec<u8>,
    /// Whether the body ended as HTTP framing says it should.
    pub(crate) complete: bool,
}

impl Raw {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body's SSE events as `(event, data)`.
    pub(crate) fn events(&self) -> Vec<(String, String)> {
        sse_events(&self.text())
    }
}

/// Splits an SSE body into `(event, data)` pairs (complete events only).
pub(crate) fn sse_events(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(end) = rest.find("\n\n") {
        let block = &rest[..end];
        rest = &rest[end + 2..];
        let mut event = String::new();
        let mut data = String::new();
        for line in block.lines() {
            if let Some(v) = line.strip_prefix("event: ") {
                event = v.to_owned();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = v.to_owned();
            }
        }
        out.push((event, data));
    }
    out
}

/// The default headers of the API's clients.
pub(crate) const VERSION: (&str, &str) = ("anthropic-version", "2023-06-01");

/// Writes a request and returns the open socket.
pub(crate) async fn send_only(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> TcpStream {
    let mut socket = TcpStream::connect(address).await.expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: mock\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    socket.write_all(head.as_bytes()).await.expect("write head");
    socket.write_all(body).await.expect("write body");
    socket
}

/// Reads until the peer closes (or errors), within [`HANG`].
pub(crate) async fn read_all(socket: &mut TcpStream) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match tokio::time::timeout(HANG, socket.read(&mut buf)).await {
            Err(_) => panic!("no EOF within {HANG:?}"),
            Ok(Ok(0)) | Ok(Err(_)) => return bytes,
            Ok(Ok(n)) => bytes.extend_from_slice(&buf[..n]),
        }
    }
}

/// Parses a complete (or cut) HTTP/1.1 response.
pub(crate) fn parse(bytes: &[u8]) -> Raw {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no end of headers");
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &bytes[end + 4..];
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let (body, complete) = if find("transfer-encoding").as_deref() == Some("chunked") {
        dechunk(rest)
    } else if let Some(length) = find("content-length").and_then(|v| v.parse::<usize>().ok()) {
        (
            rest[..rest.len().min(length)].to_vec(),
            rest.len() >= length,
        )
    } else {
        (rest.to_vec(), true)
    };
    Raw {
        status,
        headers,
        body,
        complete,
    }
}

fn dechunk(mut rest: &[u8]) -> (Vec<u8>, bool) {
    let mut body = Vec::new();
    loop {
        let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") else {
            return (body, false);
        };
        let size = std::str::from_utf8(&rest[..line_end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok());
        let Some(size) = size else {
            return (body, false);
        };
        rest = &rest[line_end + 2..];
        if size == 0 {
            return (body, rest.starts_with(b"\r\n"));
        }
        if rest.len() < size + 2 {
            body.extend_from_slice(&rest[..rest.len().min(size)]);
            return (body, false);
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// Sends a request and reads the whole response.
pub(crate) async fn request(
    server: &MockServer,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Raw {
    let mut socket = send_only(server.address(), method, path, headers, body).await;
    parse(&read_all(&mut socket).await)
}

/// `POST` of a JSON body with the version header.
pub(crate) async fn post(server: &MockServer, path: &str, body: &Value) -> Raw {
    let body = serde_json::to_vec(body).expect("serialize");
    request(
        server,
        "POST",
        path,
        &[VERSION, ("content-type", "application/json")],
        &body,
    )
    .await
}

/// `GET` with the version header.
pub(crate) async fn get(server: &MockServer, path: &str) -> Raw {
    request(server, "GET", path, &[VERSION], b"").await
}

/// A minimal valid Messages request saying `text`.
pub(crate) fn say(text: &str) -> Value {
    serde_json::json!({
        "model": "claude-haiku-4-5",
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": text}],
    })
}

/// The same, streaming.
pub(crate) fn say_streaming(text: &str) -> Value {
    let mut body = say(text);
    body["stream"] = Value::Bool(true);
    body
}
