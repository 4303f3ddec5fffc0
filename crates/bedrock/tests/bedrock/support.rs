//! A loopback Bedrock of the tests' own: records each request, checks its
//! SigV4 signature with the test credentials (recomputed over the headers
//! the signature names, as AWS does), and answers from a script.

#![allow(dead_code, unreachable_pub)]

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use claude_rs_bedrock::eventstream::{Frame, HeaderValue};
use claude_rs_bedrock::{Credentials, sigv4};
use claude_rs_transport::RequestBody;
use http::{Request, Response};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;

pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const MODEL: &str = "anthropic.claude-3-5-sonnet-20241022-v2:0";

pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn recorded(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/recorded")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The path as it came on the wire (still percent-encoded).
    pub path: String,
    pub headers: http::HeaderMap,
    pub body: Bytes,
    /// Whether the SigV4 signature matched the request as received.
    pub signature_valid: bool,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// One scripted answer.
pub type Answer = Response<BoxBody<Bytes, Infallible>>;

pub struct Server {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves `answer(attempt_number, &seen)` for every request.
    pub async fn start(answer: impl Fn(usize, &Seen) -> Answer + Send + Sync + 'static) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let answer = Arc::new(answer);
        let (record, base) = (seen.clone(), url.clone());
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (record, answer, base) = (record.clone(), answer.clone(), base.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        move |request: Request<hyper::body::Incoming>| {
                            let (record, answer, base) =
                                (record.clone(), answer.clone(), base.clone());
                            async move {
                                let (parts, body) = request.into_parts();
                                let body = body.collect().await.unwrap().to_bytes();
                                let path = parts.uri.path_and_query().unwrap().as_str().to_owned();
                                let signature_valid = verify(&base, &parts, &body);
                                let seen = Seen {
                                    path,
                                    headers: parts.headers,
                                    body,
                                    signature_valid,
                                };
                                let n = {
                                    let mut all = record.lock().unwrap();
                                    all.push(seen.clone());
                                    all.len()
                                };
                                Ok::<_, Infallible>(answer(n, &seen))
                            }
                        },
                    );
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(tcp), service)
                        .await;
                });
            }
        });
        Server { url, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Recomputes the signature over the headers it names and compares.
fn verify(base: &str, parts: &http::request::Parts, body: &Bytes) -> bool {
    let Some(auth) = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(signed) = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
    else {
        return false;
    };
    let Some(date) = parts
        .headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let uri = format!("{base}{}", parts.uri.path_and_query().unwrap());
    let mut request = Request::builder().method(parts.method.clone()).uri(uri);
    for name in signed.split(';') {
        if name == "host" || name == "x-amz-date" || name == "x-amz-security-token" {
            continue;
        }
        for value in parts.headers.get_all(name) {
            request = request.header(name, value);
        }
    }
    let mut request = request.body(RequestBody::from(body.clone())).unwrap();
    let token = parts
        .headers
        .get("x-amz-security-token")
        .map(|v| v.to_str().unwrap().to_owned());
    let keys = Credentials::new(ACCESS_KEY, SECRET_KEY, token);
    // Credential=AKID/date/region/service/aws4_request
    let region = auth.split('/').nth(2).unwrap_or_default();
    let service = auth.split('/').nth(3).unwrap_or_default();
    if sigv4::sign(&mut request, &keys, region, service, parse_amz_date(date)).is_err() {
        return false;
    }
    request.headers()["authorization"] == auth
}

/// `20240102T030405Z` as a time.
pub fn parse_amz_date(text: &str) -> SystemTime {
    let num = |r: std::ops::Range<usize>| text[r].parse::<i64>().unwrap();
    let (y, m, d) = (num(0..4), num(4..6), num(6..8));
    let (hh, mm, ss) = (num(9..11), num(11..13), num(13..15));
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hh * 3600 + mm * 60 + ss;
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64)
}

pub fn answer(status: u16, content_type: &str, body: impl Into<Bytes>) -> Answer {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Full::new(body.into()).boxed())
        .unwrap()
}

pub fn json_answer(status: u16, body: serde_json::Value) -> Answer {
    answer(status, "application/json", body.to_string())
}

pub fn eventstream_answer(body: Vec<u8>) -> Answer {
    let mut answer = answer(200, "application/vnd.amazon.eventstream", body);
    answer
        .headers_mut()
        .insert("x-amzn-requestid", "req-bedrock-1".parse().unwrap());
    answer
}

/// `first`, then nothing more, ever (a stalled stream).
pub fn stalled_eventstream(first: Vec<u8>) -> Answer {
    use futures_util::StreamExt;
    let frames = futures_util::stream::once(async move {
        Ok::<_, Infallible>(http_body::Frame::data(Bytes::from(first)))
    })
    .chain(futures_util::stream::pending());
    Response::builder()
        .header("content-type", "application/vnd.amazon.eventstream")
        .body(BodyExt::boxed(StreamBody::new(frames)))
        .unwrap()
}

fn string(value: &str) -> HeaderValue {
    HeaderValue::String(value.to_owned())
}

/// A `chunk` frame carrying one event's JSON.
pub fn chunk_frame(event_json: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(event_json);
    let payload = serde_json::json!({"bytes": encoded, "p": "abcdefgh"}).to_string();
    Frame::new(
        vec![
            (":event-type".into(), string("chunk")),
            (":content-type".into(), string("application/json")),
            (":message-type".into(), string("event")),
        ],
        Bytes::from(payload),
    )
    .encode()
}

/// An exception frame.
pub fn exception_frame(kind: &str, message: &str) -> Vec<u8> {
    Frame::new(
        vec![
            (":exception-type".into(), string(kind)),
            (":content-type".into(), string("application/json")),
            (":message-type".into(), string("exception")),
        ],
        Bytes::from(serde_json::json!({ "message": message }).to_string()),
    )
    .encode()
}

/// The `data` lines of an SSE body, one event JSON each.
pub fn sse_data(sse: &[u8]) -> Vec<Vec<u8>> {
    let text = std::str::from_utf8(sse).unwrap();
    text.lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .map(|data| data.trim_start().as_bytes().to_vec())
        .collect()
}

/// An SSE body re-framed as eventstream chunks.
pub fn reframe(sse: &[u8]) -> Vec<u8> {
    sse_data(sse)
        .iter()
        .flat_map(|json| chunk_frame(json))
        .collect()
}
