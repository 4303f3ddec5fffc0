//! claude-rs-client through the mock's recording proxy, then against the
//! replayed cassettes: the same messages, stream and count, with the API
//! key never written to disk.

use claude_rs_mock::{MockResponse, MockServer};

#[tokio::test]
async fn a_recorded_session_replays_to_the_client_unchanged() {
    let dir = std::env::temp_dir().join(format!("claude-rs-replay-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let upstream = MockServer::start().await;
    upstream.enqueue(MockResponse::text("from the upstream"));
    let recorder = MockServer::builder()
        .record(upstream.base_url(), &dir)
        .start()
        .await;

    let client = crate::support::client(&recorder);
    let created = client
        .messages()
        .create(crate::support::request("hello"))
        .await
        .unwrap();
    let streamed = crate::support::stream_to_end(&client, "a streamed reply")
        .await
        .unwrap();
    let counted = client
        .messages()
        .count_tokens(&crate::support::request("count me"))
        .await
        .unwrap();
    assert_eq!(created.text(), "from the upstream");
    assert_eq!(
        upstream.requests()[0].header("x-api-key"),
        Some(crate::support::KEY)
    );
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(
            !text.contains(crate::support::KEY),
            "the key reached a cassette"
        );
    }

    let replay = MockServer::builder().replay(&dir).start().await;
    let client = crate::support::client(&replay);
    let again = client
        .messages()
        .create(crate::support::request("hello"))
        .await
        .unwrap();
    assert_eq!(again, created, "ids, text and usage as recorded");
    let restreamed = crate::support::stream_to_end(&client, "a streamed reply")
        .await
        .unwrap();
    assert_eq!(restreamed, streamed);
    let recounted = client
        .messages()
        .count_tokens(&crate::support::request("count me"))
        .await
        .unwrap();
    assert_eq!(recounted, counted);
    let _ = std::fs::remove_dir_all(&dir);
}
