//! Foundry's paths on the mock.

use claude_rs_mock::{MockResponse, MockServer, Platform};

use crate::common::{self, request, say};

#[tokio::test]
async fn foundry_keys_and_tokens() {
    let server = MockServer::builder()
        .foundry_api_key("foundry-key")
        .foundry_token("entra-token")
        .start()
        .await;
    assert_eq!(
        server.platform_base_url(Platform::Foundry),
        format!("{}/anthropic", server.base_url())
    );
    let body = serde_json::to_vec(&say("Hi")).unwrap();
    let path = "/anthropic/v1/messages";
    let version = common::VERSION;
    for (headers, status) in [
        (vec![version, ("api-key", "foundry-key")], 200),
        (vec![version, ("x-api-key", "foundry-key")], 200),
        (vec![version, ("authorization", "Bearer entra-token")], 200),
        (vec![version, ("api-key", "wrong")], 401),
        (vec![version], 401),
    ] {
        let raw = request(&server, "POST", path, &headers, &body).await;
        assert_eq!(raw.status, status, "{headers:?}: {}", raw.text());
    }
    // Foundry sends the version header, and it is checked.
    let raw = request(&server, "POST", path, &[("api-key", "foundry-key")], &body).await;
    assert_eq!(raw.status, 400);
    let listed = common::get(&server, "/_mock/requests").await.json();
    assert_eq!(listed["data"][0]["platform"], "foundry");
    assert_eq!(listed["data"][0]["headers"]["api-key"], "[redacted]");
    // Scripts apply per route on every platform.
    server.enqueue(MockResponse::text("scripted"));
    let raw = request(
        &server,
        "POST",
        path,
        &[version, ("api-key", "foundry-key")],
        &body,
    )
    .await;
    assert_eq!(raw.json()["content"][0]["text"], "scripted");
}
