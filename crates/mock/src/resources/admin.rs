//! The Admin API's organization: who may call it (an admin key), the
//! organization seeded with workspaces, members, API keys and invites, its
//! users generated from their index (so a hundred thousand cost nothing
//! until one is changed), and the usage and cost reports' time buckets.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use claude_rs_types::datetime::{Date, Timestamp};
use claude_rs_types::error::ErrorType;
use serde_json::{Value, json};

use super::description::Api;
use super::invalid;
use super::list::{self, Sequence};
use super::store::{Store, USERS};
use super::synth::ORGANIZATION_ID;
use super::synthesize;
use crate::query::Query;
use crate::record::RecordedRequest;
use crate::response::{MockResponse, error};
use crate::time::rfc3339;

/// Where the Admin API lives.
const ADMIN_PREFIX: &str = "/v1/organizations/";

/// How admin keys begin.
const ADMIN_KEY_PREFIX: &str = "sk-ant-admin";

/// When the seeded objects were made (2026-01-01T00:00:00Z).
const SEEDED_AT: u64 = 1_767_225_600;

/// Whether `path` is an Admin API path.
pub(crate) fn is_admin_path(path: &str) -> bool {
    path.starts_with(ADMIN_PREFIX)
}

/// The refusal of an Admin API request without an admin key: 401
/// `authentication_error` without a key (or with another key than the one
/// the mock was given), 403 `permission_error` with a key that is not an
/// admin key. The key is read from `x-api-key` or `Authorization: Bearer`
/// (the official Python SDK sends the latter).
pub(crate) fn admin_refusal(
    expected: Option<&str>,
    request: &RecordedRequest,
) -> Option<MockResponse> {
    let bearer = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(key) = request.header("x-api-key").or(bearer) else {
        return Some(error(
            ErrorType::Authentication,
            "x-api-key header is required",
        ));
    };
    if expected.is_some_and(|expected| expected != key) {
        return Some(error(ErrorType::Authentication, "invalid x-api-key"));
    }
    if !key.starts_with(ADMIN_KEY_PREFIX) {
        return Some(error(
            ErrorType::Permission,
            "The Admin API requires an admin API key (sk-ant-admin...)",
        ));
    }
    None
}

fn at(secs: u64) -> String {
    rfc3339(UNIX_EPOCH + Duration::from_secs(secs), "Z")
}

/// The organization's users are generated; these roles take turns.
const ROLES: [&str; 3] = ["user", "developer", "billing"];

/// The id of the user at `index` (0-based).
fn user_id(index: usize) -> String {
    format!("user_mock_{:06}", index + 1)
}

/// The index of a generated user's id.
fn user_index(store: &Store, id: &str) -> Option<usize> {
    let n: usize = id.strip_prefix("user_mock_")?.parse().ok()?;
    (1..=store.users).contains(&n).then(|| n - 1)
}

fn generated_user(index: usize) -> Value {
    let n = index + 1;
    json!({
        "id": user_id(index),
        "type": "user",
        "email": format!("user{n}@example.com"),
        "name": format!("Mock User {n}"),
        "role": if index == 0 { "admin" } else { ROLES[index % ROLES.len()] },
        "added_at": at(SEEDED_AT + index as u64),
    })
}

/// The user with `id`, as changed if it was.
pub(crate) fn user(_api: &Api, store: &Store, id: &str) -> Option<Value> {
    let index = user_index(store, id)?;
    if store.removed_users.contains(&index) {
        return None;
    }
    let path = format!("{USERS}/{id}");
    Some(
        store
            .objects
            .get(&path)
            .cloned()
            .unwrap_or_else(|| generated_user(index)),
    )
}

/// Removes a user from the organization.
pub(crate) fn remove_user(store: &mut Store, id: &str) {
    if let Some(index) = user_index(store, id) {
        store.removed_users.insert(index);
        store.objects.remove(&format!("{USERS}/{id}"));
    }
}

