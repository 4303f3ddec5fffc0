//! Where Managed Agents memory semantics matter: each write of a memory
//! (create, update, delete) records a memory version in its store's
//! `memory_versions`, the memory points at its latest version, and its
//! content's size and SHA-256 are those of the content written. The same
//! on Bedrock's control plane, whose versions are of its own type (the
//! response type of its `memory_versions` list).

use http::Method;
use ring::digest;
use serde_json::{Value, json};

use super::Call;
use super::description::unbased;
use super::store::Store;

/// The template of a store's memories.
const MEMORIES: &str = "/v1/memory_stores/{memory_store_id}/memories";

/// The template of a store's memory versions.
const VERSIONS: &str = "/v1/memory_stores/{memory_store_id}/memory_versions";

/// Whether a collection template is a store's memories (on any platform).
pub(crate) fn is_memories(collection_template: &str) -> bool {
    unbased(collection_template) == MEMORIES
}

/// What a write did to a memory.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Write {
    Created,
    Modified,
    Deleted,
}

impl Call<'_> {
    /// Records a version of `memory` (as written) after `write`, and sets
    /// the memory's content figures and latest version.
    pub(super) fn memory_written(&mut self, memory: &mut Value, write: Write) {
        let (Some(store_id), Some(memory_id)) = (
            memory["memory_store_id"].as_str().map(str::to_owned),
            memory["id"].as_str().map(str::to_owned),
        ) else {
            return;
        };
        let base = self.endpoint.base();
        let Some(t) = self
            .api
            .at(&Method::GET, &format!("{base}{VERSIONS}"))
            .map(|list| list.response.clone())
        else {
            return;
        };
        let versions = format!("{base}{}", VERSIONS.replace("{memory_store_id}", &store_id));
        let mut version = self.synth(&t);
        let content = memory["content"].as_str().map(str::to_owned);
        let (size, sha) = figures(content.as_deref().unwrap_or_default());
        let operation = match write {
            Write::Created => "created",
            Write::Modified => "modified",
            Write::Deleted => "deleted",
        };
        if let Some(map) = version.as_object_mut() {
            map.insert("memory_id".into(), memory_id.into());
            map.insert("memory_store_id".into(), store_id.into());
            map.insert("operation".into(), operation.into());
            map.insert("path".into(), memory["path"].clone());
            if !matches!(write, Write::Deleted) {
                map.insert("content".into(), json!(content));
                map.insert("content_size_bytes".into(), size.into());
                map.insert("content_sha256".into(), sha.clone().into());
            }
        }
        let version_id = version["id"].as_str().unwrap_or_default().to_owned();
        mark_seeded(self.store, &versions);
        self.store.insert(&versions, &version_id, version);
        if let Some(map) = memory.as_object_mut() {
            map.insert("memory_version_id".into(), version_id.into());
            map.insert("content_size_bytes".into(), size.into());
            map.insert("content_sha256".into(), sha.into());
        }
    }
}

/// A store's versions are the writes' own: none are generated.
fn mark_seeded(store: &mut Store, versions: &str) {
    store.seeded.insert(versions.to_owned());
}

/// The size and hex SHA-256 of a content.
fn figures(content: &str) -> (usize, String) {
    let hash = digest::digest(&digest::SHA256, content.as_bytes());
    let hex = hash.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    (content.len(), hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memories_are_known_on_both_platforms() {
        assert!(is_memories(MEMORIES));
        assert!(is_memories(
            "/anthropic/v1/memory_stores/{memory_store_id}/memories"
        ));
        assert!(!is_memories(
            "/v1/memory_stores/{memory_store_id}/memory_versions"
        ));
    }

    #[test]
    fn content_figures() {
        let (size, sha) = figures("hello");
        assert_eq!(size, 5);
        assert_eq!(
            sha,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
    }
}
