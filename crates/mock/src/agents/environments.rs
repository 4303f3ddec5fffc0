//! `/v1/environments`: create, retrieve, update, list, archive, delete,
//! with cloud (limited or unrestricted network, packages) and
//! self-hosted configurations. A self-hosted environment gets a key for
//! its workers (see [`super::work`]).

use http::Method;
use serde_json::{Map, Value, json};

use super::page::Cursor;
use super::{
    Call, archive_once, invalid, listed, merge_metadata, missing, ok, required_str, updated,
};
use crate::agent_store::{Environment, now};
use crate::response::MockResponse;

/// Routes `segments` (after `environments`).
pub(super) fn handle(call: &Call<'_>, method: &Method, segments: &[&str]) -> Option<MockResponse> {
    Some(match (method, segments) {
        (&Method::POST, []) => create(call),
        (&Method::GET, []) => list(call),
        (&Method::GET, [id]) => retrieve(call, id),
        (&Method::POST, [id]) => update(call, id),
        (&Method::DELETE, [id]) => delete(call, id),
        (&Method::POST, [id, "archive"]) => archive(call, id),
        _ => return None,
    })
}

/// The configuration as the API answers it, with every default filled.
fn config(given: Option<&Value>) -> Result<Value, Box<MockResponse>> {
    let given = given.cloned().unwrap_or_else(|| json!({"type": "cloud"}));
    let Some(map) = given.as_object() else {
        return Err(Box::new(invalid("config: Input should be an object")));
    };
    match map.get("type").and_then(Value::as_str) {
        Some("self_hosted") => Ok(json!({"type": "self_hosted"})),
        Some("cloud") => {
            let networking = match map.get("networking") {
                None | Some(Value::Null) => json!({"type": "unrestricted"}),
                Some(net) => match net.get("type").and_then(Value::as_str) {
                    Some("unrestricted") => json!({"type": "unrestricted"}),
                    Some("limited") => json!({
                        "allow_mcp_servers": net.get("allow_mcp_servers").cloned().unwrap_or(json!(false)),
                        "allow_package_managers": net.get("allow_package_managers").cloned().unwrap_or(json!(false)),
                        "allowed_hosts": net.get("allowed_hosts").cloned().unwrap_or(json!([])),
                        "type": "limited",
                    }),
                    _ => {
                        return Err(Box::new(invalid(
                            "config.networking.type: should be 'limited' or 'unrestricted'",
                        )));
                    }
                },
            };
            let given = map.get("packages").and_then(Value::as_object);
            let mut packages = Map::new();
            for manager in ["apt", "cargo", "gem", "go", "npm", "pip"] {
                let list = given
                    .and_then(|p| p.get(manager))
                    .cloned()
                    .unwrap_or(json!([]));
                packages.insert(manager.into(), list);
            }
            packages.insert("type".into(), json!("packages"));
            Ok(json!({"networking": networking, "packages": packages, "type": "cloud"}))
        }
        _ => Err(Box::new(invalid(
            "config.type: should be 'cloud' or 'self_hosted'",
        ))),
    }
}

fn create(call: &Call<'_>) -> MockResponse {
    let body = match call.body() {
        Ok(body) => body,
        Err(failure) => return *failure,
    };
    let name = match required_str(&body, "name") {
        Ok(name) => name.to_owned(),
        Err(failure) => return *failure,
    };
    let config = match config(body.get("config")) {
        Ok(config) => config,
        Err(failure) => return *failure,
    };
    let mut metadata = json!({});
    if let Err(failure) = merge_metadata(&mut metadata, body.get("metadata")) {
        return *failure;
    }
    call.with(|store| {
        let id = store.id("env");
        let at = now();
        let json = json!({
            "id": id,
            "archived_at": null,
            "config": config,
            "created_at": at,
            "description": body.get("description").cloned().unwrap_or(Value::Null),
            "metadata": metadata,
            "name": name,
            "type": "environment",
            "updated_at": at,
            "scope": body.get("scope").cloned().unwrap_or(json!("organization")),
        });
        let key = format!("envkey_mock_{}", id.trim_start_matches("env_mock_"));
        store.environments.push(Environment {
            json: json.clone(),
            key,
        });
        ok(&json)
    })
}

fn retrieve(call: &Call<'_>, id: &str) -> MockResponse {
    call.with(|store| match store.environment_mut(id) {
        Some(env) => ok(&env.json),
        None => missing("Environment", id),
    })
}

fn update(call: &Call<'_>, id: &str) -> MockResponse {
    let body = match call.body() {
        Ok(body) => body,
        Err(failure) => return *failure,
    };
    let config = match body.get("config").map(|c| config(Some(c))).transpose() {
        Ok(config) => config,
        Err(failure) => return *failure,
    };
    call.with(|store| {
        let Some(env) = store.environment_mut(id) else {
            return missing("Environment", id);
        };
        let mut next = match updated(&env.json, &body, &["name", "description", "scope"]) {
            Ok(next) => next,
            Err(failure) => return *failure,
        };
        if let Some(config) = config {
            next["config"] = config;
        }
        env.json = next;
        ok(&env.json)
    })
}

fn archive(call: &Call<'_>, id: &str) -> MockResponse {
    call.with(|store| {
        let Some(env) = store.environment_mut(id) else {
            return missing("Environment", id);
        };
        archive_once(&mut env.json);
        ok(&env.json)
    })
}

fn delete(call: &Call<'_>, id: &str) -> MockResponse {
    call.with(|store| {
        let before = store.environments.len();
        store.environments.retain(|e| e.json["id"] != id);
        if store.environments.len() == before {
            return missing("Environment", id);
        }
        store.work.retain(|w| w.json["environment_id"] != id);
        ok(&json!({"id": id, "type": "environment_deleted"}))
    })
}

fn list(call: &Call<'_>) -> MockResponse {
    let archived = call.query.flag("include_archived");
    let items = call.with(|store| {
        store
            .environments
            .iter()
            .rev()
            .filter(|e| archived || e.json["archived_at"].is_null())
            .map(|e| {
                (
                    e.json["id"].as_str().unwrap_or_default().to_owned(),
                    e.json.clone(),
                )
            })
            .collect()
    });
    listed(items, call.query, Cursor::Forward)
}
