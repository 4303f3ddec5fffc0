//! The scripted agent: what it does with each event the user sends.
//!
//! * `user.message`: `session.status_running`, then
//!   - if calls were queued for the turn (`MockServer::enqueue_agent_tool_calls`),
//!     an `agent.custom_tool_use` of each, at once (inputs as below, each
//!     with its `session_thread_id` when it names a thread), and
//!     `session.status_idle` with `requires_action` naming them all, until
//!     every `user.custom_tool_result` has come (the reply then quotes each
//!     result, one line per call, in the order the calls were made);
//!   - else if the agent has a custom tool, an `agent.custom_tool_use` of the
//!     first one, with an input made from its schema (each string property
//!     gets the message's text, each number its word count, each boolean
//!     `true`), and `session.status_idle` with `requires_action` naming
//!     that event, until the `user.custom_tool_result` comes;
//!   - else if its toolset asks permission (`always_ask`), an
//!     `agent.tool_use` of `bash` (`evaluated_permission: "ask"`) and
//!     `requires_action`, until the `user.tool_confirmation` comes;
//!   - else an `agent.message` (the next queued reply, or
//!     `You said: <text>`) and `session.status_idle` with `end_turn`.
//! * `user.custom_tool_result`: running, an `agent.message` quoting the
//!   result (`The <tool> tool returned: <text>`), idle `end_turn`.
//! * `user.tool_confirmation`: `allow` runs the tool (an
//!   `agent.tool_result`, then a message), `deny` says so; idle `end_turn`.
//! * `user.interrupt`: whatever the agent waited for is dropped; idle
//!   `end_turn`.

use serde_json::{Map, Value, json};

use super::history::persist;
use crate::agent_store::{Session, Store, ToolCall, Waiting};

/// Whether `event` can be sent now: a tool result or confirmation must
/// answer what the agent waits for.
pub(super) fn check(session: &Session, event: &Map<String, Value>) -> Result<(), String> {
    let text = |name: &str| event.get(name).and_then(Value::as_str);
    match event.get("type").and_then(Value::as_str) {
        Some("user.message") if !event.get("content").is_some_and(Value::is_array) => {
            Err("content: Field required (a list of content blocks)".into())
        }
        Some("user.custom_tool_result") => match (&session.waiting, text("custom_tool_use_id")) {
            (_, None) => Err("custom_tool_use_id: Field required".into()),
            (Waiting::CustomTools { pending, .. }, Some(id))
                if pending.iter().any(|(event_id, _)| event_id == id) =>
            {
                Ok(())
            }
            (_, Some(id)) => Err(format!(
                "custom_tool_use_id: {id} is not an agent.custom_tool_use awaiting its result"
            )),
        },
        Some("user.tool_confirmation") => {
            if !matches!(text("result"), Some("allow" | "deny")) {
                return Err("result: should be 'allow' or 'deny'".into());
            }
            match (&session.waiting, text("tool_use_id")) {
                (_, None) => Err("tool_use_id: Field required".into()),
                (Waiting::Confirmation { event_id, .. }, Some(id)) if event_id == id => Ok(()),
                (_, Some(id)) => Err(format!(
                    "tool_use_id: {id} is not an agent.tool_use awaiting confirmation"
                )),
            }
        }
        _ => Ok(()),
    }
}

/// The agent's answer to the persisted user `event`.
pub(super) fn react(store: &mut Store, index: usize, event: &Value) {
    let waiting = std::mem::take(&mut store.sessions[index].waiting);
    match (event["type"].as_str().unwrap_or_default(), waiting) {
        ("user.message", _) => message(store, index, &text_of(&event["content"])),
        (
            "user.custom_tool_result",
            Waiting::CustomTools {
                mut pending,
                mut results,
            },
        ) => {
            let id = event["custom_tool_use_id"].as_str().unwrap_or_default();
            if let Some(at) = pending.iter().position(|(event_id, _)| event_id == id) {
                let (_, name) = pending.remove(at);
                results.push((name, text_of(&event["content"])));
            }
            if !pending.is_empty() {
                store.sessions[index].waiting = Waiting::CustomTools { pending, results };
                return;
            }
            emit(store, index, json!({"type": "session.status_running"}));
            let reply = results
                .iter()
                .map(|(name, result)| format!("The {name} tool returned: {result}"))
                .collect::<Vec<_>>()
                .join("\n");
            finish(store, index, &reply);
        }
        (
            "user.tool_confirmation",
            Waiting::Confirmation {
                event_id,
                name,
                input,
            },
        ) => {
            emit(store, index, json!({"type": "session.status_running"}));
            if event["result"] == "allow" {
                let output = input["command"]
                    .as_str()
                    .unwrap_or_default()
                    .trim_start_matches("echo ")
                    .to_owned();
                emit(
                    store,
                    index,
                    json!({
                        "type": "agent.tool_result",
                        "tool_use_id": event_id,
                        "content": [{"type": "text", "text": output}],
                        "is_error": false,
                    }),
                );
                finish(store, index, &format!("I ran {name}: {output}"));
            } else {
                let why = event["deny_message"].as_str().unwrap_or("no reason given");
                finish(store, index, &format!("I did not run {name}: {why}"));
            }
        }
        ("user.interrupt", Waiting::Nothing) => {}
        ("user.interrupt", _) => {
            emit(
                store,
                index,
                json!({"type": "session.status_idle", "stop_reason": {"type": "end_turn"}, "stop_details": null}),
            );
        }
        (_, waiting) => store.sessions[index].waiting = waiting,
    }
}

