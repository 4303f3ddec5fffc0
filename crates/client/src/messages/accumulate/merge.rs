//! The `message_delta` rule of [`MessageAccumulator`](super::MessageAccumulator):
//! the official SDKs' fields, then every other field by name.

use claude_rs_types::message::Message;
use claude_rs_types::stream::MessageDeltaEvent;
use serde_json::{Map, Value};

use crate::core::error::Error;

/// The fields that `message_delta` replaces even when absent or `null`.
const STOP_FIELDS: [&str; 3] = ["stop_reason", "stop_sequence", "stop_details"];

/// An object that can be set field by field from JSON, by wire name.
trait Fields {
    fn contains(&self, key: &str) -> bool;
    fn set(&mut self, key: &str, value: Value) -> Result<(), serde_json::Error>;
}

macro_rules! fields {
    ($($ty:ty),+) => {$(
        impl Fields for $ty {
            fn contains(&self, key: &str) -> bool {
                self.contains_field(key)
            }
            fn set(&mut self, key: &str, value: Value) -> Result<(), serde_json::Error> {
                self.set_field(key, value)
            }
        }
    )+};
}

fields!(Message, claude_rs_types::usage::Usage);

/// Applies a `message_delta` to the message.
pub(super) fn message_delta(message: &mut Message, event: &MessageDeltaEvent) -> Result<(), Error> {
    let delta = &event.delta;
    message.stop_reason.clone_from(&delta.stop_reason);
    message.stop_sequence.clone_from(&delta.stop_sequence);
    message.stop_details.clone_from(&delta.stop_details);
    if delta.container.is_some() {
        message.container.clone_from(&delta.container);
    }
    for (key, value) in &delta.extra {
        if value.is_null() && STOP_FIELDS.contains(&key.as_str()) {
            // Cleared above; the `null` is written back as sent (usually
            // `message_start` already had it).
            if !message.extra.contains_key(key) {
                message.extra.insert(key.clone(), Value::Null);
            }
        } else {
            merge(message, "message_delta.delta", key, value)?;
        }
    }
    if event.context_management.is_some() {
        message
            .context_management
            .clone_from(&event.context_management);
    }
    if event.input_transformations.is_some() {
        message
            .input_transformations
            .clone_from(&event.input_transformations);
    }
    // Top-level fields the API adds next.
    merge_all(message, "message_delta", &event.extra)?;

    let usage = &event.usage;
    let target = &mut message.usage;
    target.output_tokens = usage.output_tokens;
    if let Some(tokens) = usage.input_tokens {
        target.input_tokens = tokens;
    }
    if usage.cache_creation_input_tokens.is_some() {
        target.cache_creation_input_tokens = usage.cache_creation_input_tokens;
    }
    if usage.cache_read_input_tokens.is_some() {
        target.cache_read_input_tokens = usage.cache_read_input_tokens;
    }
    if usage.server_tool_use.is_some() {
        target.server_tool_use.clone_from(&usage.server_tool_use);
    }
    if usage.output_tokens_details.is_some() {
        target
            .output_tokens_details
            .clone_from(&usage.output_tokens_details);
    }
    if usage.iterations.is_some() {
        target.iterations.clone_from(&usage.iterations);
    }
    if usage.fallback_credit.is_some() {
        target.fallback_credit.clone_from(&usage.fallback_credit);
    }
    // `cache_creation`, `speed`, and whatever the API adds next.
    merge_all(target, "message_delta.usage", &usage.extra)
}

fn merge_all(
    target: &mut impl Fields,
    what: &str,
    fields: &Map<String, Value>,
) -> Result<(), Error> {
    for (key, value) in fields {
        merge(target, what, key, value)?;
    }
    Ok(())
}

/// Sets one field by name; a `null` only where the target has no such field.
fn merge(target: &mut impl Fields, what: &str, key: &str, value: &Value) -> Result<(), Error> {
    if value.is_null() && target.contains(key) {
        return Ok(());
    }
    target.set(key, value.clone()).map_err(|source| {
        let payload = serde_json::to_vec(value).unwrap_or_default();
        Error::decode(format!("field `{key}` of {what}"), &payload, source)
    })
}
