//! The API's checks of the conversation's content: every `tool_result`
//! answers a `tool_use` of the turn before, every `tool_use` is answered in
//! the turn after, base64 images decode, referenced files exist.
//!
//! The tool pairing and empty-image messages are the API's own (recorded
//! error bodies quoted in public bug reports). The API's wording for
//! undecodable base64 and for an unknown `file_id` is not on record; the
//! mock's messages for those say the same thing in the API's style
//! (the location first, then the problem).

use serde_json::Value;

use super::Problem;

/// The blocks of a turn (a string content has none).
fn blocks(turn: &Value) -> &[Value] {
    turn.get("content")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn kind(block: &Value) -> Option<&str> {
    block.get("type").and_then(Value::as_str)
}

fn role(turn: &Value) -> Option<&str> {
    turn.get("role").and_then(Value::as_str)
}

/// The ids of the `tool_use` blocks of a turn.
fn tool_use_ids(turn: &Value) -> Vec<&str> {
    blocks(turn)
        .iter()
        .filter(|b| kind(b) == Some("tool_use"))
        .filter_map(|b| b.get("id").and_then(Value::as_str))
        .collect()
}

/// Tool calls and results pair up across consecutive turns.
pub(super) fn tool_pairing(messages: &[Value]) -> Option<Problem> {
    for (i, turn) in messages.iter().enumerate() {
        let previous = i.checked_sub(1).and_then(|p| messages.get(p));
        let offered = previous
            .filter(|p| role(p) == Some("assistant"))
            .map(tool_use_ids)
            .unwrap_or_default();
        for (j, block) in blocks(turn).iter().enumerate() {
            if kind(block) != Some("tool_result") {
                continue;
            }
            let id = block
                .get("tool_use_id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !offered.contains(&id) {
                return Some(Problem::invalid(format!(
                    "messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` \
                     blocks: {id}. Each `tool_result` block must have a corresponding `tool_use` \
                     block in the previous message."
                )));
            }
        }
        // A call must be answered by the next turn, unless it is the last.
        if role(turn) == Some("assistant")
            && let Some(next) = messages.get(i + 1)
        {
            let answered: Vec<&str> = blocks(next)
                .iter()
                .filter(|b| kind(b) == Some("tool_result"))
                .filter_map(|b| b.get("tool_use_id").and_then(Value::as_str))
                .collect();
            let missing: Vec<&str> = tool_use_ids(turn)
                .into_iter()
                .filter(|id| !answered.contains(id))
                .collect();
            if !missing.is_empty() {
                return Some(Problem::invalid(format!(
                    "messages.{i}: `tool_use` ids were found without `tool_result` blocks \
                         immediately after: {}. Each `tool_use` block must have a corresponding \
                         `tool_result` block in the next message.",
                    missing.join(", ")
                )));
            }
        }
    }
    None
}

/// Every block of the conversation with its location, including the
/// blocks nested in `tool_result` content.
fn each_block(
    messages: &[Value],
    mut f: impl FnMut(String, &Value) -> Option<Problem>,
) -> Option<Problem> {
    for (i, turn) in messages.iter().enumerate() {
        for (j, block) in blocks(turn).iter().enumerate() {
            let at = format!("messages.{i}.content.{j}");
            if let Some(problem) = f(at.clone(), block) {
                return Some(problem);
            }
            let nested = block.get("content").and_then(Value::as_array);
            for (k, inner) in nested.into_iter().flatten().enumerate() {
                if let Some(problem) = f(format!("{at}.content.{k}"), inner) {
                    return Some(problem);
                }
            }
        }
    }
    None
}

/// Base64 image data that is present and decodes.
pub(super) fn images(messages: &[Value]) -> Option<Problem> {
    each_block(messages, |at, block| {
        if kind(block) != Some("image") {
            return None;
        }
        let source = block.get("source")?;
        if source.get("type").and_then(Value::as_str) != Some("base64") {
            return None;
        }
        let data = source
            .get("data")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if data.is_empty() {
            return Some(Problem::invalid(format!(
                "{at}.image.source.base64: image cannot be empty"
            )));
        }
        crate::base64::decode(data).is_none().then(|| {
            Problem::invalid(format!(
                "{at}.image.source.base64.data: invalid base64 data"
            ))
        })
    })
}

/// The `file_id`s the conversation references, with their locations.
pub(super) fn file_ids(messages: &[Value]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    each_block(messages, |at, block| {
        let source = block.get("source")?;
        if source.get("type").and_then(Value::as_str) == Some("file")
            && let Some(id) = source.get("file_id").and_then(Value::as_str)
        {
            out.push((at, id.to_owned()));
        }
        None
    });
    out
}

/// The problem of a referenced file the mock does not hold.
pub(super) fn unknown_file(at: &str, id: &str) -> Problem {
    Problem::invalid(format!("{at}.source.file_id: File not found: {id}"))
}

/// What API version 2026-10-21 no longer takes in a conversation: a
/// `document` block in an assistant turn, `citations` on the text of a
/// user turn. The API's wording for these is not on record; the mock's
/// (written for it) names the place and the version, in the API's style.
pub(super) fn removed_in_2026(messages: &[Value], version: &str) -> Option<Problem> {
    for (i, turn) in messages.iter().enumerate() {
        for (j, block) in blocks(turn).iter().enumerate() {
            let refused = match (role(turn), kind(block)) {
                (Some("assistant"), Some("document")) => {
                    "document blocks are not accepted in \
                                                          assistant messages"
                }
                (Some("user"), Some("text")) if block.get("citations").is_some() => {
                    "citations are not accepted in user text blocks"
                }
                _ => continue,
            };
            return Some(Problem::invalid(format!(
                "messages.{i}.content.{j}: {refused} in API version {version}"
            )));
        }
    }
    None
}