/// The users in list order (by index).
pub(crate) struct Users<'a> {
    pub(crate) api: &'a Api,
    pub(crate) store: &'a Store,
}

impl Sequence for Users<'_> {
    fn len(&self) -> usize {
        self.store.users
    }

    fn key(&self, at: usize) -> String {
        user_id(at)
    }

    fn item(&self, at: usize) -> Option<Value> {
        user(self.api, self.store, &user_id(at))
    }

    fn position(&self, key: &str) -> Option<usize> {
        user_index(self.store, key)
    }
}

/// Seeds the organization: itself, three workspaces (the last archived),
/// members of the first, three API keys and two invites.
pub(crate) fn seed(api: &Api, store: &mut Store) {
    let now = at(SEEDED_AT);
    store.objects.insert(
        "/v1/organizations/me".to_owned(),
        json!({"id": ORGANIZATION_ID, "type": "organization", "name": "claude-rs mock organization"}),
    );
    let make = |store: &mut Store, collection: &str, set: Value| -> Option<String> {
        let t = api
            .at(&http::Method::GET, &template(collection))?
            .response
            .clone();
        let mut object = synthesize(api, store, &now, &t);
        if let (Some(map), Value::Object(set)) = (object.as_object_mut(), set) {
            map.extend(set);
        }
        let key = object
            .get("id")
            .or_else(|| object.get("user_id"))
            .and_then(Value::as_str)?
            .to_owned();
        store.insert(collection, &key, object);
        store.seeded.insert(collection.to_owned());
        Some(key)
    };
    let mut workspaces = Vec::new();
    for (name, color, archived) in [
        ("Production", "#3b82f6", false),
        ("Staging", "#10b981", false),
        ("Old experiments", "#6b7280", true),
    ] {
        let archived_at = if archived { json!(now) } else { Value::Null };
        let set = json!({"name": name, "display_color": color, "archived_at": archived_at});
        workspaces.extend(make(store, "/v1/organizations/workspaces", set));
    }
    if let Some(first) = workspaces.first() {
        let members = format!("/v1/organizations/workspaces/{first}/members");
        let roles = ["workspace_admin", "workspace_developer", "workspace_user"];
        for (index, role) in roles.iter().enumerate().take(store.users) {
            let set =
                json!({"user_id": user_id(index), "workspace_id": first, "workspace_role": role});
            make(store, &members, set);
        }
    }
    for (index, name) in ["ci", "production backend", "notebook"].iter().enumerate() {
        let workspace = workspaces.get(index % 2).cloned();
        let set = json!({
            "name": name,
            "status": "active",
            "workspace_id": workspace,
            "partial_key_hint": format!("sk-ant-api03-...{index:04}"),
            "created_by": {"id": user_id(0), "type": "user"},
        });
        make(store, "/v1/organizations/api_keys", set);
    }
    for (index, email) in ["new.hire@example.com", "contractor@example.com"]
        .iter()
        .enumerate()
    {
        let role = ROLES[index % ROLES.len()];
        let set = json!({"email": email, "role": role, "status": "pending",
            "expires_at": at(SEEDED_AT + 21 * 86_400)});
        make(store, "/v1/organizations/invites", set);
    }
}

/// The template of a concrete collection path (`{workspace_id}` for ids).
fn template(path: &str) -> String {
    let mut parts: Vec<String> = path.split('/').map(str::to_owned).collect();
    if parts.len() > 5 && parts[3] == "workspaces" {
        parts[4] = "{workspace_id}".to_owned();
    }
    parts.join("/")
}

