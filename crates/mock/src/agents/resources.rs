//! A session's resources (files, repositories, memory stores): added at
//! creation or later (files), listed, retrieved, updated (a repository's
//! token, never echoed), deleted.

use http::Method;
use serde_json::{Value, json};

use super::page::Cursor;
use super::{Call, invalid, listed, missing, ok, required_str};
use crate::agent_store::{Store, now};
use crate::response::MockResponse;

/// A resource of a session as the API answers it.
pub(super) fn new_resource(store: &mut Store, given: &Value) -> Result<Value, Box<MockResponse>> {
    let Some(map) = given.as_object() else {
        return Err(Box::new(invalid(
            "resources: each resource should be an object",
        )));
    };
    let at = now();
    let mut resource = map.clone();
    match map.get("type").and_then(Value::as_str) {
        Some("file") => {
            let file_id = required_str(map, "file_id")?;
            let mount = format!("/mnt/session/uploads/{file_id}");
            resource.entry("mount_path").or_insert(json!(mount));
        }
        Some("github_repository" | "memory_store") => {}
        _ => {
            return Err(Box::new(invalid(
                "resources.type: should be file, github_repository or memory_store",
            )));
        }
    }
    resource.remove("authorization_token");
    resource.insert("id".into(), json!(store.id("sesrsc")));
    resource.insert("created_at".into(), json!(at));
    resource.insert("updated_at".into(), json!(at));
    Ok(Value::Object(resource))
}

pub(super) fn add_resource(call: &Call<'_>, id: &str) -> MockResponse {
    let body = match call.body() {
        Ok(body) => body,
        Err(failure) => return *failure,
    };
    if body.get("type").and_then(Value::as_str) != Some("file") {
        return invalid("type: only 'file' resources can be added to a running session");
    }
    call.with(|store| {
        if store.session_mut(id).is_none() {
            return missing("Session", id);
        }
        let resource = match new_resource(store, &Value::Object(body.clone())) {
            Ok(resource) => resource,
            Err(failure) => return *failure,
        };
        let Some(session) = store.session_mut(id) else {
            return missing("Session", id);
        };
        if let Some(list) = session.json["resources"].as_array_mut() {
            list.push(resource.clone());
        }
        ok(&resource)
    })
}

pub(super) fn list_resources(call: &Call<'_>, id: &str) -> MockResponse {
    let items = call.with(|store| {
        store.session_mut(id).map(|s| {
            s.json["resources"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| (r["id"].as_str().unwrap_or_default().to_owned(), r.clone()))
                .collect::<Vec<_>>()
        })
    });
    match items {
        Some(items) => listed(items, call.query, Cursor::Forward),
        None => missing("Session", id),
    }
}

/// Retrieve (`None`), update (`POST`) or delete (`DELETE`) one resource.
pub(super) fn resource(
    call: &Call<'_>,
    id: &str,
    resource_id: &str,
    method: Option<Method>,
) -> MockResponse {
    let body = match call.body() {
        Ok(body) => body,
        Err(failure) => return *failure,
    };
    call.with(|store| {
        let Some(session) = store.session_mut(id) else {
            return missing("Session", id);
        };
        let Some(list) = session.json["resources"].as_array_mut() else {
            return missing("Session resource", resource_id);
        };
        let Some(at) = list.iter().position(|r| r["id"] == resource_id) else {
            return missing("Session resource", resource_id);
        };
        match method {
            Some(Method::DELETE) => {
                list.remove(at);
                ok(&json!({"id": resource_id, "type": "session_resource_deleted"}))
            }
            Some(_) => {
                if body.get("authorization_token").is_none() {
                    return invalid("authorization_token: Field required");
                }
                list[at]["updated_at"] = json!(now());
                ok(&list[at])
            }
            None => ok(&list[at]),
        }
    })
}
