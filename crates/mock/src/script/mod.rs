//! Scripts written in JSON: replies, faults and fault rules, for the control
//! API, the binary's `--script` and `--fault` flags, and tests in any
//! language. Each JSON form builds the same [`MockResponse`], [`Fault`](crate::Fault) or
//! [`FaultRule`](crate::FaultRule) as the Rust API of the same name.

use http::StatusCode;
use serde_json::{Map, Value};

use crate::fault::FaultRule;
use crate::response::{self, MockResponse};
use crate::route::Route;

mod fault;
mod json;

use fault::{fault, rule};
pub use json::ScriptError;
use json::{At, Parsed, field, for_each, headers, join, required};

/// A parsed script document: replies to queue, in order, and rules to add.
#[derive(Debug, Default)]
pub(crate) struct Script {
    pub(crate) replies: Vec<(Route, MockResponse)>,
    pub(crate) rules: Vec<FaultRule>,
}

/// Parses a script document:
/// `{"replies": {"<route>": [reply, ...]}, "faults": [rule, ...]}`.
pub(crate) fn parse(text: &str) -> Parsed<Script> {
    let value: Value = serde_json::from_str(text).map_err(|err| ScriptError {
        at: "script".to_owned(),
        problem: format!("not JSON: {err}"),
    })?;
    let root = At {
        value: &value,
        path: "",
    };
    let object = root.object(&["replies", "faults"])?;
    let mut script = Script::default();
    field(object, "", "replies", |at| {
        let routes = at.object(&Route::names().collect::<Vec<_>>())?;
        for (name, replies) in routes {
            let path = join(at.path, name);
            let route = At {
                value: &Value::String(name.clone()),
                path: &path,
            }
            .route()?;
            for_each(
                At {
                    value: replies,
                    path: &path,
                },
                |item| {
                    script.replies.push((route, reply(item)?));
                    Ok(())
                },
            )?;
        }
        Ok(())
    })?;
    field(object, "", "faults", |at| {
        for_each(at, |item| {
            script.rules.push(rule(item)?);
            Ok(())
        })
    })?;
    Ok(script)
}

/// The body keys of a reply; a reply has at most one.
const BODIES: [&str; 10] = [
    "default", "text", "tool_use", "content", "message", "events", "sse", "json", "error", "raw",
];
/// The keys that adjust any reply.
const REPLY_MODIFIERS: [&str; 8] = [
    "status",
    "headers",
    "fault",
    "stop_reason",
    "stop_sequence",
    "model",
    "usage",
    "content_type",
];

