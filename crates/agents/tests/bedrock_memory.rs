//! Bedrock's memory stores through the Bedrock backend against the
//! embedded mock, which verifies every SigV4 signature: a store with its
//! store backend is created, read, renamed, listed page by page, archived
//! and deleted; its memories are written and listed, each write recorded
//! as a memory version of Bedrock's shape; every call lands on
//! `/anthropic/v1/memory_stores...` with the Managed Agents beta, signed
//! for the service `bedrock`; a wrong secret and a missing beta are
//! refused; the first-party memory stores do not see Bedrock's.
#![cfg(feature = "bedrock")]

mod bedrock_support;

use std::collections::BTreeMap;

use claude_rs_agents::bedrock::BedrockManagedAgentsExt as _;
use claude_rs_agents::bedrock::memory_stores::{
    BedrockMemoryStore, ManagedMemoryStoreBackendParam, MemoryStoresCreateParams,
    MemoryStoresListQuery, MemoryStoresMemoriesCreateParams, MemoryStoresMemoriesUpdateParams,
    MemoryStoresMemoryVersionsListQuery, MemoryStoresUpdateParams,
};
use claude_rs_agents::bedrock::shared::{MemoryListItem, MemoryVersionOperation};
use claude_rs_client::Client;
use claude_rs_mock::Platform;
use serde_json::Value;

use bedrock_support::{BETA, SECRET_KEY, client, mock};

/// A store on the managed backend.
fn store(name: &str, description: &str) -> MemoryStoresCreateParams {
    let mut params = MemoryStoresCreateParams::new(name.into());
    params.backend = Some(ManagedMemoryStoreBackendParam::new("managed".into()));
    params.description = Some(description.into());
    params.metadata = Some(BTreeMap::from([("team".to_owned(), "docs".to_owned())]));
    params
}

async fn create(client: &Client, name: &str) -> BedrockMemoryStore {
    client
        .memory_stores()
        .create(&store(name, ""))
        .await
        .unwrap()
}

fn written(path: &str, content: &str) -> MemoryStoresMemoriesCreateParams {
    let mut params = MemoryStoresMemoriesCreateParams::new(path.into());
    params.content = Some(content.into());
    params
}

