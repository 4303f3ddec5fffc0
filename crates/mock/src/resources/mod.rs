//! The resource store: every Managed Agents and Admin endpoint of the API
//! description that no hand-written route serves, answered generically
//! from the description (`src/generated/api.json`), so the mock does not
//! grow by hand with each endpoint.
//!
//! An endpoint's role follows from its method and path template:
//!
//! | Template | Method | Does |
//! |---|---|---|
//! | `.../things` (a list) | `GET` | one page, in the endpoint's pagination style |
//! | `.../things` (with a list) | `POST` | creates: an instance of the response type, with the body's fields that fit |
//! | `.../things/{id}` | `GET`, `POST`, `DELETE` | retrieves, updates (merges the body), deletes (the deleted-object shape) |
//! | `.../things/{id}/archive` | `POST` | sets `archived_at`; archived objects leave lists unless `include_archived=true` |
//! | `.../settings` (no list) | `GET`, `POST` | a single object: read, or updated |
//! | anything else | any | an instance of the response type, acting on the parent object when the types match |
//!
//! Nested collections belong to their parent: a missing parent or object
//! is a 404 `not_found_error`. Collections the API offers no way to create
//! hold two generated objects when first read; objects with neither a list
//! nor a create endpoint exist as soon as they are asked for. A request
//! body lacking a required field is a 400 `invalid_request_error` naming it;
//! a `multipart/form-data` body is read as its text fields ([`form`]).
//!
//! Hand-written routes come first: the store only sees requests no
//! [`Route`](crate::Route) resolves, and it leaves the families whose
//! behaviour is written by hand ([`HAND_WRITTEN`](admit::HAND_WRITTEN))
//! alone.
//!
//! On Bedrock's control plane (`/anthropic/v1/memory_stores...`, signed
//! for `bedrock`) the store answers from Bedrock's own endpoints of the
//! description, which need the Managed Agents beta as every Managed Agents
//! call there does; its objects are kept apart from the first-party ones,
//! under their own paths.

mod admin;
mod admit;
mod description;
mod fields;
mod filters;
mod form;
mod list;
mod memories;
mod ops;
mod projection;
mod store;
mod synth;

use std::time::SystemTime;

use http::Method;
use serde_json::Value;

use crate::config::Config;
use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::response::error;
pub(crate) use admin::{admin_refusal, is_admin_path};
use claude_rs_types::error::ErrorType;
use description::{Api, Endpoint, Pagination};
pub(crate) use store::Store;
use store::USERS;
use synth::Synth;

/// A 400 `invalid_request_error`.
fn invalid(message: impl Into<String>) -> MockResponse {
    error(ErrorType::InvalidRequest, message)
}

/// A 404 `not_found_error`.
fn not_found(message: impl Into<String>) -> MockResponse {
    error(ErrorType::NotFound, message)
}

/// The store's answer to a request, if an endpoint of the description
/// serves it ([`admit`] says which, and what is refused first).
pub(crate) fn serve(
    validate: bool,
    store: &mut Store,
    request: &RecordedRequest,
) -> Option<MockResponse> {
    let path = request.path.trim_end_matches('/');
    let api = description::api();
    let endpoint = match admit::endpoint(api, validate, request, path)? {
        Ok(endpoint) => endpoint,
        Err(refused) => return Some(refused),
    };
    let read;
    let request = if endpoint.multipart {
        match form::read(endpoint, request, validate) {
            Ok(form) => {
                read = form;
                &read
            }
            Err(refused) => return Some(*refused),
        }
    } else {
        request
    };
    let mut call = Call {
        api,
        store,
        endpoint,
        request,
        path,
        now: crate::time::rfc3339(SystemTime::now(), "Z"),
    };
    Some(call.answer())
}

/// A new store with the organization seeded.
pub(crate) fn seeded(config: &Config) -> Store {
    let mut store = Store {
        users: config.admin_users,
        ..Store::default()
    };
    admin::seed(description::api(), &mut store);
    store
}

/// What an endpoint does, by its method and template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    List(Pagination),
    Create,
    Retrieve,
    Update,
    Delete,
    Archive,
    Read,
    Write,
    Binary,
    Action,
}

/// How objects of a collection come to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Created by `POST` on the collection.
    Creatable,
    /// Listed, not created through the API: two generated objects.
    Seeded,
    /// Neither listed nor created: any id exists when asked for.
    Open,
    /// The organization's users.
    Users,
}

/// One request being answered.
struct Call<'a> {
    api: &'static Api,
    store: &'a mut Store,
    endpoint: &'a Endpoint,
    request: &'a RecordedRequest,
    path: &'a str,
    now: String,
}

/// The parent of a path or template (`/a/b` → `/a`).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(head, _)| head)
}

/// The last segment of a path.
fn last(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, tail)| tail)
}

