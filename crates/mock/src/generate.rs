//! What the default reply "generates" beyond the echo: a tool call whose
//! input fits the tool's JSON Schema (for a forced `tool_choice`), and a
//! signed thinking block (when thinking is on).

use claude_rs_types::content::ContentBlock;
use claude_rs_types::content::{ThinkingBlock, ToolUseBlock};
use serde_json::{Map, Value, json};

/// How deep nested schemas are followed; deeper values are `null`.
const MAX_DEPTH: usize = 8;

/// A deterministic value that validates against `schema`: its `const`,
/// `default`, first `enum` value or first example when it has one, else a
/// plain value of its type (objects get every property).
pub(crate) fn value_for(schema: &Value) -> Value {
    value_at(schema, 0)
}

fn value_at(schema: &Value, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let Some(schema) = schema.as_object() else {
        return Value::Null;
    };
    for key in ["const", "default"] {
        if let Some(value) = schema.get(key) {
            return value.clone();
        }
    }
    for key in ["enum", "examples"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|v| v.first())
        {
            return first.clone();
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|v| v.first())
        {
            return value_at(first, depth + 1);
        }
    }
    let kind = match schema.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        // A list of types: the first that is not "null".
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("null"),
        _ if schema.contains_key("properties") => "object",
        _ => "string",
    };
    match kind {
        "object" => object_for(schema, depth),
        "array" => {
            let item = schema
                .get("items")
                .map_or(json!("example"), |s| value_at(s, depth + 1));
            let count = schema
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .max(1);
            Value::Array(vec![item; usize::try_from(count).unwrap_or(1).min(8)])
        }
        "integer" => json!(schema.get("minimum").and_then(Value::as_i64).unwrap_or(1)),
        "number" => json!(schema.get("minimum").and_then(Value::as_f64).unwrap_or(1.5)),
        "boolean" => json!(true),
        "null" => Value::Null,
        _ => json!(string_for(schema)),
    }
}

fn object_for(schema: &Map<String, Value>, depth: usize) -> Value {
    let mut out = Map::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            out.insert(name.clone(), value_at(property, depth + 1));
        }
    }
    Value::Object(out)
}

fn string_for(schema: &Map<String, Value>) -> String {
    let text = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => "2026-01-01T00:00:00Z",
        Some("date") => "2026-01-01",
        Some("email") => "user@example.com",
        Some("uri" | "url") => "https://example.com",
        Some("uuid") => "00000000-0000-4000-8000-000000000000",
        _ => "example",
    };
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let mut text = text.to_owned();
    while (text.len() as u64) < min {
        text.push('x');
    }
    text
}

/// The tool a `tool_choice` forces (`{"type": "tool", "name": ..}`, or the
/// first client tool for `{"type": "any"}`), with a generated input.
pub(crate) fn forced_call(request: &Value) -> Option<ContentBlock> {
    let choice = request.get("tool_choice")?;
    let tools = request.get("tools")?.as_array()?;
    // Client tools are the ones with an input schema.
    let mut client_tools = tools.iter().filter(|t| t.get("input_schema").is_some());
    let tool = match choice.get("type").and_then(Value::as_str)? {
        "tool" => {
            let name = choice.get("name").and_then(Value::as_str)?;
            client_tools.find(|t| t.get("name").and_then(Value::as_str) == Some(name))?
        }
        "any" => client_tools.next()?,
        _ => return None,
    };
    let name = tool.get("name").and_then(Value::as_str)?;
    let input = value_for(tool.get("input_schema")?);
    Some(ContentBlock::ToolUse(ToolUseBlock::new(
        String::new(),
        name,
        input,
    )))
}

/// Whether the request turns thinking on (`enabled` with a budget, or
/// `adaptive`, where the mock always decides to think).
pub(crate) fn thinks(request: &Value) -> bool {
    matches!(
        request.pointer("/thinking/type").and_then(Value::as_str),
        Some("enabled" | "adaptive")
    )
}

/// A thinking block about `text`, with a deterministic opaque signature.
pub(crate) fn thinking_about(text: &str) -> ContentBlock {
    let thinking = format!("The user wrote: {text}. I will answer with the same words.");
    let signature = format!("mocksig_{:016x}", fnv1a(thinking.as_bytes()));
    ContentBlock::Thinking(ThinkingBlock::new(thinking, signature))
}

/// The 64-bit FNV-1a hash: a stable fingerprint, not a security measure.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fit_their_schemas() {
        let schema = json!({"type": "object", "required": ["city"], "properties": {
            "city": {"type": "string"},
            "unit": {"enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer", "minimum": 3},
            "tags": {"type": "array", "items": {"type": "string", "format": "email"}},
            "nested": {"properties": {"ok": {"type": ["null", "boolean"]}}},
        }});
        assert_eq!(
            value_for(&schema),
            json!({"city": "example", "unit": "celsius", "days": 3,
                   "tags": ["user@example.com"], "nested": {"ok": true}})
        );
        // A recursive-looking schema ends.
        let mut deep = json!({"type": "string"});
        for _ in 0..20 {
            deep = json!({"type": "object", "properties": {"next": deep}});
        }
        assert!(value_for(&deep).is_object());
    }

    #[test]
    fn forced_choice_picks_the_named_tool() {
        let request = json!({"tools": [
            {"name": "a", "input_schema": {"type": "object", "properties": {"x": {"type": "integer"}}}},
            {"name": "b", "input_schema": {"type": "object"}},
            {"type": "web_search_20250305", "name": "web_search"}],
            "tool_choice": {"type": "tool", "name": "b"}});
        let call = forced_call(&request).and_then(|b| match b {
            ContentBlock::ToolUse(call) => Some((call.name, call.input)),
            _ => None,
        });
        assert_eq!(call, Some(("b".to_owned(), json!({}))));
        let any = json!({"tools": request["tools"], "tool_choice": {"type": "any"}});
        assert!(
            matches!(forced_call(&any), Some(ContentBlock::ToolUse(c)) if c.input == json!({"x": 1}))
        );
        let auto = json!({"tools": request["tools"], "tool_choice": {"type": "auto"}});
        assert!(forced_call(&auto).is_none());
    }
}
