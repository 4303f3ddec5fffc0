//! What the store does for each kind of endpoint: list, create, update,
//! delete, archive, a single object's read and write, and other actions.

use http::Method;
use serde_json::Value;

use super::admin;
use super::description::{Api, Pagination};
use super::filters::{Filter, Filtered};
use super::list::{self, Sequence};
use super::memories::{Write, is_memories};
use super::projection::Projection;
use super::store::{Store, Stored, USERS};
use super::{Call, Class, invalid, last, parent, synthesize};
use crate::query::Query;
use crate::record::RecordedRequest;
use crate::response::MockResponse;

/// One page of `items`, those `filter` keeps.
fn filtered_page(
    items: &dyn Sequence,
    filter: &Filter,
    style: Pagination,
    request: &RecordedRequest,
) -> MockResponse {
    if filter.is_empty() {
        return list::page(items, style, request);
    }
    list::page(&Filtered { items, filter }, style, request)
}

impl Call<'_> {
    pub(super) fn list(&mut self, template: &str, style: Pagination) -> MockResponse {
        if style == Pagination::Report {
            let t = self.endpoint.response.clone();
            let item = self.synth(&t);
            return admin::report(&item, self.request);
        }
        let query = Query::parse(self.request.query.as_deref());
        let include_archived = query.get("include_archived") == Some("true");
        let filter = match Filter::new(self.api, self.endpoint, &query) {
            Ok(filter) => filter,
            Err(message) => return invalid(message),
        };
        match self.class(template, self.path) {
            Class::Users => {
                let users = admin::Users {
                    api: self.api,
                    store: self.store,
                };
                return filtered_page(&users, &filter, style, self.request);
            }
            Class::Seeded => self.seed(self.path, template),
            _ => {}
        }
        let keys = self
            .store
            .collections
            .get(self.path)
            .cloned()
            .unwrap_or_default();
        let projection = self.projection();
        let stored = Stored {
            store: self.store,
            path: self.path,
            keys: &keys,
            include_archived,
            projection: projection.as_ref(),
        };
        filtered_page(&stored, &filter, style, self.request)
    }

    /// How a stored object is listed when the list's item type is another
    /// object type than the one stored (a summary): an instance of the item
    /// type with the stored object's fields that fit it.
    pub(super) fn projection(&mut self) -> Option<Projection> {
        let t = self.endpoint.response.clone();
        let fields = self.api.fields(&t)?.clone();
        let mut scratch = Store::default();
        let template = synthesize(self.api, &mut scratch, &self.now, &t);
        let kind = template.get("type")?.clone();
        Some(Projection {
            api: self.api,
            kind,
            template,
            fields,
        })
    }

    pub(super) fn create(&mut self, template: &str) -> MockResponse {
        let t = self.endpoint.response.clone();
        let mut object = self.synth(&t);
        self.merge_body(&mut object, &t);
        let key = match object.get("id").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => {
                let param = self.key_param(template);
                let given = param
                    .as_deref()
                    .and_then(|p| object.get(p))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let prefix = param
                    .as_deref()
                    .unwrap_or("obj")
                    .trim_end_matches("_id")
                    .to_owned();
                given.unwrap_or_else(|| self.store.next_id(&prefix))
            }
        };
        self.fill(
            &mut object,
            &t,
            Some(&key),
            template,
            &format!("{}/x", self.path),
        );
        if is_memories(template) {
            self.memory_written(&mut object, Write::Created);
        }
        self.store.insert(self.path, &key, object.clone());
        MockResponse::json(object)
    }

    pub(super) fn update(&mut self, template: &str) -> MockResponse {
        let t = self.endpoint.response.clone();
        let collection = parent(self.path).to_owned();
        let key = last(self.path).to_owned();
        let mut object = match self.object(self.path, template) {
            Some(object) => object,
            // Objects put by id (no create endpoint): created here.
            None if self.class(parent(template), &collection) != Class::Creatable => {
                let mut object = self.synth(&t);
                self.fill(&mut object, &t, Some(&key), parent(template), self.path);
                object
            }
            None => return self.not_found(),
        };
        self.merge_body(&mut object, &t);
        if is_memories(parent(template)) {
            self.memory_written(&mut object, Write::Modified);
        }
        if collection == USERS {
            self.store
                .objects
                .insert(self.path.to_owned(), object.clone());
        } else {
            self.store.insert(&collection, &key, object.clone());
        }
        MockResponse::json(object)
    }

    pub(super) fn delete(&mut self, template: &str) -> MockResponse {
        let Some(mut object) = self.object(self.path, template) else {
            return self.not_found();
        };
        if is_memories(parent(template)) {
            self.memory_written(&mut object, Write::Deleted);
        }
        let collection = parent(self.path).to_owned();
        let key = last(self.path).to_owned();
        if collection == USERS {
            admin::remove_user(self.store, &key);
        } else {
            self.store.remove(&collection, &key);
        }
        let t = self.endpoint.response.clone();
        let mut deleted = self.synth(&t);
        self.fill(&mut deleted, &t, Some(&key), parent(template), self.path);
        MockResponse::json(deleted)
    }

    pub(super) fn archive(&mut self) -> MockResponse {
        let path = parent(self.path).to_owned();
        let Some(Value::Object(mut object)) = self.store.objects.get(&path).cloned() else {
            return self.not_found();
        };
        object.insert("archived_at".into(), self.now.clone().into());
        if object.contains_key("updated_at") {
            object.insert("updated_at".into(), self.now.clone().into());
        }
        let object = Value::Object(object);
        self.store.objects.insert(path, object.clone());
        MockResponse::json(object)
    }

    pub(super) fn singleton(&mut self, write: bool) -> MockResponse {
        let t = self.endpoint.response.clone();
        let mut object = match self.store.objects.get(self.path) {
            Some(object) => object.clone(),
            None => {
                let mut object = self.synth(&t);
                let template = self.endpoint.path.clone();
                self.fill(&mut object, &t, None, &template, self.path);
                object
            }
        };
        if write {
            self.merge_body(&mut object, &t);
        }
        self.store
            .objects
            .insert(self.path.to_owned(), object.clone());
        MockResponse::json(object)
    }

    /// Any other call: on the parent object when the response is of its
    /// type, else a new instance of the response type (kept in the
    /// top-level collection of that type, if there is one).
    pub(super) fn action(&mut self) -> MockResponse {
        let t = self.endpoint.response.clone();
        let mut answer = self.synth(&t);
        let target = parent(self.path).to_owned();
        if let Some(mut object) = self.store.objects.get(&target).cloned()
            && object.get("type").is_some()
            && object.get("type") == answer.get("type")
        {
            self.merge_body(&mut object, &t);
            self.apply_status(&mut object, &t);
            self.store.objects.insert(target, object.clone());
            return MockResponse::json(object);
        }
        let template = self.endpoint.path.clone();
        self.merge_body(&mut answer, &t);
        self.fill(&mut answer, &t, None, &template, self.path);
        let home = self
            .api
            .endpoints
            .iter()
            .find(|e| {
                e.method == Method::GET
                    && e.pagination.is_some()
                    && e.response == t
                    && !e.path.contains('{')
            })
            .map(|e| e.path.clone());
        if let (Some(home), Some(id)) = (home, answer.get("id").and_then(Value::as_str)) {
            let id = id.to_owned();
            self.store.insert(&home, &id, answer.clone());
        }
        MockResponse::json(answer)
    }

    /// `pause` → `paused`, `cancel` → `canceled`, `deny` → `denied`: the
    /// status value the action's name begins, if the type lists one.
    pub(super) fn apply_status(&self, object: &mut Value, t: &Value) {
        let action = last(self.path);
        let stem = action.trim_end_matches(['e', 'y']);
        if stem.len() < 3 {
            return;
        }
        let Some(fields) = self.api.fields(t) else {
            return;
        };
        // `redact` → `redacted_at`, `cancel` → `canceled_at`: when it happened.
        let times = [
            format!("{action}ed_at"),
            format!("{action}d_at"),
            format!("{stem}ied_at"),
        ];
        if let Some(name) = times
            .iter()
            .find(|n| fields.iter().any(|f| f["name"] == n.as_str()))
            && let Some(map) = object.as_object_mut()
        {
            map.insert(name.clone(), self.now.clone().into());
        }
        let Some(field) = fields.iter().find(|f| f["name"] == "status") else {
            return;
        };
        let values = enum_values(self.api, &field["type"]);
        let wanted = if action == "unpause" {
            "active".to_owned()
        } else {
            String::new()
        };
        let chosen = values.iter().find(|v| {
            (!wanted.is_empty() && **v == wanted) || (wanted.is_empty() && v.starts_with(stem))
        });
        if let (Some(value), Some(map)) = (chosen, object.as_object_mut()) {
            map.insert("status".into(), value.clone().into());
        }
    }
}

/// The string values a type expression allows, if it is an enum.
fn enum_values(api: &Api, t: &Value) -> Vec<String> {
    let strings = |v: &Value| {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    if let Some(values) = t.get("literal") {
        return strings(values);
    }
    let def = t
        .get("ref")
        .and_then(Value::as_str)
        .and_then(|id| api.def(id));
    def.map_or_else(Vec::new, |d| strings(&d["values"]))
}