/// A turn started by a user message.
fn message(store: &mut Store, index: usize, text: &str) {
    emit(store, index, json!({"type": "session.status_running"}));
    let tools = store.sessions[index].json["agent"]["tools"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let planned = store.tool_calls.pop_front();
    let first = tools
        .iter()
        .find(|t| t["type"] == "custom")
        .map(|tool| ToolCall {
            name: tool["name"].as_str().unwrap_or_default().to_owned(),
            thread: None,
        });
    if let Some(calls) = planned.or_else(|| first.map(|call| vec![call])) {
        let mut pending = Vec::new();
        for call in calls {
            let schema = tools
                .iter()
                .find(|t| t["type"] == "custom" && t["name"] == call.name.as_str())
                .map_or(Value::Null, |tool| tool["input_schema"].clone());
            let mut used = json!({"type": "agent.custom_tool_use", "name": call.name,
                "input": input_for(&schema, text)});
            if let Some(thread) = call.thread {
                used["session_thread_id"] = json!(thread);
            }
            let used = emit(store, index, used);
            let event_id = used["id"].as_str().unwrap_or_default().to_owned();
            pending.push((event_id, call.name));
        }
        let ids: Vec<&str> = pending.iter().map(|(id, _)| id.as_str()).collect();
        requires_action(store, index, &ids);
        store.sessions[index].waiting = Waiting::CustomTools {
            pending,
            results: Vec::new(),
        };
    } else if tools.iter().any(|t| {
        t["type"] == "agent_toolset_20260401"
            && t["default_config"]["permission_policy"]["type"] == "always_ask"
    }) {
        let input = json!({"command": format!("echo {text}")});
        let used = emit(
            store,
            index,
            json!({
                "type": "agent.tool_use",
                "name": "bash",
                "input": input,
                "evaluated_permission": "ask",
            }),
        );
        let event_id = used["id"].as_str().unwrap_or_default().to_owned();
        store.sessions[index].waiting = Waiting::Confirmation {
            event_id: event_id.clone(),
            name: "bash".into(),
            input,
        };
        requires_action(store, index, &[&event_id]);
    } else {
        let reply = store
            .replies
            .pop_front()
            .unwrap_or_else(|| format!("You said: {text}"));
        finish(store, index, &reply);
    }
}

/// An `agent.message` and `session.status_idle` with `end_turn`.
fn finish(store: &mut Store, index: usize, text: &str) {
    emit(
        store,
        index,
        json!({"type": "agent.message", "content": [{"type": "text", "text": text}]}),
    );
    emit(
        store,
        index,
        json!({"type": "session.status_idle", "stop_reason": {"type": "end_turn"}, "stop_details": null}),
    );
}

fn requires_action(store: &mut Store, index: usize, event_ids: &[&str]) {
    emit(
        store,
        index,
        json!({
            "type": "session.status_idle",
            "stop_reason": {"type": "requires_action", "event_ids": event_ids},
            "stop_details": null,
        }),
    );
}

fn emit(store: &mut Store, index: usize, event: Value) -> Value {
    match event {
        Value::Object(map) => persist(store, index, map),
        other => other,
    }
}

/// The text of a list of content blocks (their `text` fields, joined by
/// spaces).
fn text_of(content: &Value) -> String {
    match content {
        Value::String(text) => text.clone(),
        Value::Array(blocks) => blocks
            .iter()
            .filter_map(|b| b["text"].as_str())
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// A tool input from its schema: strings get `text`, numbers its word
/// count, booleans `true`; other properties are left out.
fn input_for(schema: &Value, text: &str) -> Value {
    let mut input = Map::new();
    if let Some(properties) = schema["properties"].as_object() {
        for (name, property) in properties {
            let value = match property["type"].as_str() {
                Some("string") => json!(text),
                Some("integer" | "number") => json!(text.split_whitespace().count()),
                Some("boolean") => json!(true),
                _ => continue,
            };
            input.insert(name.clone(), value);
        }
    }
    Value::Object(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_follow_the_schema() {
        let schema = json!({"type": "object", "properties": {
            "text": {"type": "string"}, "n": {"type": "integer"}, "x": {"type": "array"}
        }});
        assert_eq!(
            input_for(&schema, "a b c"),
            json!({"text": "a b c", "n": 3})
        );
        assert_eq!(
            text_of(&json!([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}])),
            "a b"
        );
    }
}
