//! What the resource store keeps: objects by their path
//! (`/v1/vaults/vlt_mock_000001`), the keys of each collection in creation
//! order, and the organization's users, generated from their index until
//! one is changed or removed.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::list::Sequence;

/// The collection of the organization's users.
pub(crate) const USERS: &str = "/v1/organizations/users";

/// The resources the store holds.
#[derive(Debug, Default)]
pub(crate) struct Store {
    /// Every object, by path.
    pub(crate) objects: HashMap<String, Value>,
    /// The keys of each collection, oldest first.
    pub(crate) collections: HashMap<String, Vec<String>>,
    /// Collections filled with their first objects already (or that need
    /// none).
    pub(crate) seeded: HashSet<String>,
    /// Generated users removed.
    pub(crate) removed_users: HashSet<usize>,
    /// How many users the organization has (generated from their index).
    pub(crate) users: usize,
    /// The counter of ids per prefix.
    pub(crate) counters: HashMap<String, u64>,
}

impl Store {
    /// A new id: `<prefix>_mock_<n>`, counted per prefix.
    pub(crate) fn next_id(&mut self, prefix: &str) -> String {
        let n = self.counters.entry(prefix.to_owned()).or_default();
        *n += 1;
        format!("{prefix}_mock_{n:06}")
    }

    /// Adds an object to its collection (its path's parent).
    pub(crate) fn insert(&mut self, collection: &str, key: &str, object: Value) {
        let path = format!("{collection}/{key}");
        if self.objects.insert(path, object).is_none() {
            self.collections
                .entry(collection.to_owned())
                .or_default()
                .push(key.to_owned());
        }
    }

    /// Removes an object and everything below it.
    pub(crate) fn remove(&mut self, collection: &str, key: &str) {
        let path = format!("{collection}/{key}");
        self.objects.remove(&path);
        if let Some(keys) = self.collections.get_mut(collection) {
            keys.retain(|k| k != key);
        }
        let below = format!("{path}/");
        self.objects.retain(|p, _| !p.starts_with(&below));
        self.collections.retain(|p, _| !p.starts_with(&below));
    }
}

/// A stored collection, newest first; archived objects are listed only
/// when asked for.
pub(crate) struct Stored<'a> {
    pub(crate) store: &'a Store,
    pub(crate) path: &'a str,
    pub(crate) keys: &'a [String],
    pub(crate) include_archived: bool,
    /// How objects are listed, when not as stored.
    pub(crate) projection: Option<&'a super::projection::Projection>,
}

impl Sequence for Stored<'_> {
    fn len(&self) -> usize {
        self.keys.len()
    }

    fn key(&self, at: usize) -> String {
        self.keys[self.keys.len() - 1 - at].clone()
    }

    fn item(&self, at: usize) -> Option<Value> {
        let key = self.keys.get(self.keys.len().checked_sub(at + 1)?)?;
        let object = self.store.objects.get(&format!("{}/{key}", self.path))?;
        let archived = object.get("archived_at").is_some_and(|a| !a.is_null());
        if !self.include_archived && archived {
            return None;
        }
        Some(match self.projection {
            Some(projection) => projection.apply(object.clone()),
            None => object.clone(),
        })
    }

    fn position(&self, key: &str) -> Option<usize> {
        let at = self.keys.iter().position(|k| k == key)?;
        Some(self.keys.len() - 1 - at)
    }
}
