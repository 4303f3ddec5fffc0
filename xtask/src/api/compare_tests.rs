use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::report;
use crate::api::model::Description;

/// A description written into a fresh temporary directory.
fn description(
    name: &str,
    endpoints: Value,
    types: Value,
    codes: &[&str],
) -> (PathBuf, Description) {
    let dir = std::env::temp_dir().join(format!("xtask-api-compare-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("messages")).unwrap();
    let write = |path: &Path, value: Value| fs::write(path, value.to_string()).unwrap();
    write(&dir.join("provenance.json"), json!({"version": name}));
    let codes: Vec<Value> = codes
        .iter()
        .map(|c| json!({"code": c, "class": "X"}))
        .collect();
    write(
        &dir.join("errors.json"),
        json!({"error_types": ["api_error"], "error_codes": codes}),
    );
    write(
        &dir.join("messages/endpoints.json"),
        json!({"endpoints": endpoints}),
    );
    write(&dir.join("messages/types.json"), json!({"types": types}));
    let loaded = Description::load(&dir).unwrap();
    (dir, loaded)
}

fn endpoint(path: &str, body: Value) -> Value {
    json!({"method": "POST", "path": path, "client": "first_party", "body": {"fields": body},
           "response": {"ref": "Message"}, "streaming": "none"})
}

#[test]
fn names_every_kind_of_change_and_nothing_else() {
    let (old_dir, old) = description(
        "old",
        json!([
            endpoint(
                "/v1/messages",
                json!([{"name": "model", "type": "string", "required": true}])
            ),
            endpoint("/v1/gone", json!([])),
        ]),
        json!({
            "StopReason": {"kind": "enum", "values": ["end_turn", "refusal"]},
            "Block": {"kind": "union", "members": [{"type": {"ref": "Text"}, "tag": "text"}]},
            "Message": {"kind": "object", "fields": [
                {"name": "id", "type": "string", "required": true},
                {"name": "old_field", "type": "string", "required": false}
            ]},
            "Removed": {"kind": "alias", "type": "string"}
        }),
        &["a_code", "gone_code"],
    );
    let (new_dir, new) = description(
        "new",
        json!([
            endpoint(
                "/v1/messages",
                json!([
                    {"name": "model", "type": "string", "required": true},
                    {"name": "thread", "type": {"ref": "Thread"}, "required": false}
                ])
            ),
            endpoint("/v1/new", json!([])),
        ]),
        json!({
            "StopReason": {"kind": "enum", "values": ["end_turn", "pause_turn"]},
            "Block": {"kind": "union", "members": [
                {"type": {"ref": "Text"}, "tag": "text"},
                {"type": {"ref": "Image"}, "tag": "image"}
            ]},
            "Message": {"kind": "object", "fields": [
                {"name": "id", "type": "integer", "required": true},
                {"name": "new_field", "type": {"array": "string"}, "required": false, "nullable": true}
            ]},
            "Added": {"kind": "enum", "values": ["x"]}
        }),
        &["a_code", "new_code"],
    );
    let text = report(&old, &new);
    let expected = [
        "endpoints (3):",
        "  + POST /v1/new (first_party) [messages]",
        "  ~ POST /v1/messages (first_party): body field \"thread\" added: Thread, optional",
        "  - POST /v1/gone (first_party) [messages]",
        "types (8):",
        "  + Added (enum) [messages]",
        "  ~ Block: member \"image\" Image added",
        "  ~ Message: field \"id\" changed: string, required -> integer, required",
        "  ~ Message: field \"new_field\" added: list<string>, optional, nullable",
        "  ~ Message: field \"old_field\" removed",
        "  ~ StopReason: value pause_turn added",
        "  ~ StopReason: value refusal removed",
        "  - Removed (alias) [messages]",
        "errors (2):",
        "  error code new_code added",
        "  error code gone_code removed",
    ];
    for line in expected {
        assert!(
            text.contains(&format!("{line}\n")),
            "missing {line:?} in:\n{text}"
        );
    }
    assert_eq!(text.lines().count(), expected.len(), "{text}");
    assert_eq!(report(&new, &new), "");
    let _ = fs::remove_dir_all(old_dir);
    let _ = fs::remove_dir_all(new_dir);
}
