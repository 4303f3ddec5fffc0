//! Faults and fault rules in JSON, named as [`Fault`]'s constructors are.

use serde_json::Value;

use super::json::{At, Parsed, field, for_each, headers, join, required};
use crate::fault::{Fault, FaultRule, default_message};
use crate::script::status;

/// The keys that adjust any fault.
const FAULT_MODIFIERS: [&str; 6] = [
    "kind",
    "retry_after",
    "retry_after_ms",
    "should_retry",
    "headers",
    "message",
];

/// A fault, for example `{"kind": "overloaded", "retry_after": 1}`, or an
/// array of faults that strike together.
pub(crate) fn fault(at: At<'_>) -> Parsed<Fault> {
    if at.value.is_array() {
        let mut combined = Fault::default();
        for_each(at, |item| {
            combined = std::mem::take(&mut combined).and(fault(item)?);
            Ok(())
        })?;
        return Ok(combined);
    }
    let Some(kind) = at.value.get("kind") else {
        return at.fail("missing key \"kind\"");
    };
    let kind_path = join(at.path, "kind");
    let kind = At {
        value: kind,
        path: &kind_path,
    }
    .string()?;
    let params: &[&str] = match kind {
        "status" => &["status", "error_type"],
        "reset_after" => &["bytes"],
        "stall_before_headers" => &["ms"],
        "stall_after" => &["bytes", "ms"],
        "drip_bytes" => &["chunk", "interval_ms"],
        "drip_events" => &["interval_ms"],
        "sse_error_at" => &["index", "error_type"],
        "truncated_sse" => &["events"],
        _ => &[],
    };
    let keys: Vec<&str> = params.iter().chain(&FAULT_MODIFIERS).copied().collect();
    let object = at.object(&keys)?;
    let path = at.path;
    let size = |key| required(object, path, key, |a| a.size());
    let millis = |key| required(object, path, key, |a| a.millis());
    let mut fault = match kind {
        "status" => {
            let error_type = required(object, path, "error_type", |a| a.typed())?;
            let message = default_message(&error_type);
            Fault::status(
                required(object, path, "status", status)?,
                error_type,
                message,
            )
        }
        "rate_limited" => Fault::rate_limited(),
        "overloaded" => Fault::overloaded(),
        "internal_error" => Fault::internal_error(),
        "request_timeout" => Fault::request_timeout(),
        "reset_after" => Fault::reset_after(size("bytes")?),
        "reset_before_headers" => Fault::reset_before_headers(),
        "stall_before_headers" => Fault::stall_before_headers(millis("ms")?),
        "stall_after" => Fault::stall_after(size("bytes")?, millis("ms")?),
        "drip_bytes" => Fault::drip_bytes(size("chunk")?, millis("interval_ms")?),
        "drip_events" => Fault::drip_events(millis("interval_ms")?),
        "sse_error_at" => Fault::sse_error_at(
            size("index")?,
            field(object, path, "error_type", |a| a.typed())?
                .unwrap_or(claude_rs_types::error::ErrorType::Overloaded),
        ),
        "malformed_json" => Fault::malformed_json(),
        "truncated_sse" => Fault::truncated_sse(size("events")?),
        other => {
            return At {
                value: &Value::Null,
                path: &kind_path,
            }
            .fail(format!(
                "unknown fault kind {other:?}; expected one of: {}",
                FAULT_KINDS.join(", ")
            ));
        }
    };
    if let Some(seconds) = field(object, path, "retry_after", |a| a.number())? {
        fault = fault.retry_after(seconds);
    }
    if let Some(millis) = field(object, path, "retry_after_ms", |a| a.number())? {
        fault = fault.retry_after_ms(millis);
    }
    if let Some(retry) = field(object, path, "should_retry", |a| a.boolean())? {
        fault = fault.should_retry(retry);
    }
    if let Some(headers) = field(object, path, "headers", headers)? {
        fault.headers.extend(headers);
    }
    if let Some(message) = field(object, path, "message", |a| a.text())? {
        fault = fault.with_message(message);
    }
    Ok(fault)
}

/// Every fault kind, named as [`Fault`]'s constructors are.
pub(crate) const FAULT_KINDS: [&str; 14] = [
    "status",
    "rate_limited",
    "overloaded",
    "internal_error",
    "request_timeout",
    "reset_after",
    "reset_before_headers",
    "stall_before_headers",
    "stall_after",
    "drip_bytes",
    "drip_events",
    "sse_error_at",
    "malformed_json",
    "truncated_sse",
];

/// A fault rule: `{"fault": <fault>, "route": "messages", "times": 2}`;
/// `times`, `nth` or `always: true` say when (once by default).
pub(crate) fn rule(at: At<'_>) -> Parsed<FaultRule> {
    let object = at.object(&["fault", "route", "times", "nth", "always"])?;
    let path = at.path;
    let fault = required(object, path, "fault", fault)?;
    let times = field(object, path, "times", |a| a.size())?;
    let nth = field(object, path, "nth", |a| a.size())?;
    let always = field(object, path, "always", |a| a.boolean())?.unwrap_or(false);
    let mut rule = match (times, nth, always) {
        (None, None, false) => FaultRule::once(fault),
        (Some(n), None, false) => FaultRule::times(n, fault),
        (None, Some(n), false) => FaultRule::nth(n, fault),
        (None, None, true) => FaultRule::always(fault),
        _ => return at.fail("give at most one of \"times\", \"nth\" and \"always\": true"),
    };
    if let Some(route) = field(object, path, "route", |a| a.route())? {
        rule = rule.on(route);
    }
    Ok(rule)
}