/// One page of a usage or cost report: buckets of `bucket_width` (or
/// `time_bucket_width`: `1m`, `1h`, `1d`; default `1d`) from `starting_at`
/// (default: seven buckets before `ending_at`) to `ending_at` (default:
/// now), each an instance of the report's item with its bucket's bounds and
/// deterministic figures; `limit` buckets a page (default 7, 24 or 60 by
/// width), the next page's cursor in `next_page`. The last page says
/// `has_more: false` and still carries a `next_page` (where the report
/// ends), as the API's reports may: a client must stop on `has_more`.
pub(crate) fn report(item: &Value, request: &RecordedRequest) -> MockResponse {
    let query = Query::parse(request.query.as_deref());
    let width_name = query
        .get("bucket_width")
        .or(query.get("time_bucket_width"))
        .unwrap_or("1d");
    let (width, default_limit, max_limit) = match width_name {
        "1m" => (60, 60, 1440),
        "1h" => (3600, 24, 168),
        "1d" => (86_400, 7, 31),
        other => {
            return invalid(format!(
                "bucket_width: Input should be '1m', '1h' or '1d', got '{other}'"
            ));
        }
    };
    let limit = match list::limit(request, default_limit, max_limit) {
        Ok(limit) => limit as u64,
        Err(message) => return invalid(message),
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let parse = |name: &str| match query.get(name) {
        None => Ok(None),
        Some(raw) => parse_time(raw)
            .map(Some)
            .ok_or_else(|| format!("{name}: Input should be a valid datetime")),
    };
    let ending = match parse("ending_at") {
        Ok(ending) => ending.unwrap_or(now - now % width + width),
        Err(message) => return invalid(message),
    };
    let starting = match parse("starting_at") {
        Ok(starting) => starting.unwrap_or(ending.saturating_sub(7 * width)),
        Err(message) => return invalid(message),
    };
    let starting = starting - starting % width;
    let start = match query.get("page").filter(|p| !p.is_empty()) {
        None => starting,
        Some(page) => match page
            .strip_prefix("page_")
            .and_then(|s| s.parse::<u64>().ok())
        {
            Some(at) if at >= starting => at,
            _ => return invalid("page: Invalid page cursor"),
        },
    };
    let mut data = Vec::new();
    let mut bucket = start;
    while bucket < ending && (data.len() as u64) < limit {
        data.push(bucket_item(item, bucket, bucket + width));
        bucket += width;
    }
    let more = bucket < ending;
    MockResponse::json(json!({
        "data": data,
        "has_more": more,
        "next_page": format!("page_{bucket}"),
    }))
}

/// The report item for one bucket: its bounds set, one result in each
/// list, figures from the bucket's start.
fn bucket_item(item: &Value, start: u64, end: u64) -> Value {
    let mut item = item.clone();
    if let Some(map) = item.as_object_mut() {
        for (name, time) in [("starting_at", start), ("ending_at", end)] {
            if map.contains_key(name) {
                map.insert(name.to_owned(), at(time).into());
            }
        }
    }
    figures(&mut item, start / 60 % 997);
    item
}

/// Replaces zeros with figures derived from `seed`.
fn figures(value: &mut Value, seed: u64) {
    match value {
        Value::Number(n) if n.as_u64() == Some(0) => *value = json!(100 + seed * 7 % 900),
        Value::Number(n) if n.as_f64() == Some(0.0) => {
            *value = json!(((seed * 13) % 500) as f64 / 100.0)
        }
        Value::Array(items) => items.iter_mut().for_each(|v| figures(v, seed)),
        Value::Object(map) => map.values_mut().for_each(|v| figures(v, seed)),
        _ => {}
    }
}

/// Seconds since the epoch of an RFC 3339 date-time or a `YYYY-MM-DD`
/// date (its midnight, UTC); `None` for anything else or before 1970.
pub(super) fn parse_time(raw: &str) -> Option<u64> {
    let seconds = match Timestamp::parse(raw) {
        Ok(at) => at.unix_seconds(),
        Err(_) => Date::parse(raw).ok()?.days_since_epoch() * 86_400,
    };
    u64::try_from(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse() {
        assert_eq!(parse_time("2026-01-01T00:00:00Z"), Some(SEEDED_AT));
        assert_eq!(parse_time("2026-01-01"), Some(SEEDED_AT));
        assert_eq!(
            parse_time("2026-01-01T01:00:00.5+00:00"),
            Some(SEEDED_AT + 3600)
        );
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time("2026-13-01"), None);
    }
}