impl Call<'_> {
    fn answer(&mut self) -> MockResponse {
        let template = self.endpoint.path.clone();
        let op = self.op();
        // Every object the path goes through must exist.
        let own = matches!(op, Op::Retrieve | Op::Update | Op::Delete);
        if let Some(missing) = self.missing_ancestor(&template, own) {
            return not_found(format!("{missing} not found"));
        }
        match op {
            Op::List(style) => self.list(&template, style),
            Op::Create => self.create(&template),
            Op::Retrieve => match self.object(self.path, &template) {
                Some(object) => MockResponse::json(object),
                None => self.not_found(),
            },
            Op::Update => self.update(&template),
            Op::Delete => self.delete(&template),
            Op::Archive => self.archive(),
            Op::Read | Op::Write => self.singleton(op == Op::Write),
            Op::Binary => MockResponse::raw("application/octet-stream", EMPTY_ZIP.to_vec()),
            Op::Action => self.action(),
        }
    }

    fn op(&self) -> Op {
        let e = self.endpoint;
        let t = &e.path;
        if e.response == "binary" {
            return Op::Binary;
        }
        let listed = |template: &str| {
            self.api
                .at(&Method::GET, template)
                .is_some_and(|g| g.pagination.is_some())
        };
        match (&e.method, e.ends_with_param()) {
            (&Method::GET, _) if e.pagination.is_some() => {
                Op::List(e.pagination.unwrap_or(Pagination::Cursor))
            }
            (&Method::GET, true) => Op::Retrieve,
            (&Method::GET, false) => Op::Read,
            (&Method::POST, true) => Op::Update,
            (&Method::DELETE, true) => Op::Delete,
            (&Method::POST, false) if listed(t) => Op::Create,
            (&Method::POST, false) if self.api.at(&Method::GET, t).is_some() => Op::Write,
            (&Method::POST, false) if last(t) == "archive" => Op::Archive,
            _ => Op::Action,
        }
    }

    fn class(&self, collection_template: &str, collection_path: &str) -> Class {
        if collection_path == USERS {
            return Class::Users;
        }
        let listed = self
            .api
            .at(&Method::GET, collection_template)
            .is_some_and(|g| g.pagination.is_some());
        let created = self.api.at(&Method::POST, collection_template).is_some();
        match (listed, created) {
            (true, true) => Class::Creatable,
            (true, false) => Class::Seeded,
            _ => Class::Open,
        }
    }

    /// The first object above the request's target that does not exist;
    /// with `own`, the template's last parameter is the target itself.
    fn missing_ancestor(&mut self, template: &str, own: bool) -> Option<String> {
        let segments: Vec<&str> = description::split(template).collect();
        let parts: Vec<&str> = description::split(self.path).collect();
        let mut end = segments.len();
        if own {
            end = end.saturating_sub(1);
        }
        for i in 0..end {
            if segments[i].starts_with('{') {
                let object_template = format!("/{}", segments[..=i].join("/"));
                let object_path = format!("/{}", parts[..=i].join("/"));
                if self.object(&object_path, &object_template).is_none() {
                    return Some(object_path);
                }
            }
        }
        None
    }

    /// The object at `path`, made to exist where its collection's class
    /// says it does.
    fn object(&mut self, path: &str, template: &str) -> Option<Value> {
        let collection = parent(path);
        let key = last(path);
        match self.class(parent(template), collection) {
            Class::Users => admin::user(self.api, self.store, key),
            _ if self.store.objects.contains_key(path) => self.store.objects.get(path).cloned(),
            Class::Creatable => None,
            Class::Seeded => {
                self.seed(collection, parent(template));
                self.store.objects.get(path).cloned()
            }
            Class::Open => {
                // A path with no endpoint of its own (a provider's project):
                // nothing to keep.
                let Some(t) = self.item_type(parent(template)) else {
                    return Some(Value::Object(serde_json::Map::new()));
                };
                let mut object = self.synth(&t);
                self.fill(&mut object, &t, Some(key), parent(template), path);
                self.store.insert(collection, key, object.clone());
                Some(object)
            }
        }
    }

    /// The type of a collection's objects.
    fn item_type(&self, collection_template: &str) -> Option<Value> {
        let item = format!("{collection_template}/{{");
        self.api
            .endpoints
            .iter()
            .find(|e| {
                e.method == Method::GET
                    && e.path.starts_with(&item)
                    && e.ends_with_param()
                    && parent(&e.path) == collection_template
            })
            .or_else(|| self.api.at(&Method::POST, collection_template))
            .or_else(|| self.api.at(&Method::GET, collection_template))
            .map(|e| e.response.clone())
    }

    /// The name of the parameter naming a collection's objects.
    fn key_param(&self, collection_template: &str) -> Option<String> {
        self.api
            .endpoints
            .iter()
            .filter(|e| parent(&e.path) == collection_template)
            .find_map(|e| e.last_param().map(str::to_owned))
    }

    fn synth(&mut self, t: &Value) -> Value {
        synthesize(self.api, self.store, &self.now, t)
    }

    /// Fills a listed-only collection with its first objects, once.
    fn seed(&mut self, collection: &str, collection_template: &str) {
        if !self.store.seeded.insert(collection.to_owned()) {
            return;
        }
        let Some(t) = self.item_type(collection_template) else {
            return;
        };
        for _ in 0..SEEDED {
            let mut object = self.synth(&t);
            let key = object
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    let param = self.key_param(collection_template).unwrap_or_default();
                    self.store.next_id(param.trim_end_matches("_id"))
                });
            self.fill(
                &mut object,
                &t,
                Some(&key),
                collection_template,
                &format!("{collection}/x"),
            );
            self.store.insert(collection, &key, object);
        }
    }

    fn not_found(&self) -> MockResponse {
        not_found(format!("{} not found", self.path))
    }
}

/// An instance of `t`, ids counted by the store.
pub(crate) fn synthesize(api: &Api, store: &mut Store, now: &str, t: &Value) -> Value {
    let mut next = |prefix: &str| store.next_id(prefix);
    Synth {
        api,
        now,
        next_id: &mut next,
    }
    .value(t)
}

/// How many objects a listed-only collection starts with.
const SEEDED: usize = 2;

/// An empty ZIP archive (the end-of-central-directory record alone).
const EMPTY_ZIP: [u8; 22] = [
    0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];
