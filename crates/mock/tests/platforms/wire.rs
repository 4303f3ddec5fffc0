//! What the platform tests send and read: Bedrock bodies, and an
//! eventstream decoder of their own (CRCs checked bit by bit).

use claude_rs_mock::MockServer;
use serde_json::{Value, json};

use crate::common::{Raw, request, say};

pub(crate) const MODEL: &str = "anthropic.claude-haiku-4-5-20251001-v1:0";

/// A Bedrock InvokeModel body: no model, no stream, the body version.
pub(crate) fn bedrock_body(text: &str) -> Vec<u8> {
    let mut body = say(text);
    body.as_object_mut().unwrap().remove("model");
    body["anthropic_version"] = json!("bedrock-2023-05-31");
    serde_json::to_vec(&body).unwrap()
}

pub(crate) async fn bedrock(server: &MockServer, path: &str, body: &[u8]) -> Raw {
    request(
        server,
        "POST",
        path,
        &[("content-type", "application/json")],
        body,
    )
    .await
}

/// One decoded eventstream frame: its string headers and payload.
#[derive(Debug)]
pub(crate) struct Frame {
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) payload: Vec<u8>,
}

impl Frame {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A chunk's event JSON (its `bytes`, base64-decoded).
    pub(crate) fn event(&self) -> Value {
        let payload: Value = serde_json::from_slice(&self.payload).unwrap();
        let bytes = base64_decode(payload["bytes"].as_str().unwrap());
        serde_json::from_slice(&bytes).unwrap()
    }
}

/// Decodes a whole body of frames, checking both CRCs of each.
pub(crate) fn frames(mut body: &[u8]) -> Vec<Frame> {
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let mut out = Vec::new();
    while !body.is_empty() {
        let total = be32(body) as usize;
        let headers_len = be32(&body[4..]) as usize;
        let frame = &body[..total];
        assert_eq!(crc32(&frame[..8]), be32(&frame[8..]), "prelude CRC");
        assert_eq!(
            crc32(&frame[..total - 4]),
            be32(&frame[total - 4..]),
            "message CRC"
        );
        let mut headers = Vec::new();
        let mut h = &frame[12..12 + headers_len];
        while !h.is_empty() {
            let name_len = h[0] as usize;
            let name = String::from_utf8(h[1..1 + name_len].to_vec()).unwrap();
            assert_eq!(h[1 + name_len], 7, "string header");
            let at = 2 + name_len;
            let value_len = u16::from_be_bytes([h[at], h[at + 1]]) as usize;
            let value = String::from_utf8(h[at + 2..at + 2 + value_len].to_vec()).unwrap();
            headers.push((name, value));
            h = &h[at + 2 + value_len..];
        }
        out.push(Frame {
            headers,
            payload: frame[12 + headers_len..total - 4].to_vec(),
        });
        body = &body[total..];
    }
    out
}

/// CRC-32/IEEE, bit by bit (the definition, not the mock's table).
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub(crate) const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn base64_decode(text: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|&c| c != b'=') {
        bits = bits << 6 | B64.iter().position(|&a| a == c).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let v = chunk.iter().fold(0u32, |v, &b| v << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                B64[(v >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}
