//! `/v1/agents`: create, retrieve (any version), update (a new version,
//! with the `version` precondition), list, archive, and the versions list.

use http::Method;
use serde_json::{Map, Value, json};

use super::page::Cursor;
use super::{Call, conflict, invalid, listed, merge_metadata, missing, ok, required_str};
use crate::agent_store::{Agent, now};
use crate::response::MockResponse;

/// Routes `segments` (after `agents`).
pub(super) fn handle(call: &Call<'_>, method: &Method, segments: &[&str]) -> Option<MockResponse> {
    Some(match (method, segments) {
        (&Method::POST, []) => create(call),
        (&Method::GET, []) => list(call),
        (&Method::GET, [id]) => retrieve(call, id),
        (&Method::POST, [id]) => update(call, id),
        (&Method::POST, [id, "archive"]) => archive(call, id),
        (&Method::GET, [id, "versions"]) => versions(call, id),
        _ => return None,
    })
}

fn create(call: &Call<'_>) -> MockResponse {
    let body = match call.body() {
        Ok(body) => body,
        Err(failure) => return *failure,
    };
    let agent = match fill(Map::new(), &body) {
        Ok(agent) => agent,
        Err(failure) => return *failure,
    };
    if let Err(failure) = required_str(&body, "name") {
        return *failure;
    }
    call.with(|store| {
        let at = now();
        let mut agent = agent;
        agent.insert("id".into(), json!(store.id("agent")));
        agent.insert("archived_at".into(), Value::Null);
        agent.insert("created_at".into(), json!(at));
        agent.insert("updated_at".into(), json!(at));
        agent.insert("type".into(), json!("agent"));
        agent.insert("version".into(), json!(1));
        let agent = Value::Object(agent);
        store.agents.push(Agent {
            versions: vec![agent.clone()],
        });
        ok(&agent)
    })
}

/// The agent `previous` with the fields `body` sets, each normalized to the
/// shape the API answers.
fn fill(
    previous: Map<String, Value>,
    body: &Map<String, Value>,
) -> Result<Map<String, Value>, Box<MockResponse>> {
    let mut agent = previous;
    let fresh = agent.is_empty();
    let model = match body.get("model") {
        Some(Value::String(id)) => json!({"id": id, "speed": "standard"}),
        Some(Value::Object(config)) if config.get("id").is_some_and(Value::is_string) => {
            Value::Object(config.clone())
        }
        Some(_) => {
            return Err(Box::new(invalid(
                "model: Input should be a model name or {\"id\": ...}",
            )));
        }
        None if fresh => return Err(Box::new(invalid("model: Field required"))),
        None => agent.get("model").cloned().unwrap_or(Value::Null),
    };
    agent.insert("model".into(), model);
    for (name, default) in [
        ("name", Value::Null),
        ("description", Value::Null),
        ("system", Value::Null),
        ("multiagent", Value::Null),
        ("execution_identity", json!({"type": "service_account"})),
        ("skills", json!([])),
        ("mcp_servers", json!([])),
    ] {
        match body.get(name) {
            Some(value) => {
                agent.insert(name.into(), value.clone());
            }
            None if fresh => {
                agent.insert(name.into(), default);
            }
            None => {}
        }
    }
    if let Some(servers) = agent.get_mut("mcp_servers").and_then(Value::as_array_mut) {
        for server in servers.iter_mut().filter_map(Value::as_object_mut) {
            server.entry("type").or_insert_with(|| json!("url"));
        }
    }
    match body.get("tools") {
        Some(Value::Array(tools)) => {
            let tools: Result<Vec<Value>, Box<MockResponse>> = tools.iter().map(tool).collect();
            agent.insert("tools".into(), Value::Array(tools?));
        }
        Some(_) => return Err(Box::new(invalid("tools: Input should be a list"))),
        None if fresh => {
            agent.insert("tools".into(), json!([]));
        }
        None => {}
    }
    let mut metadata = agent.remove("metadata").unwrap_or_else(|| json!({}));
    merge_metadata(&mut metadata, body.get("metadata"))?;
    agent.insert("metadata".into(), metadata);
    Ok(agent)
}

