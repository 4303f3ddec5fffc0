//! Values of the description's types: a valid instance of any response
//! type (every required field, `type` constants, ids with the resource's
//! prefix, RFC 3339 timestamps, a listed enum value), and the check that a
//! value a request sent fits a field's type before it is kept.

use serde_json::{Map, Value};

use super::description::Api;

/// How deep nested objects are written out; beyond, objects are `{}`.
const MAX_DEPTH: usize = 12;

/// The prefix of a resource's ids, by its `type` constant, where the API's
/// own is known; others use the constant itself.
const PREFIXES: [(&str, &str); 26] = [
    ("agent", "agent"),
    ("api_key", "apikey"),
    ("compliance_review_case", "rvc"),
    ("deployment", "depl"),
    ("deployment_run", "deplrun"),
    ("dream", "drm"),
    ("environment", "env"),
    ("external_key", "ekey"),
    ("external_storage", "estrg"),
    ("federation_issuer", "fdis"),
    ("federation_rule", "fdrl"),
    ("invite", "invite"),
    ("memory", "mem"),
    ("memory_store", "memstore"),
    ("memory_version", "memver"),
    ("rbac_group", "group"),
    ("service_account", "svac"),
    ("session", "sesn"),
    ("slack_channel", "chan"),
    ("telemetry_destination", "tdst"),
    ("tunnel", "tnl"),
    ("tunnel_certificate", "tcrt"),
    ("user", "user"),
    ("user_profile", "uprof"),
    ("vault", "vlt"),
    ("vault_credential", "vcrd"),
];

/// The id prefix of objects whose `type` is `kind`.
pub(crate) fn prefix(kind: &str) -> &str {
    if kind == "workspace" {
        return "wrkspc";
    }
    PREFIXES
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(kind, |(_, p)| p)
}

/// Writes instances of types; ids come from `next_id` (given a prefix).
pub(crate) struct Synth<'a> {
    pub(crate) api: &'a Api,
    /// The timestamp written for every date-time.
    pub(crate) now: &'a str,
    pub(crate) next_id: &'a mut dyn FnMut(&str) -> String,
}

impl Synth<'_> {
    /// A valid instance of the type expression `t`.
    pub(crate) fn value(&mut self, t: &Value) -> Value {
        self.of(t, "", "", 0)
    }

    fn of(&mut self, t: &Value, field: &str, owner: &str, depth: usize) -> Value {
        match t {
            Value::String(name) => self.scalar(name, field, owner),
            Value::Object(o) => {
                if let Some(id) = o.get("ref").and_then(Value::as_str) {
                    return self.named(id, field, owner, depth);
                }
                if o.contains_key("array") || o.contains_key("jsonl") {
                    return Value::Array(Vec::new());
                }
                if o.contains_key("map") {
                    return Value::Object(Map::new());
                }
                if let Some(values) = o.get("literal").and_then(Value::as_array) {
                    return values.first().cloned().unwrap_or(Value::Null);
                }
                if let Some(members) = o.get("union").and_then(Value::as_array) {
                    let member = members
                        .iter()
                        .find(|m| m.as_str() != Some("null"))
                        .or(members.first());
                    return member.map_or(Value::Null, |m| self.of(m, field, owner, depth));
                }
                Value::Null
            }
            _ => Value::Null,
        }
    }

    fn named(&mut self, id: &str, field: &str, owner: &str, depth: usize) -> Value {
        let Some(def) = self.api.def(id) else {
            return Value::Object(Map::new());
        };
        match def["kind"].as_str() {
            Some("object") if depth < MAX_DEPTH => self.object(def, depth + 1),
            Some("object") => Value::Object(Map::new()),
            Some("enum") => def["values"]
                .as_array()
                .and_then(|v| v.first())
                .cloned()
                .unwrap_or_else(|| "mock".into()),
            Some("union") => {
                let member = def["members"]
                    .as_array()
                    .and_then(|m| m.first())
                    .map(|m| m["type"].clone());
                member.map_or(Value::Null, |m| self.of(&m, field, owner, depth))
            }
            Some("alias") => self.of(&def["type"].clone(), field, owner, depth),
            _ => Value::Null,
        }
    }

    fn object(&mut self, def: &Value, depth: usize) -> Value {
        let fields = def["fields"].as_array().cloned().unwrap_or_default();
        let kind = fields
            .iter()
            .find(|f| f["name"] == "type")
            .and_then(|f| f["type"]["literal"].as_array())
            .and_then(|v| v.first())
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let mut out = Map::new();
        for field in &fields {
            let Some(name) = field["name"].as_str() else {
                continue;
            };
            let required = field["required"] == true;
            let nullable = field["nullable"] == true;
            let value = if required && !nullable {
                self.of(&field["type"], name, &kind, depth)
            } else if nullable {
                Value::Null
            } else {
                continue;
            };
            out.insert(name.to_owned(), value);
        }
        Value::Object(out)
    }

    fn scalar(&mut self, name: &str, field: &str, owner: &str) -> Value {
        match name {
            "string" => self.string(field, owner).into(),
            "integer" => 0.into(),
            "number" => 0.0.into(),
            // Every object the mock holds was made by its caller.
            "boolean" => (field == "created_by_me").into(),
            "datetime" => self.now.into(),
            "date" => self.now.get(..10).unwrap_or("2026-01-01").into(),
            "any" | "object" => Value::Object(Map::new()),
            "null" => Value::Null,
            _ => "".into(),
        }
    }

    fn string(&mut self, field: &str, owner: &str) -> String {
        match field {
            "id" if owner == "organization" => ORGANIZATION_ID.to_owned(),
            "id" => (self.next_id)(prefix(if owner.is_empty() { "obj" } else { owner })),
            "email" => "user@example.com".to_owned(),
            "name" | "display_name" | "title" => format!("mock {}", owner.replace('_', " ")),
            "description" | "instructions" => String::new(),
            _ if field.ends_with("_url") || field == "url" => "https://example.com/mock".to_owned(),
            _ if field.ends_with("_id") => {
                format!("{}_mock_000000", prefix(field.trim_end_matches("_id")))
            }
            _ => "mock".to_owned(),
        }
    }
}

