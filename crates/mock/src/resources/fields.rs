//! What an object takes from its path and from a request's body: the
//! key and the parameters its path names, then the body's fields that fit
//! its type (`updated_at` set on every write).

use serde_json::Value;

use super::synth::fits;
use super::{Call, description};

impl Call<'_> {
    /// Sets an object's key and the fields its path names (`vault_id`),
    /// then the body's fields that fit its type (not `id`, not `type`).
    pub(super) fn fill(
        &mut self,
        object: &mut Value,
        t: &Value,
        key: Option<&str>,
        collection_template: &str,
        path: &str,
    ) {
        let fields = self.api.fields(t).cloned().unwrap_or_default();
        let Some(map) = object.as_object_mut() else {
            return;
        };
        let has = |name: &str| fields.iter().any(|f| f["name"] == name);
        // The path's parameters: those of the collection, from this path.
        let names = description::split(collection_template)
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')));
        let values = description::split(path).collect::<Vec<_>>();
        let segments: Vec<&str> = description::split(collection_template).collect();
        for (name, value) in names.zip(
            segments
                .iter()
                .enumerate()
                .filter(|(_, s)| s.starts_with('{'))
                .filter_map(|(i, _)| values.get(i)),
        ) {
            if has(name) {
                map.insert(name.to_owned(), Value::from(*value));
            }
        }
        if let Some(key) = key {
            let key_field = if has("id") {
                Some("id".to_owned())
            } else {
                self.key_param(collection_template).filter(|p| has(p))
            };
            let field_type = |name: &str| {
                fields
                    .iter()
                    .find(|f| f["name"] == name)
                    .map(|f| f["type"].clone())
            };
            if let Some(field) = key_field {
                let key = Value::from(key);
                if field_type(&field).is_some_and(|t| fits(self.api, &key, &t)) {
                    map.insert(field, key);
                }
            }
        }
    }

    /// Copies the request body's fields that fit the type into `object`.
    pub(super) fn merge_body(&self, object: &mut Value, t: &Value) {
        let fields = self.api.fields(t).cloned().unwrap_or_default();
        let (Some(map), Some(Value::Object(body))) = (object.as_object_mut(), &self.request.json)
        else {
            return;
        };
        for field in &fields {
            let Some(name) = field["name"].as_str() else {
                continue;
            };
            if name == "id" || name == "type" {
                continue;
            }
            if let Some(value) = body.get(name) {
                let null_ok = value.is_null() && field["nullable"] == true;
                if null_ok || fits(self.api, value, &field["type"]) {
                    map.insert(name.to_owned(), value.clone());
                }
            }
        }
        if map.contains_key("updated_at") {
            map.insert("updated_at".into(), self.now.clone().into());
        }
    }
}