/// A tool definition as the API answers it: toolsets get their resolved
/// `configs` and `default_config`.
fn tool(definition: &Value) -> Result<Value, Box<MockResponse>> {
    let mut tool = definition.clone();
    let Some(map) = tool.as_object_mut() else {
        return Err(Box::new(invalid("tools: each tool should be an object")));
    };
    match map.get("type").and_then(Value::as_str) {
        Some("custom") => {
            if !map.get("name").is_some_and(Value::is_string) {
                return Err(Box::new(invalid(
                    "tools.name: Field required for a custom tool",
                )));
            }
            map.entry("description").or_insert_with(|| json!(""));
            map.entry("input_schema")
                .or_insert_with(|| json!({"type": "object", "properties": {}}));
        }
        Some(kind @ ("agent_toolset_20260401" | "mcp_toolset")) => {
            let policy = if kind == "mcp_toolset" {
                "always_ask"
            } else {
                "always_allow"
            };
            map.entry("configs").or_insert_with(|| json!([]));
            let default = map.entry("default_config").or_insert_with(|| json!({}));
            if let Some(default) = default.as_object_mut() {
                default.entry("enabled").or_insert(json!(true));
                default
                    .entry("permission_policy")
                    .or_insert_with(|| json!({"type": policy}));
            }
        }
        other => {
            return Err(Box::new(invalid(format!(
                "tools.type: {} is not one of custom, agent_toolset_20260401, mcp_toolset",
                other.map_or("a missing type".to_owned(), |t| format!("{t:?}"))
            ))));
        }
    }
    Ok(tool)
}

fn retrieve(call: &Call<'_>, id: &str) -> MockResponse {
    let version = match call.query.get("version").map(str::parse::<usize>) {
        None => None,
        Some(Ok(v)) => Some(v),
        Some(Err(_)) => return invalid("version: Input should be a valid integer"),
    };
    call.with(|store| {
        let Some(agent) = store.agent_mut(id) else {
            return missing("Agent", id);
        };
        match version {
            None => ok(agent.current()),
            Some(v) => match v.checked_sub(1).and_then(|i| agent.versions.get(i)) {
                Some(found) => ok(found),
                None => missing("Agent version", &format!("{id} version {v}")),
            },
        }
    })
}

fn update(call: &Call<'_>, id: &str) -> MockResponse {
    let body = match call.body() {
        Ok(body) => body,
        Err(failure) => return *failure,
    };
    call.with(|store| {
        let Some(agent) = store.agent_mut(id) else {
            return missing("Agent", id);
        };
        let current = agent.current().clone();
        let version = current["version"].as_u64().unwrap_or(1);
        if let Some(expected) = body.get("version").filter(|e| e.as_u64() != Some(version)) {
            return conflict(format!(
                "version: the agent is at version {version}, not {expected}; retrieve it and retry"
            ));
        }
        if current["archived_at"].is_string() {
            return invalid(format!("Agent {id} is archived and cannot be updated"));
        }
        let mut fields = body.clone();
        fields.remove("version");
        let Value::Object(previous) = current.clone() else {
            return missing("Agent", id);
        };
        let mut next = match fill(previous, &fields) {
            Ok(next) => next,
            Err(failure) => return *failure,
        };
        if Value::Object(next.clone()) == current {
            return ok(&current);
        }
        next.insert("version".into(), json!(version + 1));
        next.insert("updated_at".into(), json!(now()));
        let next = Value::Object(next);
        agent.versions.push(next.clone());
        ok(&next)
    })
}

fn archive(call: &Call<'_>, id: &str) -> MockResponse {
    call.with(|store| {
        let Some(agent) = store.agent_mut(id) else {
            return missing("Agent", id);
        };
        let at = now();
        for version in &mut agent.versions {
            if version["archived_at"].is_null() {
                version["archived_at"] = json!(at);
            }
        }
        ok(agent.current())
    })
}

fn list(call: &Call<'_>) -> MockResponse {
    let range = match call.query.created_at() {
        Ok(range) => range,
        Err(problem) => return invalid(problem),
    };
    let archived = call.query.flag("include_archived");
    let items = call.with(|store| {
        store
            .agents
            .iter()
            .rev()
            .map(Agent::current)
            .filter(|a| archived || a["archived_at"].is_null())
            .filter(|a| range.contains(a["created_at"].as_str().unwrap_or_default()))
            .map(|a| (a["id"].as_str().unwrap_or_default().to_owned(), a.clone()))
            .collect()
    });
    listed(items, call.query, Cursor::Forward)
}

fn versions(call: &Call<'_>, id: &str) -> MockResponse {
    let items = call.with(|store| {
        store.agent_mut(id).map(|agent| {
            agent
                .versions
                .iter()
                .rev()
                .map(|v| (v["version"].to_string(), v.clone()))
                .collect::<Vec<_>>()
        })
    });
    match items {
        Some(items) => listed(items, call.query, Cursor::Forward),
        None => missing("Agent", id),
    }
}
