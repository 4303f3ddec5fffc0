//! Managed Agents sessions with the scripted agent: the custom tool flow
//! on a live stream, tool confirmations, the history, and streams cut on
//! demand (mid-frame, with the next event persisted but not delivered).

#[path = "common/agents.rs"]
mod agents;
mod common;

use std::time::Duration;

use agents::{Stream, call, ok, session, user_message, word_count};
use claude_rs_mock::MockServer;
use serde_json::{Value, json};

fn types(events: &[(String, Value)]) -> Vec<&str> {
    events
        .iter()
        .filter(|(e, _)| e != "ping")
        .map(|(e, _)| e.as_str())
        .collect()
}

#[tokio::test]
async fn custom_tool_turn_on_a_live_stream() {
    let server = MockServer::start().await;
    let id = session(&server, word_count()).await;
    // Persisted before the stream opens: in the history, not on the stream.
    let early = json!({"events": [{"type": "user.interrupt"}]});
    ok(
        &server,
        "POST",
        &format!("/v1/sessions/{id}/events"),
        Some(early),
    )
    .await;
    let mut stream = Stream::open(&server, &format!("/v1/sessions/{id}/events/stream")).await;
    let head = stream.response();
    assert_eq!(head.status, 200);
    assert!(
        head.header("content-type")
            .unwrap()
            .starts_with("text/event-stream")
    );

    let sent = ok(
        &server,
        "POST",
        &format!("/v1/sessions/{id}/events"),
        Some(user_message("one two three")),
    )
    .await;
    let user = &sent["data"][0];
    assert_eq!(user["type"], "user.message");
    assert!(user["id"].as_str().unwrap().starts_with("sevt_"));
    assert!(user["processed_at"].as_str().unwrap().ends_with('Z'));

    let events = stream.until("session.status_idle").await;
    assert_eq!(
        types(&events),
        [
            "user.message",
            "session.status_running",
            "agent.custom_tool_use",
            "session.status_idle"
        ]
    );
    let tool_use = &events[2].1;
    assert_eq!(tool_use["name"], "word_count");
    assert_eq!(tool_use["input"], json!({"text": "one two three"}));
    let idle = &events[3].1;
    assert_eq!(idle["stop_reason"]["type"], "requires_action");
    assert_eq!(idle["stop_reason"]["event_ids"], json!([tool_use["id"]]));
    let session_now = ok(&server, "GET", &format!("/v1/sessions/{id}"), None).await;
    assert_eq!(session_now["status"], "idle");

    // A result for another id is refused, nothing persisted.
    let wrong = json!({"events": [{"type": "user.custom_tool_result", "custom_tool_use_id": "sevt_nope",
        "content": [{"type": "text", "text": "3"}]}]});
    let refused = call(
        &server,
        "POST",
        &format!("/v1/sessions/{id}/events"),
        Some(wrong),
    )
    .await;
    assert_eq!(refused.status, 400, "{}", refused.text());

    let result = json!({"events": [{"type": "user.custom_tool_result", "custom_tool_use_id": tool_use["id"],
        "content": [{"type": "text", "text": "3"}]}]});
    ok(
        &server,
        "POST",
        &format!("/v1/sessions/{id}/events"),
        Some(result),
    )
    .await;
    let events = stream.until_count("session.status_idle", 2).await;
    let message = events.iter().find(|(e, _)| e == "agent.message").unwrap();
    assert_eq!(
        message.1["content"][0]["text"],
        "The word_count tool returned: 3"
    );
    let last = &events.last().unwrap().1;
    assert_eq!(last["stop_reason"], json!({"type": "end_turn"}));

    // The history holds everything, the early interrupt first, ids increasing.
    let history = ok(
        &server,
        "GET",
        &format!("/v1/sessions/{id}/events?limit=100"),
        None,
    )
    .await;
    let all: Vec<&Value> = history["data"].as_array().unwrap().iter().collect();
    assert_eq!(all.len(), 1 + types(&events).len());
    assert_eq!(all[0]["type"], "user.interrupt");
    let ids: Vec<&str> = all.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

#[tokio::test]
async fn history_pages_orders_and_filters() {
    let server = MockServer::start().await;
    let id = session(&server, json!([])).await;
    server.enqueue_agent_reply("Scripted hello");
    let queued = common::post(
        &server,
        "/_mock/agent_replies",
        &json!({"text": "Over HTTP"}),
    )
    .await;
    assert_eq!(queued.json()["queued_replies"], 2);
    for text in ["a", "b"] {
        ok(
            &server,
            "POST",
            &format!("/v1/sessions/{id}/events"),
            Some(user_message(text)),
        )
        .await;
    }
    let path = format!("/v1/sessions/{id}/events");
    let all = ok(&server, "GET", &format!("{path}?limit=100"), None).await;
    let kinds: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    let turn = [
        "user.message",
        "session.status_running",
        "agent.message",
        "session.status_idle",
    ];
    assert_eq!(kinds, [turn, turn].concat());
    assert_eq!(all["data"][2]["content"][0]["text"], "Scripted hello");
    assert_eq!(all["data"][6]["content"][0]["text"], "Over HTTP");

    // Pages of 3, forward, cover everything once.
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let page_query = next
            .as_ref()
            .map(|p| format!("&page={p}"))
            .unwrap_or_default();
        let page = ok(&server, "GET", &format!("{path}?limit=3{page_query}"), None).await;
        seen.extend(
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].clone()),
        );
        match page["next_page"].as_str() {
            Some(p) => next = Some(p.to_owned()),
            None => break,
        }
    }
    let ids: Vec<Value> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].clone())
        .collect();
    assert_eq!(seen, ids);

    let desc = ok(&server, "GET", &format!("{path}?order=desc&limit=1"), None).await;
    assert_eq!(desc["data"][0]["id"], ids[7]);
    let only = ok(
        &server,
        "GET",
        &format!("{path}?types%5B%5D=agent.message&types[]=user.message"),
        None,
    )
    .await;
    assert_eq!(only["data"].as_array().unwrap().len(), 4);
    let future = ok(
        &server,
        "GET",
        &format!("{path}?created_at%5Bgt%5D=2999-01-01T00:00:00Z"),
        None,
    )
    .await;
    assert_eq!(future["data"], json!([]));
    let bad = call(&server, "GET", &format!("{path}?order=sideways"), None).await;
    assert_eq!(bad.status, 400);
    let thread = ok(&server, "GET", &format!("/v1/sessions/{id}/threads"), None).await;
    let thread_id = thread["data"][0]["id"].as_str().unwrap().to_owned();
    let thread_events = ok(
        &server,
        "GET",
        &format!("/v1/sessions/{id}/threads/{thread_id}/events?limit=100"),
        None,
    )
    .await;
    assert_eq!(thread_events["data"], all["data"]);
}

