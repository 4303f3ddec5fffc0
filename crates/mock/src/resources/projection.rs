//! Objects listed in the list's own item type, when it is another type
//! than the one stored (a summary of it): another `type`, or the same one
//! lacking a field the item type requires (Bedrock's memory store list
//! item says `created_by_me`).

use serde_json::Value;

use super::description::Api;
use super::synth::fits;

/// The list's item type, to list objects of another type by.
pub(crate) struct Projection {
    pub(super) api: &'static Api,
    pub(super) kind: Value,
    pub(super) template: Value,
    pub(super) fields: Vec<Value>,
}

impl Projection {
    /// `object` as the list's item type, if it is of another type.
    pub(crate) fn apply(&self, object: Value) -> Value {
        let complete = self.fields.iter().all(|f| {
            f["required"] != true || f["name"].as_str().is_some_and(|n| object.get(n).is_some())
        });
        if object.get("type") == Some(&self.kind) && complete {
            return object;
        }
        let mut out = self.template.clone();
        if let (Some(map), Some(from)) = (out.as_object_mut(), object.as_object()) {
            for field in &self.fields {
                let Some(name) = field["name"].as_str() else {
                    continue;
                };
                match from.get(name) {
                    Some(v) if name != "type" && fits(self.api, v, &field["type"]) => {
                        map.insert(name.to_owned(), v.clone());
                    }
                    _ => {}
                }
            }
        }
        out
    }
}
