//! Content attributes (content mode only): messages as the OpenTelemetry
//! GenAI conventions' parts, serialized as the official SDKs serialize
//! them, and fitted into the span's byte budget.

use serde_json::Value;

/// One part: its fields in order (the conventions' order, which the JSON
/// keeps).
pub(crate) type Part = Vec<(&'static str, Value)>;

/// Compact JSON of a part, keys in order, non-ASCII kept as it is.
pub(crate) fn part_json(part: &Part) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in part.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(key);
        out.push_str("\":");
        out.push_str(&value.to_string());
    }
    out.push('}');
    out
}

/// The parts of `content`: a string or a list of content blocks.
pub(crate) fn content_parts(content: Option<&Value>) -> Vec<Part> {
    match content {
        Some(Value::String(text)) => vec![text_part(text)],
        Some(Value::Array(blocks)) => blocks.iter().map(block_part).collect(),
        _ => Vec::new(),
    }
}

fn text_part(text: &str) -> Part {
    vec![
        ("type", Value::from("text")),
        ("content", Value::from(text)),
    ]
}

fn field(block: &Value, key: &str) -> Value {
    block.get(key).cloned().unwrap_or(Value::Null)
}

fn block_part(block: &Value) -> Part {
    let kind = block.get("type").and_then(Value::as_str);
    match kind {
        Some("text") => vec![
            ("type", Value::from("text")),
            ("content", field(block, "text")),
        ],
        Some("thinking") => vec![
            ("type", Value::from("reasoning")),
            ("content", field(block, "thinking")),
        ],
        Some(kind @ ("tool_use" | "server_tool_use" | "mcp_tool_use")) => {
            let mut part = vec![
                ("type", Value::from("tool_call")),
                ("id", field(block, "id")),
                ("name", field(block, "name")),
                ("arguments", field(block, "input")),
            ];
            match (kind, block.get("toolset_name"), block.get("server_name")) {
                ("tool_use", Some(Value::String(name)), _) => {
                    part.push(("anthropic_toolset_name", Value::from(name.as_str())));
                }
                ("mcp_tool_use", _, server) => {
                    part.push((
                        "anthropic_mcp_server_name",
                        server.cloned().unwrap_or(Value::Null),
                    ));
                }
                _ => {}
            }
            part
        }
        Some("tool_result") => vec![
            ("type", Value::from("tool_call_response")),
            ("id", field(block, "tool_use_id")),
            (
                "response",
                Value::Array(result_blocks(
                    block.get("content"),
                    &["text", "search_result"],
                )),
            ),
        ],
        Some(kind) if kind.ends_with("_tool_result") => {
            let response = match block.get("content") {
                Some(Value::Object(_)) => without_data(&field(block, "content")),
                Some(Value::String(_) | Value::Array(_)) => Value::Array(result_blocks(
                    block.get("content"),
                    &["text", "search_result", "web_search_result"],
                )),
                _ => Value::Array(Vec::new()),
            };
            vec![
                ("type", Value::from("tool_call_response")),
                ("id", field(block, "tool_use_id")),
                ("response", response),
            ]
        }
        Some(kind) => vec![("type", Value::from(format!("anthropic_{kind}")))],
        None => vec![("type", Value::from("anthropic_unknown"))],
    }
}

