//! The per-call `anthropic-user-profile-id` / `anthropic-workspace-id`
//! options reach the wire, on one call only.

use crate::support::{client, request};
use claude_rs_client::RequestOptions;
use claude_rs_mock::{MockServer, Route};
use http::HeaderValue;

#[tokio::test]
async fn profile_and_workspace_ids_are_sent_per_call() {
    let server = MockServer::start().await;
    let client = client(&server);
    client
        .messages()
        .create(request("hi"))
        .user_profile_id(HeaderValue::from_static("uprof_1"))
        .workspace_id(HeaderValue::from_static("wrkspc_1"))
        .await
        .unwrap();
    let options = RequestOptions::default().workspace_id(HeaderValue::from_static("wrkspc_2"));
    client
        .messages()
        .create(request("again"))
        .options(options)
        .await
        .unwrap();
    client.messages().create(request("plain")).await.unwrap();

    let seen = server.received_on(Route::Messages);
    let ids: Vec<(Option<&str>, Option<&str>)> = seen
        .iter()
        .map(|r| {
            (
                r.header("anthropic-user-profile-id"),
                r.header("anthropic-workspace-id"),
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            (Some("uprof_1"), Some("wrkspc_1")),
            (None, Some("wrkspc_2")),
            (None, None)
        ]
    );
}
