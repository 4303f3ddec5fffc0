//! How many bytes a generated type takes in place, estimated from the
//! description, so that a `tagged_union!` can box its few large arms.
//!
//! A Rust enum is as large as its largest arm, and every event of a
//! session stream is moved whole from the decoder to the caller several
//! times. Session event unions have a few arms that hold whole resources
//! (`session.updated` carries the agent, `session.usage` a usage snapshot)
//! and are three or four times the size of the arms that make up most of a
//! stream; unboxed, every event would pay for them. Boxed arms cost one
//! allocation when such an event arrives, and nothing otherwise.
//!
//! The estimate follows the layout of what the generator writes (a
//! `String` or a `Vec` is 24 bytes, an `object!` its fields plus its
//! `extra` map); it need not be exact, only rank arms by size.

use std::collections::BTreeSet;

use serde_json::Value;

use super::types::{TextType, text_type};
use crate::api::model::Description;

/// An arm of a union the API returns estimated larger than this is boxed:
/// the union then stays within a few cache lines. (Unions sent in requests
/// are built by hand and moved once; their arms are never boxed.)
pub(crate) const BOX_OVER: usize = 320;

/// A `String`, a `Vec` or a map: pointer, length, capacity.
const HEAP: usize = 24;
/// A `serde_json::Value`.
const VALUE: usize = 32;
/// A `claude_rs_types::datetime::Timestamp`.
const TIMESTAMP: usize = 40;

/// Estimated size of the Rust type of `t`, in bytes. `seen` holds the types
/// being measured (a type reached again is behind a `Box`, 8 bytes).
pub(crate) fn estimate(description: &Description, t: &Value, seen: &mut BTreeSet<String>) -> usize {
    match text_type(t) {
        Some(TextType::Timestamp) => return TIMESTAMP,
        Some(TextType::Date) => return 8,
        Some(TextType::Enum(_)) => return HEAP,
        None => {}
    }
    match t {
        Value::String(s) => match s.as_str() {
            "integer" | "number" => 8,
            "boolean" => 1,
            "string" | "datetime" | "date" => HEAP,
            _ => VALUE,
        },
        Value::Object(o) => {
            if let Some(id) = o.get("ref").and_then(Value::as_str) {
                named(description, id, seen)
            } else if o.contains_key("array") || o.contains_key("map") || o.contains_key("literal")
            {
                HEAP
            } else if let Some(members) = o.get("union").and_then(Value::as_array) {
                let members = members.iter().filter(|m| *m != "null");
                union(members.map(|m| estimate(description, m, seen)))
            } else {
                VALUE
            }
        }
        _ => VALUE,
    }
}

/// Estimated size of the type named `id`.
fn named(description: &Description, id: &str, seen: &mut BTreeSet<String>) -> usize {
    let Some(def) = description.types.get(id) else {
        return VALUE;
    };
    if !seen.insert(id.to_owned()) {
        return 8;
    }
    let size = match def.kind() {
        "object" => {
            let fields: usize = def
                .fields()
                .iter()
                .map(|(_, field)| {
                    let inner = estimate(description, &field["type"], seen);
                    let required = field["required"] == Value::Bool(true)
                        && field["nullable"] != Value::Bool(true);
                    // `Option` of a number or a flag needs room for its tag.
                    if required || inner > 8 {
                        inner
                    } else {
                        8 + inner
                    }
                })
                .sum();
            align(fields) + HEAP
        }
        "enum" => HEAP,
        "union" => union(
            def.members()
                .iter()
                .map(|(_, m)| estimate(description, m, seen)),
        ),
        _ => estimate(description, &def.entry["type"], seen),
    };
    seen.remove(id);
    size
}

/// A union of members of these sizes: the largest, with the discriminant,
/// and at least the raw JSON of its `Other` arm.
fn union(members: impl Iterator<Item = usize>) -> usize {
    (members.max().unwrap_or(0) + 8).max(VALUE)
}

fn align(size: usize) -> usize {
    size.div_ceil(8) * 8
}
