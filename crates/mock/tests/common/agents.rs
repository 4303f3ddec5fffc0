//! Helpers for the Managed Agents tests: calls with the beta header, and a
//! stream read as it arrives.

#![allow(dead_code)]

use claude_rs_mock::MockServer;
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

use crate::common::{HANG, Raw, VERSION, parse, request, send_only, sse_events};

pub(crate) const BETA: (&str, &str) = ("anthropic-beta", "managed-agents-2026-04-01");

/// A call with the version and beta headers (and a JSON body if given).
pub(crate) async fn call(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Raw {
    let bytes = body
        .map(|b| serde_json::to_vec(&b).expect("json"))
        .unwrap_or_default();
    let headers = [VERSION, BETA, ("content-type", "application/json")];
    request(server, method, path, &headers, &bytes).await
}

/// A call answered 200, as JSON.
pub(crate) async fn ok(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Value {
    let raw = call(server, method, path, body).await;
    assert_eq!(raw.status, 200, "{method} {path}: {}", raw.text());
    raw.json()
}

/// A cloud environment's id.
pub(crate) async fn environment(server: &MockServer, config: Value) -> String {
    let env = ok(
        server,
        "POST",
        "/v1/environments",
        Some(json!({"name": "env", "config": config})),
    )
    .await;
    env["id"].as_str().expect("id").to_owned()
}

/// An agent's id (with these tools).
pub(crate) async fn agent(server: &MockServer, tools: Value) -> String {
    let body = json!({"name": "helper", "model": "claude-sonnet-4-6", "tools": tools});
    let agent = ok(server, "POST", "/v1/agents", Some(body)).await;
    agent["id"].as_str().expect("id").to_owned()
}

/// A session's id, on a new agent and cloud environment.
pub(crate) async fn session(server: &MockServer, tools: Value) -> String {
    let agent = agent(server, tools).await;
    let env = environment(server, json!({"type": "cloud"})).await;
    let body = json!({"agent": agent, "environment_id": env});
    let session = ok(server, "POST", "/v1/sessions", Some(body)).await;
    session["id"].as_str().expect("id").to_owned()
}

/// The `word_count` custom tool.
pub(crate) fn word_count() -> Value {
    json!([{
        "type": "custom",
        "name": "word_count",
        "description": "Counts words",
        "input_schema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
    }])
}

/// A user message event.
pub(crate) fn user_message(text: &str) -> Value {
    json!({"events": [{"type": "user.message", "content": [{"type": "text", "text": text}]}]})
}

/// A stream connection, read as it comes.
pub(crate) struct Stream {
    socket: TcpStream,
    raw: Vec<u8>,
    pub(crate) closed: bool,
}

impl Stream {
    /// Opens `path` and waits for the response head.
    pub(crate) async fn open(server: &MockServer, path: &str) -> Stream {
        let socket = send_only(server.address(), "GET", path, &[VERSION, BETA], b"").await;
        let mut stream = Stream {
            socket,
            raw: Vec::new(),
            closed: false,
        };
        while !stream.raw.windows(4).any(|w| w == b"\r\n\r\n") && !stream.closed {
            stream.read_more().await;
        }
        stream
    }

    async fn read_more(&mut self) {
        let mut buf = [0u8; 8192];
        match tokio::time::timeout(HANG, self.socket.read(&mut buf)).await {
            Err(_) => panic!(
                "nothing within {HANG:?}; so far: {}",
                String::from_utf8_lossy(&self.raw)
            ),
            Ok(Ok(0)) | Ok(Err(_)) => self.closed = true,
            Ok(Ok(n)) => self.raw.extend_from_slice(&buf[..n]),
        }
    }

    /// The response so far.
    pub(crate) fn response(&self) -> Raw {
        parse(&self.raw)
    }

    /// The complete events so far, as `(event, data)`.
    pub(crate) fn events(&self) -> Vec<(String, Value)> {
        sse_events(&self.response().text())
            .into_iter()
            .map(|(event, data)| {
                let data = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
                (event, data)
            })
            .collect()
    }

    /// Reads until an event of type `kind` has come (or the connection
    /// closed); returns every event so far.
    pub(crate) async fn until(&mut self, kind: &str) -> Vec<(String, Value)> {
        self.until_count(kind, 1).await
    }

    /// Reads until `count` events of type `kind` have come (or the
    /// connection closed); returns every event so far.
    pub(crate) async fn until_count(&mut self, kind: &str, count: usize) -> Vec<(String, Value)> {
        while self.events().iter().filter(|(e, _)| e == kind).count() < count && !self.closed {
            self.read_more().await;
        }
        self.events()
    }

    /// Reads until the connection closes.
    pub(crate) async fn read_to_end(&mut self) {
        while !self.closed {
            self.read_more().await;
        }
    }
}
