//! Every Managed Agents and Admin endpoint of the API description that no
//! hand-written route serves answers 2xx with a body of its response type:
//! every required field present, every `type` constant right, lists in
//! their endpoint's pagination style. The same for Bedrock's control plane
//! (its memory stores), under `/anthropic` with its own types.

use std::collections::HashMap;

use claude_rs_mock::{MockServer, Route};
use http::Method;
use serde_json::{Map, Value, json};

use crate::support::{BEDROCK_KEY, Surface, call, call_form, call_on};

/// The description the store serves from.
const DATA: &str = include_str!("../../src/generated/api.json");

/// The families written by hand (by the Managed Agents routes), not the
/// store's.
const HAND_WRITTEN: [&str; 3] = ["/v1/agents", "/v1/environments", "/v1/sessions"];

struct Checker<'a> {
    types: &'a Map<String, Value>,
}

impl Checker<'_> {
    /// Where `value` departs from the type `t`, if it does.
    fn check(&self, value: &Value, t: &Value, at: &str) -> Result<(), String> {
        match t {
            Value::String(s) => {
                let fine = match s.as_str() {
                    "string" | "datetime" | "date" => value.is_string(),
                    "integer" => value.is_i64() || value.is_u64(),
                    "number" => value.is_number(),
                    "boolean" => value.is_boolean(),
                    _ => true,
                };
                if fine {
                    Ok(())
                } else {
                    Err(format!("{at}: {value} is not {s}"))
                }
            }
            Value::Object(o) => {
                if let Some(id) = o.get("ref").and_then(Value::as_str) {
                    return self.named(value, id, at);
                }
                if let Some(inner) = o.get("array") {
                    let items = value.as_array().ok_or(format!("{at}: not an array"))?;
                    for (i, item) in items.iter().enumerate() {
                        self.check(item, inner, &format!("{at}[{i}]"))?;
                    }
                    return Ok(());
                }
                if let Some(inner) = o.get("map") {
                    let map = value.as_object().ok_or(format!("{at}: not a map"))?;
                    for (k, v) in map {
                        self.check(v, inner, &format!("{at}.{k}"))?;
                    }
                    return Ok(());
                }
                if let Some(values) = o.get("literal").and_then(Value::as_array) {
                    return if values.contains(value) {
                        Ok(())
                    } else {
                        Err(format!("{at}: {value} is not one of {values:?}"))
                    };
                }
                if let Some(members) = o.get("union").and_then(Value::as_array) {
                    return if members.iter().any(|m| self.check(value, m, at).is_ok()) {
                        Ok(())
                    } else {
                        Err(format!("{at}: {value} fits no member"))
                    };
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn named(&self, value: &Value, id: &str, at: &str) -> Result<(), String> {
        let def = self
            .types
            .get(id)
            .ok_or(format!("{at}: unknown type {id}"))?;
        match def["kind"].as_str() {
            Some("object") => {
                let object = value
                    .as_object()
                    .ok_or(format!("{at}: {id} is not an object"))?;
                for field in def["fields"].as_array().into_iter().flatten() {
                    let name = field["name"].as_str().unwrap_or_default();
                    let here = format!("{at}.{name}");
                    match object.get(name) {
                        None if field["required"] == true => {
                            return Err(format!("{here}: required field of {id} missing"));
                        }
                        None => {}
                        Some(Value::Null) if field["nullable"] == true => {}
                        Some(v) => self.check(v, &field["type"], &here)?,
                    }
                }
                Ok(())
            }
            Some("enum") => {
                let values = def["values"].as_array().cloned().unwrap_or_default();
                if values.contains(value) || def["open"] == true {
                    Ok(())
                } else {
                    Err(format!("{at}: {value} is not a value of {id}"))
                }
            }
            Some("union") => {
                let members = def["members"].as_array().cloned().unwrap_or_default();
                if members
                    .iter()
                    .any(|m| self.check(value, &m["type"], at).is_ok())
                {
                    Ok(())
                } else {
                    Err(format!("{at}: {value} fits no member of {id}"))
                }
            }
            Some("alias") => self.check(value, &def["type"], at),
            _ => Ok(()),
        }
    }
}

/// A body with every required field (loosely filled).
fn body(endpoint: &Value) -> Option<Value> {
    if endpoint["encoding"] != "json" {
        return None;
    }
    let mut map = Map::new();
    for field in endpoint["required"].as_array().into_iter().flatten() {
        map.insert(field.as_str().unwrap_or_default().to_owned(), json!("mock"));
    }
    Some(Value::Object(map))
}

/// The required body fields of an endpoint.
fn required(endpoint: &Value) -> Vec<&str> {
    endpoint["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// The concrete path of a template: each parameter is an object of its
/// collection, listed, else created, else a made-up id; the same one each
/// time for a collection (`known`).
async fn concrete(
    server: &MockServer,
    surface: Surface,
    endpoints: &[Value],
    known: &mut HashMap<String, String>,
    template: &str,
) -> String {
    let segments: Vec<&str> = template.split('/').skip(1).collect();
    let mut path = String::new();
    for (i, segment) in segments.iter().enumerate() {
        let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            path.push('/');
            path.push_str(segment);
            continue;
        };
        if let Some(key) = known.get(&path) {
            path = format!("{path}/{key}");
            continue;
        }
        let collection = format!("/{}", segments[..i].join("/"));
        let find = |method: &str, paged: bool| {
            endpoints.iter().find(|e| {
                e["method"] == method
                    && e["path"] == collection.as_str()
                    && (!paged || !e["pagination"].is_null())
            })
        };
        let key_of = |item: &Value| {
            item.get(name)
                .or_else(|| item.get("id"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let mut key = None;
        if find("GET", true).is_some() {
            let listed = call_on(server, surface, "GET", &format!("{path}?limit=1"), None).await;
            if listed.status == 200 {
                key = listed.json()["data"].get(0).and_then(key_of);
            }
        }
        if key.is_none()
            && let Some(create) = find("POST", false)
        {
            let created = if create["encoding"] == "multipart" {
                call_form(server, &path, &required(create)).await
            } else {
                call_on(server, surface, "POST", &path, body(create).as_ref()).await
            };
            if created.status == 200 {
                key = key_of(&created.json());
            }
        }
        let key = key.unwrap_or_else(|| format!("{name}_1"));
        known.insert(path.clone(), key.clone());
        path = format!("{path}/{key}");
    }
    path
}

/// The endpoints of the description `surface` serves.
fn endpoints(file: &Value, surface: Surface) -> Vec<Value> {
    let bedrock = surface == Surface::Bedrock;
    let endpoints = file["endpoints"].as_array().expect("endpoints");
    endpoints
        .iter()
        .filter(|e| (e["platform"] == "bedrock") == bedrock)
        .cloned()
        .collect()
}

#[tokio::test]
async fn every_endpoint_answers_its_response_type() {
    let server = MockServer::start().await;
    let checked = check_every_endpoint(&server, Surface::FirstParty).await;
    // 223 today (the description's 224 but `GET /v1/organizations/me`, a route).
    assert!(checked >= 200, "{checked}");
}

#[tokio::test]
async fn every_bedrock_memory_store_endpoint_answers_its_response_type() {
    let server = MockServer::builder()
        .bedrock_api_key(BEDROCK_KEY)
        .start()
        .await;
    let checked = check_every_endpoint(&server, Surface::Bedrock).await;
    // Stores, memories and versions: the description's 14.
    assert_eq!(checked, 14);
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.platform == claude_rs_mock::Platform::BedrockControlPlane),
        "{requests:?}"
    );
}

/// Calls every endpoint of `surface` no route serves, checks each answer
/// against its response type, and says how many answered.
async fn check_every_endpoint(server: &MockServer, surface: Surface) -> usize {
    let file: Value = serde_json::from_str(DATA).expect("the generated data");
    let endpoints = endpoints(&file, surface);
    let checker = Checker {
        types: file["types"].as_object().expect("types"),
    };
    // Deletions last, so that what they delete served the others first;
    // the deepest first, so that a parent outlives its children.
    let mut order: Vec<&Value> = endpoints
        .iter()
        .filter(|e| e["method"] != "DELETE")
        .collect();
    let mut deletions: Vec<&Value> = endpoints
        .iter()
        .filter(|e| e["method"] == "DELETE")
        .collect();
    let depth = |e: &Value| e["path"].as_str().map_or(0, |p| p.matches('/').count());
    deletions.sort_by_key(|e| std::cmp::Reverse(depth(e)));
    order.extend(deletions);
    let mut known = HashMap::new();
    let mut checked = 0;
    let mut failures = Vec::new();
    for endpoint in order {
        let template = endpoint["path"].as_str().expect("path");
        let method = endpoint["method"].as_str().expect("method");
        let hand_written = HAND_WRITTEN
            .iter()
            .any(|p| template == *p || template.starts_with(&format!("{p}/")));
        let path = concrete(server, surface, &endpoints, &mut known, template).await;
        let resolved = Route::resolve(
            &Method::from_bytes(method.as_bytes()).expect("method"),
            &path,
        );
        if hand_written || resolved.is_some() {
            continue;
        }
        let raw = if endpoint["encoding"] == "multipart" {
            call_form(server, &path, &required(endpoint)).await
        } else {
            call_on(server, surface, method, &path, body(endpoint).as_ref()).await
        };
        let what = format!("{method} {template} ({path})");
        if !(200..300).contains(&raw.status) {
            failures.push(format!("{what}: {} {}", raw.status, raw.text()));
            continue;
        }
        checked += 1;
        if endpoint["response"] == "binary" {
            assert!(!raw.body.is_empty(), "{what}: empty");
            continue;
        }
        let json = raw.json();
        let t = &endpoint["response"];
        let result = match endpoint["pagination"].as_str() {
            None => checker.check(&json, t, "body"),
            Some(style) => {
                let keys: &[&str] = match style {
                    "page" => &["data", "has_more", "first_id", "last_id"],
                    "page_cursor" => &["data", "next_page"],
                    "page_cursor_bidirectional" => &["data", "next_page", "prev_page"],
                    _ => &["data", "has_more", "next_page"],
                };
                match keys.iter().find(|k| json.get(**k).is_none()) {
                    Some(k) => Err(format!("{style} page without `{k}`")),
                    None => checker.check(&json["data"], &json!({"array": t}), "data"),
                }
            }
        };
        if let Err(problem) = result {
            failures.push(format!("{what}: {problem}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{checked} endpoints answered their response type");
    checked
}

#[tokio::test]
async fn the_store_leaves_hand_written_families_alone() {
    let server = MockServer::start().await;
    // Agents, environments and sessions are the hand-written Managed Agents
    // routes': an object the store would make up on first read is unknown
    // to them.
    for path in [
        "/v1/agents/agent_1",
        "/v1/environments/env_1",
        "/v1/sessions/sesn_1/events",
    ] {
        assert_eq!(call(&server, "GET", path, None).await.status, 404, "{path}");
    }
}