#[tokio::test]
async fn a_stream_cut_mid_frame_loses_an_event_the_history_keeps() {
    let server = MockServer::start().await;
    let id = session(&server, json!([])).await;
    server.cut_next_stream(2, true);
    let mut stream = Stream::open(&server, &format!("/v1/sessions/{id}/events/stream")).await;
    ok(
        &server,
        "POST",
        &format!("/v1/sessions/{id}/events"),
        Some(user_message("hi")),
    )
    .await;
    stream.read_to_end().await;
    let delivered = stream.events();
    assert_eq!(
        types(&delivered),
        ["user.message", "session.status_running"]
    );
    let raw = stream.response();
    assert!(!raw.complete, "the body must end without its last chunk");
    let text = raw.text();
    let tail = text.rsplit("\n\n").next().unwrap();
    assert!(
        tail.starts_with("event: agent.message"),
        "half a frame: {tail:?}"
    );

    // The event cut in the middle is persisted: a client reading the
    // history after reconnecting finds it.
    let history = ok(&server, "GET", &format!("/v1/sessions/{id}/events"), None).await;
    let cut = &history["data"][2];
    assert_eq!(cut["type"], "agent.message");
    assert_eq!(cut["content"][0]["text"], "You said: hi");

    // The next connection is whole again, and live only.
    let mut again = Stream::open(&server, &format!("/v1/sessions/{id}/events/stream")).await;
    ok(
        &server,
        "POST",
        &format!("/v1/sessions/{id}/events"),
        Some(user_message("again")),
    )
    .await;
    let events = again.until("session.status_idle").await;
    assert_eq!(
        types(&events),
        [
            "user.message",
            "session.status_running",
            "agent.message",
            "session.status_idle"
        ]
    );
}