/// The mock organization's id.
pub(crate) const ORGANIZATION_ID: &str = "00000000-0000-4000-8000-000000000001";

/// Whether `value` fits the type expression `t` (loosely: objects are
/// checked to be objects, not field by field).
pub(crate) fn fits(api: &Api, value: &Value, t: &Value) -> bool {
    match t {
        Value::String(name) => match name.as_str() {
            "string" | "datetime" | "date" | "binary" | "file" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            "object" => value.is_object(),
            _ => true,
        },
        Value::Object(o) => {
            if let Some(id) = o.get("ref").and_then(Value::as_str) {
                return fits_named(api, value, id);
            }
            if let Some(inner) = o.get("array").or(o.get("jsonl")) {
                return value
                    .as_array()
                    .is_some_and(|a| a.iter().all(|v| fits(api, v, inner)));
            }
            if let Some(inner) = o.get("map") {
                return value
                    .as_object()
                    .is_some_and(|m| m.values().all(|v| fits(api, v, inner)));
            }
            if let Some(values) = o.get("literal").and_then(Value::as_array) {
                return values.contains(value);
            }
            if let Some(members) = o.get("union").and_then(Value::as_array) {
                return members.iter().any(|m| fits(api, value, m));
            }
            false
        }
        _ => false,
    }
}

fn fits_named(api: &Api, value: &Value, id: &str) -> bool {
    let Some(def) = api.def(id) else {
        return true;
    };
    match def["kind"].as_str() {
        Some("object") => value.is_object(),
        Some("enum") => {
            value.is_string()
                && (def["open"] == true
                    || def["values"].as_array().is_some_and(|v| v.contains(value)))
        }
        Some("union") => def["members"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| fits(api, value, &m["type"])),
        Some("alias") => fits(api, value, &def["type"]),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::super::description::api;
    use super::*;
    use serde_json::json;

    #[test]
    fn instances_have_required_fields_constants_and_prefixed_ids() {
        let mut n = 0;
        let mut next = |p: &str| {
            n += 1;
            format!("{p}_mock_{n:06}")
        };
        let mut synth = Synth {
            api: api(),
            now: "2026-01-01T00:00:00Z",
            next_id: &mut next,
        };
        let store = synth.value(&json!({"ref": "BetaManagedAgentsMemoryStore"}));
        assert_eq!(store["type"], "memory_store");
        assert_eq!(store["id"], "memstore_mock_000001");
        assert_eq!(store["created_at"], "2026-01-01T00:00:00Z");
        assert_eq!(store["archived_at"], Value::Null);
        assert!(store["metadata"].is_object());
        let workspace = synth.value(&json!({"ref": "BetaWorkspace"}));
        assert_eq!(workspace["id"], "wrkspc_mock_000002");
        assert!(workspace["data_residency"].is_object());
    }

    #[test]
    fn fits_follows_types() {
        let api = api();
        let role = json!({"ref": "BetaWorkspaceMember"});
        assert!(fits(api, &json!({}), &role));
        assert!(!fits(api, &json!("x"), &role));
        assert!(fits(api, &json!(["a"]), &json!({"array": "string"})));
        assert!(!fits(api, &json!([1]), &json!({"array": "string"})));
        assert!(fits(api, &json!("a"), &json!({"literal": ["a"]})));
        assert!(!fits(api, &json!(1.5), &json!("integer")));
    }
}
