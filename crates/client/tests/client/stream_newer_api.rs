//! A stream of a newer API through the whole client: the compaction summary,
//! unknown `message_delta` fields and an unknown delta type all reach the
//! caller.

use std::path::Path;

use crate::support::{client, request};
use claude_rs_mock::{MockResponse, MockServer};
use claude_rs_types::content::ContentBlock;
use serde_json::json;

#[tokio::test]
async fn nothing_of_a_newer_stream_is_lost() {
    // The official SDK's compaction fixture, with a delta type no version
    // knows and unknown fields in the final message_delta.
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/official/compaction.sse");
    let body = std::fs::read_to_string(fixture)
        .unwrap()
        .replace(
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\
             \"delta\":{\"type\":\"emphasis_delta\",\"span\":[0,5]}}\n\n\
             event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}",
        )
        .replace(
            "\"usage\":{\"output_tokens\":8}}",
            "\"usage\":{\"output_tokens\":8,\"future_tokens\":3},\"verdict\":\"ok\"}",
        );
    // The fixture ends without the blank line that dispatches its last event.
    let body = body + "\n";
    assert!(body.contains("emphasis_delta") && body.contains("verdict"));
    let server = MockServer::start().await;
    server.enqueue(MockResponse::sse_bytes(body));

    let mut stream = client(&server)
        .messages()
        .stream(request("hi"))
        .await
        .unwrap();
    while let Some(event) = stream.next().await {
        event.unwrap();
    }
    let kept: Vec<(usize, &str)> = stream
        .unapplied_deltas()
        .iter()
        .map(|d| (d.index, d.delta.type_str()))
        .collect();
    assert_eq!(kept, [(1, "emphasis_delta")]);
    let message = stream.snapshot().unwrap();
    let ContentBlock::Compaction(summary) = &message.content[0] else {
        panic!("{:?}", message.content[0]);
    };
    assert_eq!(
        summary.content.as_deref(),
        Some("Earlier conversation summarized.")
    );
    assert_eq!(message.extra["verdict"], json!("ok"));
    assert_eq!(message.usage.extra["future_tokens"], json!(3));
}