/// A result's content blocks: those of a `kept` type whole (without
/// data), the others reduced to their type.
pub(crate) fn result_blocks(content: Option<&Value>, kept: &[&str]) -> Vec<Value> {
    match content {
        Some(Value::String(text)) => vec![serde_json::json!({"type": "text", "text": text})],
        Some(Value::Array(blocks)) => blocks
            .iter()
            .map(|block| match block.get("type").and_then(Value::as_str) {
                Some(kind) if kept.contains(&kind) => without_data(block),
                Some(kind) => serde_json::json!({ "type": kind }),
                None => serde_json::json!({"type": "unknown"}),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `value` without `encrypted_*` fields, image and document data, and the
/// file data of code-execution view results, at any depth.
pub(crate) fn without_data(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(without_data).collect()),
        Value::Object(fields) => {
            let kind = fields.get("type").and_then(Value::as_str);
            if let Some(kind @ ("image" | "document")) = kind {
                return serde_json::json!({ "type": kind });
            }
            let file_data = kind == Some("text_editor_code_execution_view_result")
                && matches!(
                    fields.get("file_type").and_then(Value::as_str),
                    Some("image" | "pdf")
                );
            Value::Object(
                fields
                    .iter()
                    .filter(|(key, _)| {
                        !(key.starts_with("encrypted_") || file_data && *key == "content")
                    })
                    .map(|(key, item)| (key.clone(), without_data(item)))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// A list of parts of one message, by role (for input and output messages).
pub(crate) struct MessageParts {
    pub(crate) role: String,
    pub(crate) parts: Vec<Part>,
}

/// What a Messages call's span gets in content mode.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ContentAttributes {
    pub(crate) system_instructions: Option<String>,
    pub(crate) input_messages: Option<String>,
    pub(crate) output_messages: Option<String>,
    pub(crate) stop_sequences: Option<String>,
    pub(crate) truncated: bool,
}

/// The content attributes of a Messages request `body` and, when there is
/// one, the `output` content of its reply, within `limit` UTF-8 bytes.
pub(crate) fn message_content(
    body: &Value,
    output: Option<&Value>,
    limit: usize,
) -> ContentAttributes {
    let inputs: Vec<MessageParts> = match body.get("messages") {
        Some(Value::Array(messages)) => messages
            .iter()
            .map(|message| MessageParts {
                role: message
                    .get("role")
                    .and_then(Value::as_str)
                    .unwrap_or("user")
                    .to_owned(),
                parts: content_parts(message.get("content")),
            })
            .collect(),
        _ => Vec::new(),
    };
    let system = body
        .get("system")
        .filter(|s| !s.is_null())
        .map(|s| content_parts(Some(s)));
    let outputs = output.map(|content| {
        vec![MessageParts {
            role: "assistant".to_owned(),
            parts: content_parts(Some(content)),
        }]
    });
    let stops: Vec<&str> = match body.get("stop_sequences") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let stops_size: usize = stops.iter().map(|s| s.len()).sum();
    let stops_removed = !stops.is_empty() && stops_size > limit;
    let room = if stops_removed {
        limit
    } else {
        limit - stops_size
    };
    let (system, inputs, outputs, truncated) = fit(system, Some(inputs), outputs, room);
    ContentAttributes {
        system_instructions: system,
        input_messages: inputs,
        output_messages: outputs,
        stop_sequences: (!stops.is_empty() && !stops_removed)
            .then(|| Value::from(stops).to_string()),
        truncated: truncated || stops_removed,
    }
}

/// Serializes the three part lists within `limit` bytes: parts are kept
/// newest first (output, then input, then system) until one does not fit;
/// that one keeps the start of its text that fits if it is the only text
/// part left, and everything older goes.
#[allow(clippy::type_complexity)]
fn fit(
    system: Option<Vec<Part>>,
    inputs: Option<Vec<MessageParts>>,
    outputs: Option<Vec<MessageParts>>,
    limit: usize,
) -> (Option<String>, Option<String>, Option<String>, bool) {
    // The skeleton of each attribute (brackets, roles) and one flat list
    // of the parts, each with the index of the list it belongs to.
    let mut lists: Vec<&Vec<Part>> = Vec::new();
    let mut skeleton = 0usize;
    let role_start = |role: &str| format!("{{\"role\":{},\"parts\":[", Value::from(role));
    if let Some(system) = &system {
        lists.push(system);
        skeleton += 2;
    }
    for messages in [&inputs, &outputs].into_iter().flatten() {
        skeleton += 2 + messages.len().saturating_sub(1);
        for message in messages {
            lists.push(&message.parts);
            skeleton += role_start(&message.role).len() + 2;
        }
    }
    let mut total = skeleton;
    let mut kept: Vec<Vec<String>> = vec![Vec::new(); lists.len()];
    let flat: Vec<(usize, &Part)> = lists
        .iter()
        .enumerate()
        .flat_map(|(i, parts)| parts.iter().map(move |part| (i, part)))
        .collect();
    let mut truncated = false;
    let mut left = flat.len();
    while left > 0 {
        left -= 1;
        let (list, part) = flat[left];
        let item = part_json(part);
        let size = item.len() + usize::from(!kept[list].is_empty());
        if total + size <= limit {
            kept[list].push(item);
            total += size;
            continue;
        }
        let text = part
            .iter()
            .find(|(key, _)| *key == "content")
            .and_then(|(_, v)| v.as_str());
        let is_text = part.first().and_then(|(_, v)| v.as_str()) == Some("text");
        if kept.iter().all(Vec::is_empty)
            && is_text
            && let Some(text) = text
        {
            let quoted = Value::from(text).to_string().len() as i64;
            let room = limit as i64 - total as i64 - item.len() as i64 + quoted - 2;
            let start = cut_text(text, room.max(0) as usize);
            kept[list].push(part_json(&text_part(&start)));
            truncated = left > 0 || start != text;
        } else {
            truncated = true;
        }
        break;
    }
    // Reassemble each attribute from its lists, oldest part first.
    let mut kept = kept.into_iter().map(|mut items| {
        items.reverse();
        items.join(",")
    });
    let system = system.map(|_| format!("[{}]", kept.next().unwrap_or_default()));
    let mut messages = |messages: Option<Vec<MessageParts>>| {
        messages.map(|messages| {
            let items: Vec<String> = messages
                .iter()
                .map(|m| {
                    format!(
                        "{}{}]}}",
                        role_start(&m.role),
                        kept.next().unwrap_or_default()
                    )
                })
                .collect();
            format!("[{}]", items.join(","))
        })
    };
    let inputs = messages(inputs);
    let outputs = messages(outputs);
    (system, inputs, outputs, truncated)
}

/// The longest start of `text` whose JSON (without quotes) is within `room`
/// bytes, ending on a character boundary.
pub(crate) fn cut_text(text: &str, room: usize) -> String {
    let mut used = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        let size = match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        };
        if used + size > room {
            break;
        }
        used += size;
        end = i + c.len_utf8();
    }
    text[..end].to_owned()
}

#[cfg(test)]
#[path = "content_tests.rs"]
mod tests;
