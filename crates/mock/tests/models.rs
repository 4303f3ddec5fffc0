//! The Models API and the pagination shared by every list.

mod common;

use claude_rs_mock::MockServer;
use claude_rs_types::models::ModelInfo;
use claude_rs_types::page::Page;
use common::get;

async fn page(server: &MockServer, query: &str) -> Page<ModelInfo> {
    let raw = get(server, &format!("/v1/models{query}")).await;
    assert_eq!(raw.status, 200, "{}", raw.text());
    serde_json::from_slice(&raw.body).expect("Page<ModelInfo>")
}

fn ids(page: &Page<ModelInfo>) -> Vec<&str> {
    page.data.iter().map(|m| m.id.as_str()).collect()
}

#[tokio::test]
async fn models_list_and_get() {
    let server = MockServer::start().await;
    let all = page(&server, "").await;
    assert!(all.data.len() >= 5);
    assert!(!all.has_more);
    assert_eq!(all.first_id.as_deref(), Some(all.data[0].id.as_str()));
    assert!(all.data.iter().all(|m| m.kind == "model"));

    let one = get(&server, "/v1/models/claude-haiku-4-5-20251001").await;
    let model: ModelInfo = serde_json::from_slice(&one.body).expect("ModelInfo");
    assert_eq!(model.display_name, "Claude Haiku 4.5");
    // An alias resolves to its snapshot.
    let alias: ModelInfo =
        serde_json::from_slice(&get(&server, "/v1/models/claude-haiku-4-5").await.body)
            .expect("ModelInfo");
    assert_eq!(alias.id, "claude-haiku-4-5-20251001");
    let missing = get(&server, "/v1/models/bad-model").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error"]["message"], "model: bad-model");
}

#[tokio::test]
async fn pages_forward_with_after_id_and_back_with_before_id() {
    let server = MockServer::start().await;
    let all = page(&server, "").await;
    let every = ids(&all);

    let first = page(&server, "?limit=2").await;
    assert_eq!(ids(&first), every[..2]);
    assert!(first.has_more);
    let last_id = first.last_id.clone().expect("last_id");
    let second = page(&server, &format!("?limit=2&after_id={last_id}")).await;
    assert_eq!(ids(&second), every[2..4]);
    assert!(second.has_more);

    // Walking forward visits every model once.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(id) => format!("?limit=3&after_id={id}"),
            None => "?limit=3".to_owned(),
        };
        let p = page(&server, &query).await;
        seen.extend(p.data.iter().map(|m| m.id.clone()));
        if !p.has_more {
            break;
        }
        cursor = p.last_id.clone();
    }
    assert_eq!(seen, every);

    // Backwards from the second page gives the first.
    let first_id = second.first_id.clone().expect("first_id");
    let back = page(&server, &format!("?limit=2&before_id={first_id}")).await;
    assert_eq!(ids(&back), every[..2]);
    assert!(!back.has_more);
    let back_one = page(&server, &format!("?limit=1&before_id={first_id}")).await;
    assert_eq!(ids(&back_one), every[1..2]);
    assert!(back_one.has_more);

    for bad in [
        "?limit=0",
        "?limit=1001",
        "?limit=x",
        "?after_id=a&before_id=b",
    ] {
        assert_eq!(
            get(&server, &format!("/v1/models{bad}")).await.status,
            400,
            "{bad}"
        );
    }
}
