//! `cargo xtask api diff`: what changed between two descriptions, as one
//! line per change under a heading per kind (endpoints, types, errors).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::model::{Description, Endpoint, TypeDef, show_type};

/// The report of what `new` changed against `old`: empty when nothing did.
pub(crate) fn report(old: &Description, new: &Description) -> String {
    let mut out = String::new();
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            out.push_str(&format!("{title} ({}):\n", lines.len()));
            for line in lines {
                out.push_str("  ");
                out.push_str(&line);
                out.push('\n');
            }
        }
    };
    section("endpoints", endpoints(old, new));
    section("types", types(old, new));
    section("errors", errors(old, new));
    out
}

fn endpoints(old: &Description, new: &Description) -> Vec<String> {
    let old: BTreeMap<String, &Endpoint> = old.endpoints.iter().map(|e| (e.key(), e)).collect();
    let new: BTreeMap<String, &Endpoint> = new.endpoints.iter().map(|e| (e.key(), e)).collect();
    let mut lines = Vec::new();
    for (key, endpoint) in &new {
        match old.get(key) {
            None => lines.push(format!("+ {key} [{}]", endpoint.family)),
            Some(before) => {
                for change in endpoint_changes(&before.entry, &endpoint.entry) {
                    lines.push(format!("~ {key}: {change}"));
                }
            }
        }
    }
    for (key, endpoint) in &old {
        if !new.contains_key(key) {
            lines.push(format!("- {key} [{}]", endpoint.family));
        }
    }
    lines
}

/// The changes of one endpoint: parameters and body fields added, removed
/// or changed; response, pagination, streaming and beta header changed.
fn endpoint_changes(old: &Value, new: &Value) -> Vec<String> {
    let mut changes = Vec::new();
    for (what, pointer) in [
        ("path parameter", "/path_params"),
        ("query parameter", "/query"),
        ("header", "/headers"),
        ("body field", "/body/fields"),
    ] {
        let list = |v: &Value| named(v.pointer(pointer).unwrap_or(&Value::Null));
        changes.extend(field_changes(what, &list(old), &list(new)));
    }
    for key in ["response", "pagination", "streaming", "events", "beta"] {
        let (a, b) = (&old[key], &new[key]);
        if a != b {
            changes.push(format!("{key} {} -> {}", show_type(a), show_type(b)));
        }
    }
    changes
}

/// The entries of a list of named entries (`fields`, parameters) by name.
fn named(list: &Value) -> BTreeMap<String, Value> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| Some((f["name"].as_str()?.to_owned(), f.clone())))
        .collect()
}

fn field_changes(
    what: &str,
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (name, field) in new {
        match old.get(name) {
            None => out.push(format!("{what} \"{name}\" added: {}", describe(field))),
            Some(before) if before != field => out.push(format!(
                "{what} \"{name}\" changed: {} -> {}",
                describe(before),
                describe(field)
            )),
            Some(_) => {}
        }
    }
    for name in old.keys() {
        if !new.contains_key(name) {
            out.push(format!("{what} \"{name}\" removed"));
        }
    }
    out
}

/// A field as `type, required|optional[, nullable][, default]`.
fn describe(field: &Value) -> String {
    let mut s = show_type(&field["type"]);
    s.push_str(if field["required"] == Value::Bool(true) {
        ", required"
    } else {
        ", optional"
    });
    if field["nullable"] == Value::Bool(true) {
        s.push_str(", nullable");
    }
    if let Some(default) = field.get("default") {
        s.push_str(&format!(", default {default}"));
    }
    s
}

fn types(old: &Description, new: &Description) -> Vec<String> {
    let mut lines = Vec::new();
    for (id, def) in &new.types {
        match old.types.get(id) {
            None => lines.push(format!("+ {id} ({}) [{}]", def.kind(), def.family)),
            Some(before) => {
                for change in type_changes(before, def) {
                    lines.push(format!("~ {id}: {change}"));
                }
            }
        }
    }
    for (id, def) in &old.types {
        if !new.types.contains_key(id) {
            lines.push(format!("- {id} ({}) [{}]", def.kind(), def.family));
        }
    }
    lines
}

fn type_changes(old: &TypeDef, new: &TypeDef) -> Vec<String> {
    if old.kind() != new.kind() {
        return vec![format!("kind {} -> {}", old.kind(), new.kind())];
    }
    match new.kind() {
        "object" => field_changes(
            "field",
            &named(&old.entry["fields"]),
            &named(&new.entry["fields"]),
        ),
        "enum" => set_changes("value", &old.values(), &new.values()),
        "union" => {
            let members = |d: &TypeDef| -> Vec<String> {
                d.members()
                    .iter()
                    .map(|(tag, t)| match tag {
                        Some(tag) => format!("\"{tag}\" {}", show_type(t)),
                        None => show_type(t),
                    })
                    .collect()
            };
            set_changes("member", &members(old), &members(new))
        }
        _ if old.entry["type"] != new.entry["type"] => vec![format!(
            "type {} -> {}",
            show_type(&old.entry["type"]),
            show_type(&new.entry["type"])
        )],
        _ => Vec::new(),
    }
}

fn set_changes(what: &str, old: &[String], new: &[String]) -> Vec<String> {
    let (a, b): (BTreeSet<&String>, BTreeSet<&String>) =
        (old.iter().collect(), new.iter().collect());
    let mut out: Vec<String> = b
        .difference(&a)
        .map(|v| format!("{what} {v} added"))
        .collect();
    out.extend(a.difference(&b).map(|v| format!("{what} {v} removed")));
    out
}

fn errors(old: &Description, new: &Description) -> Vec<String> {
    let mut lines = set_changes("error type", &old.error_types, &new.error_types);
    let codes = |d: &Description| d.error_codes.keys().cloned().collect::<Vec<_>>();
    lines.extend(set_changes("error code", &codes(old), &codes(new)));
    lines
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