#[tokio::test]
async fn thread_streams_cut_at_a_frame_boundary_and_pings_and_deltas() {
    let server = MockServer::builder()
        .stream_ping_interval(Duration::from_millis(20))
        .start()
        .await;
    let id = session(&server, json!([])).await;
    let threads = ok(&server, "GET", &format!("/v1/sessions/{id}/threads"), None).await;
    let thread = threads["data"][0]["id"].as_str().unwrap().to_owned();
    assert!(thread.starts_with("sthr_"));
    assert_eq!(threads["data"][0]["session_id"], id.as_str());

    // Pings come while nothing happens.
    let path =
        format!("/v1/sessions/{id}/threads/{thread}/stream?event_deltas%5B%5D=agent.message");
    let mut stream = Stream::open(&server, &path).await;
    let pings = stream.until("ping").await;
    assert_eq!(pings[0].1, json!({"type": "ping"}));
    ok(
        &server,
        "POST",
        &format!("/v1/sessions/{id}/events"),
        Some(user_message("two words")),
    )
    .await;
    let events = stream.until("session.status_idle").await;
    let kinds = types(&events);
    assert_eq!(
        kinds,
        [
            "user.message",
            "session.status_running",
            "event_start",
            "event_delta",
            "event_delta",
            "agent.message",
            "session.status_idle"
        ]
    );
    let message_id = &events.iter().find(|(e, _)| e == "agent.message").unwrap().1["id"];
    let start = &events.iter().find(|(e, _)| e == "event_start").unwrap().1;
    assert_eq!(
        start["event"],
        json!({"id": message_id, "type": "agent.message"})
    );
    let text: String = events
        .iter()
        .filter(|(e, _)| e == "event_delta")
        .map(|(_, d)| d["delta"]["content"]["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(text, "You said: two words");

    // A cut at a boundary, over the control API.
    let cut = common::post(&server, "/_mock/streams/cut", &json!({"after_events": 1})).await;
    assert_eq!(cut.status, 200, "{}", cut.text());
    let mut cut_stream = Stream::open(
        &server,
        &format!("/v1/sessions/{id}/threads/{thread}/stream"),
    )
    .await;
    ok(
        &server,
        "POST",
        &format!("/v1/sessions/{id}/events"),
        Some(user_message("x")),
    )
    .await;
    cut_stream.read_to_end().await;
    assert_eq!(types(&cut_stream.events()), ["user.message"]);
    assert!(cut_stream.response().text().ends_with("\n\n"));

    let missing = call(
        &server,
        "GET",
        &format!("/v1/sessions/{id}/threads/sthr_nope/stream"),
        None,
    )
    .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn tool_confirmations_allow_and_deny() {
    let server = MockServer::start().await;
    let asks = json!([{"type": "agent_toolset_20260401", "default_config": {"permission_policy": {"type": "always_ask"}}}]);
    let id = session(&server, asks).await;
    let path = format!("/v1/sessions/{id}/events");
    for (result, expected) in [
        ("allow", "I ran bash: hello"),
        ("deny", "I did not run bash: not now"),
    ] {
        ok(&server, "POST", &path, Some(user_message("hello"))).await;
        let history = ok(&server, "GET", &format!("{path}?order=desc&limit=2"), None).await;
        let tool_use = &history["data"][1];
        assert_eq!(tool_use["type"], "agent.tool_use");
        assert_eq!(tool_use["evaluated_permission"], "ask");
        assert_eq!(
            history["data"][0]["stop_reason"]["event_ids"],
            json!([tool_use["id"]])
        );
        let confirm = json!({"events": [{"type": "user.tool_confirmation", "tool_use_id": tool_use["id"],
            "result": result, "deny_message": "not now"}]});
        ok(&server, "POST", &path, Some(confirm)).await;
        let history = ok(&server, "GET", &format!("{path}?order=desc&limit=2"), None).await;
        assert_eq!(history["data"][1]["content"][0]["text"], expected);
        assert_eq!(history["data"][0]["stop_reason"]["type"], "end_turn");
    }
    let kinds = ok(
        &server,
        "GET",
        &format!("{path}?types[]=agent.tool_result"),
        None,
    )
    .await;
    assert_eq!(kinds["data"].as_array().unwrap().len(), 1);
    let unknown = call(
        &server,
        "POST",
        &path,
        Some(json!({"events": [{"type": "agent.message"}]})),
    )
    .await;
    assert_eq!(unknown.status, 400);
}