#[tokio::test]
async fn a_store_is_created_read_renamed_listed_archived_and_deleted() {
    let server = mock().await;
    let client = client(&server, SECRET_KEY);
    let stores = client.memory_stores();

    let notes = stores.create(&store("notes", "Team notes")).await.unwrap();
    assert!(notes.id.starts_with("memstore_"), "{}", notes.id);
    assert_eq!(notes.r#type, "memory_store");
    assert_eq!(notes.backend.r#type, "managed");
    assert_eq!(notes.name, "notes");
    assert_eq!(notes.description, "Team notes");
    assert_eq!(notes.metadata["team"], "docs");
    assert!(notes.archived_at.is_none());

    let read = stores.retrieve(&notes.id).await.unwrap();
    assert_eq!(
        (read.id.as_str(), read.name.as_str()),
        (notes.id.as_str(), "notes")
    );
    assert_eq!(read.backend.r#type, "managed");

    let rename = MemoryStoresUpdateParams {
        name: Some("handbook".into()),
        ..Default::default()
    };
    let renamed = stores.update(&notes.id, &rename).await.unwrap();
    assert_eq!(renamed.name, "handbook");
    assert_eq!(renamed.description, "Team notes", "kept");
    assert_eq!(stores.retrieve(&notes.id).await.unwrap().name, "handbook");

    let drafts = create(&client, "drafts").await;
    let archive = create(&client, "archive").await;
    let listed = stores
        .list(&MemoryStoresListQuery::default())
        .limit(2)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    let mut names: Vec<&str> = listed.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["archive", "drafts", "handbook"]);
    assert!(
        listed
            .iter()
            .all(|s| s.created_by_me && s.r#type == "memory_store")
    );
    let lists: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == "/anthropic/v1/memory_stores")
        .collect();
    assert_eq!(lists.len(), 2, "two pages of two");
    let second = lists[1].query.as_deref().unwrap();
    assert!(
        second.contains("page=") && second.contains("limit=2"),
        "{second}"
    );

    let archived = stores.archive(&archive.id).await.unwrap();
    assert!(archived.archived_at.is_some());
    let active = stores
        .list(&MemoryStoresListQuery::default())
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(active.len(), 2, "an archived store is not listed");
    let mut everything = MemoryStoresListQuery::default();
    everything.include_archived = Some(true);
    let all = stores
        .list(&everything)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let shown = all.iter().find(|s| s.id == archive.id).unwrap();
    assert!(shown.archived_at.is_some());

    let deleted = stores.delete(&drafts.id).await.unwrap();
    assert_eq!(deleted.id, drafts.id);
    assert_eq!(deleted.r#type, "memory_store_deleted");
    let gone = stores.retrieve(&drafts.id).await.unwrap_err();
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404), "{gone:?}");

    // Every call went to the control plane, signed for `bedrock` in the
    // client's region, with the beta.
    let requests = server.requests();
    assert_eq!(requests.len(), 13);
    for request in &requests {
        assert_eq!(request.platform, Platform::BedrockControlPlane);
        assert!(
            request.path.starts_with("/anthropic/v1/memory_stores"),
            "{}",
            request.path
        );
        assert!(request.query.as_deref().unwrap().contains("beta=true"));
        assert!(request.header("anthropic-beta").unwrap().contains(BETA));
        let authorization = request.header("authorization").unwrap();
        assert!(
            authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                && authorization.contains("/eu-west-1/bedrock/aws4_request"),
            "{authorization}"
        );
    }
    let created: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(created["backend"]["type"], "managed");
}

#[tokio::test]
async fn memories_are_written_and_each_write_is_a_bedrock_memory_version() {
    let server = mock().await;
    let client = client(&server, SECRET_KEY);
    let store_id = create(&client, "notes").await.id;
    let memories = client.memory_stores().memories();
    let versions = client.memory_stores().memory_versions();

    let todo = memories
        .create(
            &store_id,
            &Default::default(),
            &written("/todo.md", "write tests"),
        )
        .await
        .unwrap();
    assert!(todo.id.starts_with("mem_"), "{}", todo.id);
    assert_eq!(todo.memory_store_id, store_id);
    assert_eq!(todo.path, "/todo.md");
    assert_eq!(todo.content.as_deref(), Some("write tests"));
    assert_eq!(todo.content_size_bytes, 11);
    assert_eq!(todo.content_sha256.len(), 64);
    let done = memories
        .create(
            &store_id,
            &Default::default(),
            &written("/done.md", "nothing yet"),
        )
        .await
        .unwrap();

    let change = MemoryStoresMemoriesUpdateParams {
        content: Some("write more tests".into()),
        ..Default::default()
    };
    let updated = memories
        .update(&store_id, &todo.id, &Default::default(), &change)
        .await
        .unwrap();
    assert_eq!(updated.content.as_deref(), Some("write more tests"));
    assert_eq!(updated.content_size_bytes, 16);
    assert_ne!(updated.memory_version_id, todo.memory_version_id);
    assert_ne!(updated.content_sha256, todo.content_sha256);
    let read = memories
        .retrieve(&store_id, &todo.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(read.content.as_deref(), Some("write more tests"));

    let listed = memories
        .list(&store_id, &Default::default())
        .limit(1)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    let mut paths: Vec<&str> = listed
        .iter()
        .map(|m| match m {
            MemoryListItem::Memory(memory) => memory.path.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    paths.sort_unstable();
    assert_eq!(paths, ["/done.md", "/todo.md"]);

    // Three writes so far: two creations and a modification.
    let all = versions
        .list(&store_id, &Default::default())
        .limit(2)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert!(
        all.iter()
            .all(|v| v.memory_store_id == store_id && v.r#type == "memory_version")
    );
    let mut of_todo = MemoryStoresMemoryVersionsListQuery::default();
    of_todo.memory_id = Some(todo.id.clone());
    let history = versions
        .list(&store_id, &of_todo)
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    let mut operations: Vec<&MemoryVersionOperation> =
        history.iter().map(|v| &v.operation).collect();
    operations.sort_by_key(|o| format!("{o:?}"));
    assert_eq!(
        operations,
        [
            &MemoryVersionOperation::Created,
            &MemoryVersionOperation::Modified
        ]
    );
    let latest = versions
        .retrieve(&store_id, &updated.memory_version_id, &Default::default())
        .await
        .unwrap();
    assert_eq!(latest.memory_id, todo.id);
    assert_eq!(latest.operation, MemoryVersionOperation::Modified);
    assert_eq!(latest.content.as_deref(), Some("write more tests"));
    assert_eq!(latest.content_size_bytes, Some(16));
    assert_eq!(
        latest.content_sha256.as_deref(),
        Some(updated.content_sha256.as_str())
    );
    assert_eq!(latest.path.as_deref(), Some("/todo.md"));
    let raw = serde_json::to_value(&latest).unwrap();
    assert!(raw["created_by"]["type"].is_string(), "{raw}");

    let redacted = versions.redact(&store_id, &latest.id).await.unwrap();
    assert_eq!(redacted.id, latest.id);
    assert!(redacted.redacted_at.is_some());

    let deleted = memories
        .delete(&store_id, &done.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(deleted.id, done.id);
    let after = versions
        .list(&store_id, &Default::default())
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(after.len(), 4);
    let deletion = after
        .iter()
        .find(|v| v.memory_id == done.id && v.operation == MemoryVersionOperation::Deleted);
    assert!(deletion.is_some(), "{after:?}");
    let remaining = memories
        .list(&store_id, &Default::default())
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(remaining.len(), 1);

    assert!(server.requests().iter().all(|r| {
        r.platform == Platform::BedrockControlPlane
            && r.path
                .starts_with(&format!("/anthropic/v1/memory_stores/{store_id}"))
            || r.path == "/anthropic/v1/memory_stores"
    }));
}

#[tokio::test]
async fn a_wrong_secret_is_refused_and_nothing_is_created() {
    let server = mock().await;
    let wrong = client(&server, "not-the-secret");
    let error = wrong
        .memory_stores()
        .create(&store("notes", ""))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403), "{error:?}");
    let right = client(&server, SECRET_KEY);
    let listed = right
        .memory_stores()
        .list(&MemoryStoresListQuery::default())
        .await
        .unwrap();
    assert!(listed.data.is_empty(), "{:?}", listed.data);
    assert_eq!(server.requests()[0].path, "/anthropic/v1/memory_stores");
}

#[tokio::test]
async fn the_beta_is_required_and_first_party_stores_are_apart() {
    let server = mock().await;
    let client = client(&server, SECRET_KEY);
    let unflagged = client.get("/v1/memory_stores").await.unwrap_err();
    assert_eq!(unflagged.status().map(|s| s.as_u16()), Some(400));
    assert!(unflagged.to_string().contains(BETA), "{unflagged}");

    let bedrock = create(&client, "on-bedrock").await;
    let first_party = Client::builder()
        .api_key("sk-ant-api03-test")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let theirs: Value = first_party
        .get("/v1/memory_stores")
        .beta(BETA)
        .await
        .unwrap();
    assert_eq!(theirs["data"].as_array().unwrap().len(), 0, "{theirs}");
    let missing = first_party
        .get(&format!("/v1/memory_stores/{}", bedrock.id))
        .beta(BETA)
        .await
        .unwrap_err();
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
}