/// One reply, for example `{"text": "Hi"}` or
/// `{"error": {"type": "overloaded_error", "message": "Overloaded"}}`.
fn reply(at: At<'_>) -> Parsed<MockResponse> {
    let allowed: Vec<&str> = BODIES.iter().chain(&REPLY_MODIFIERS).copied().collect();
    let object = at.object(&allowed)?;
    let bodies: Vec<&str> = BODIES
        .iter()
        .copied()
        .filter(|k| object.contains_key(*k))
        .collect();
    if bodies.len() > 1 {
        return at.fail(format!(
            "a reply has one body, found {}",
            bodies.join(" and ")
        ));
    }
    let path = at.path;
    let content_type = field(object, path, "content_type", |a| a.text())?;
    let mut reply = match bodies.first().copied() {
        None | Some("default") => MockResponse::default_reply(),
        Some("text") => MockResponse::text(required(object, path, "text", |a| a.text())?),
        Some("tool_use") => required(object, path, "tool_use", |a| {
            let call = a.object(&["name", "input"])?;
            let name = required(call, a.path, "name", |n| n.text())?;
            let input = call
                .get("input")
                .cloned()
                .unwrap_or(Value::Object(Map::new()));
            Ok(MockResponse::tool_use(name, input))
        })?,
        Some("content") => MockResponse::content(
            required(object, path, "content", |a| a.typed())?,
            claude_rs_types::message::StopReason::EndTurn,
        ),
        Some("message") => MockResponse::message(required(object, path, "message", |a| a.typed())?),
        Some("events") => MockResponse::events(required(object, path, "events", |a| a.typed())?),
        Some("sse") => MockResponse::sse_bytes(required(object, path, "sse", |a| a.text())?),
        Some("json") => MockResponse::json(object.get("json").cloned().unwrap_or_default()),
        Some("raw") => MockResponse::raw(
            content_type.unwrap_or_else(|| "application/json".to_owned()),
            required(object, path, "raw", |a| a.text())?,
        ),
        Some(_) => required(object, path, "error", |a| {
            let error = a.object(&["type", "message", "error_code"])?;
            let kind = required(error, a.path, "type", |t| t.typed())?;
            let message = field(error, a.path, "message", |m| m.text())?;
            let reply = response::error(kind, message.unwrap_or_default());
            Ok(match field(error, a.path, "error_code", |c| c.text())? {
                Some(code) => reply.with_error_code(code),
                None => reply,
            })
        })?,
    };
    if let Some(status) = field(object, path, "status", status)? {
        reply = reply.with_status(status);
    }
    if let Some(headers) = field(object, path, "headers", headers)? {
        reply.headers.extend(headers);
    }
    if let Some(fault) = field(object, path, "fault", fault)? {
        reply = reply.with_fault(fault);
    }
    if let Some(reason) = field(object, path, "stop_reason", |a| a.typed())? {
        reply = reply.with_stop_reason(reason);
    }
    if let Some(sequence) = field(object, path, "stop_sequence", |a| a.text())? {
        reply = reply.with_stop_sequence(sequence);
    }
    if let Some(model) = field(object, path, "model", |a| a.text())? {
        reply = reply.with_model(model);
    }
    if let Some(usage) = field(object, path, "usage", |a| a.typed())? {
        reply = reply.with_usage(usage);
    }
    Ok(reply)
}

pub(crate) fn status(at: At<'_>) -> Parsed<StatusCode> {
    let code = at.number()?;
    match u16::try_from(code)
        .ok()
        .and_then(|c| StatusCode::from_u16(c).ok())
    {
        Some(status) => Ok(status),
        None => at.fail(format!("not an HTTP status: {code}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_with_every_part() {
        let script = parse(
            r#"{"replies": {"messages": [{"text": "hi"}, {"tool_use": {"name": "f"}}],
                            "count_tokens": {"json": {"input_tokens": 3}}},
                "faults": [{"fault": {"kind": "overloaded", "retry_after": 1}, "times": 2,
                            "route": "messages"},
                           {"fault": [{"kind": "drip_bytes", "chunk": 1, "interval_ms": 0},
                                      {"kind": "reset_after", "bytes": 9}]}]}"#,
        );
        let script = script.unwrap_or_else(|e| panic!("{e}"));
        let routes: Vec<Route> = script.replies.iter().map(|(r, _)| *r).collect();
        assert_eq!(routes.len(), 3);
        assert_eq!(routes.iter().filter(|r| **r == Route::Messages).count(), 2);
        assert_eq!(script.rules.len(), 2);
    }

    #[test]
    fn mistakes_say_where() {
        let cases = [
            (r#"{"replies": {"mesages": []}}"#, "replies"),
            (
                r#"{"replies": {"messages": [{"txt": "x"}]}}"#,
                "replies.messages[0]",
            ),
            (
                r#"{"replies": {"messages": [{"text": "a", "json": {}}]}}"#,
                "replies.messages[0]",
            ),
            (
                r#"{"faults": [{"fault": {"kind": "boom"}}]}"#,
                "faults[0].fault.kind",
            ),
            (
                r#"{"faults": {"fault": {"kind": "reset_after"}}}"#,
                "faults.fault",
            ),
            (
                r#"{"faults": {"fault": {"kind": "overloaded"}, "times": 1, "always": true}}"#,
                "faults",
            ),
            (
                r#"{"replies": {"messages": {"status": 99}}}"#,
                "replies.messages.status",
            ),
            ("not json", "script"),
        ];
        for (text, at) in cases {
            match parse(text) {
                Ok(_) => panic!("accepted {text}"),
                Err(err) => assert_eq!(err.at, at, "{text}: {err}"),
            }
        }
    }
}
