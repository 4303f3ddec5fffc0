//! Calls with JSON bodies and the keys each family takes.

use claude_rs_mock::MockServer;
use serde_json::Value;

use crate::common::{Raw, VERSION, request};

/// An admin key, as the Admin API takes.
pub(crate) const ADMIN: &str = "sk-ant-admin01-test";

/// The Managed Agents beta.
pub(crate) const BETA: &str = "managed-agents-2026-04-01";

/// The Bedrock API key of a mock started with it.
pub(crate) const BEDROCK_KEY: &str = "bedrock-test-key";

/// Where a call goes: the first-party API with the admin key, or Bedrock's
/// control plane (under `/anthropic`) with [`BEDROCK_KEY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Surface {
    FirstParty,
    Bedrock,
}

/// A call with the admin key and the beta header; `body` is sent as JSON.
pub(crate) async fn call(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Raw {
    call_on(server, Surface::FirstParty, method, path, body).await
}

/// A call on `surface` with its key and the beta header; `path` is the
/// first-party path, `body` is sent as JSON.
pub(crate) async fn call_on(
    server: &MockServer,
    surface: Surface,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Raw {
    let bytes = body
        .map(|b| serde_json::to_vec(b).expect("JSON"))
        .unwrap_or_default();
    let bearer = format!("Bearer {BEDROCK_KEY}");
    let (path, key) = match surface {
        Surface::FirstParty => (path.to_owned(), ("x-api-key", ADMIN)),
        Surface::Bedrock => (
            format!("/anthropic{path}"),
            ("authorization", bearer.as_str()),
        ),
    };
    let mut headers = vec![VERSION, key, ("anthropic-beta", BETA)];
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    request(server, method, &path, &headers, &bytes).await
}

/// A call with the admin key and the beta header whose body is a
/// `multipart/form-data` form of one small file part per name.
pub(crate) async fn call_form(server: &MockServer, path: &str, parts: &[&str]) -> Raw {
    const BOUNDARY: &str = "mock-test-boundary";
    let mut body = String::new();
    for name in parts {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; \
             filename=\"part.zip\"\r\nContent-Type: application/zip\r\n\r\nPK\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let headers = [
        VERSION,
        ("x-api-key", ADMIN),
        ("anthropic-beta", BETA),
        ("content-type", content_type.as_str()),
    ];
    request(server, "POST", path, &headers, body.as_bytes()).await
}

/// The JSON of a 2xx answer (panics with the body otherwise).
pub(crate) async fn ok(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Value {
    let raw = call(server, method, path, body).await;
    assert!(
        (200..300).contains(&raw.status),
        "{method} {path}: {} {}",
        raw.status,
        raw.text()
    );
    raw.json()
}

/// The error type of a failed call, with its status.
pub(crate) async fn fails(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> (u16, String) {
    let raw = call(server, method, path, body).await;
    assert!(
        raw.status >= 400,
        "{method} {path} succeeded: {}",
        raw.text()
    );
    let json = raw.json();
    assert_eq!(json["type"], "error", "{json}");
    (
        raw.status,
        json["error"]["type"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// Every item of a `page_cursor` list (`?page=` / `next_page`), following
/// all pages of `limit`; a page saying `has_more: false` is the last (a
/// report's last page still carries a cursor).
pub(crate) async fn all_cursor(server: &MockServer, path: &str, limit: usize) -> Vec<Value> {
    let mut items = Vec::new();
    let mut page: Option<String> = None;
    let sep = if path.contains('?') { '&' } else { '?' };
    loop {
        let url = match &page {
            None => format!("{path}{sep}limit={limit}"),
            Some(cursor) => format!("{path}{sep}limit={limit}&page={cursor}"),
        };
        let body = ok(server, "GET", &url, None).await;
        let data = body["data"].as_array().expect("data").clone();
        assert!(data.len() <= limit);
        items.extend(data);
        match body["next_page"].as_str() {
            Some(next) if body["has_more"] != false => page = Some(next.to_owned()),
            _ => return items,
        }
    }
}

/// Every item of a `page` list (`after_id` / `has_more`, `last_id`).
pub(crate) async fn all_pages(server: &MockServer, path: &str, limit: usize) -> Vec<Value> {
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let url = match &after {
            None => format!("{path}?limit={limit}"),
            Some(id) => format!("{path}?limit={limit}&after_id={id}"),
        };
        let body = ok(server, "GET", &url, None).await;
        items.extend(body["data"].as_array().expect("data").iter().cloned());
        if body["has_more"] != true {
            return items;
        }
        after = Some(body["last_id"].as_str().expect("last_id").to_owned());
    }
}
