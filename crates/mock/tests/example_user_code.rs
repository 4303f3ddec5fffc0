//! How a user tests their own code with `claude-rs-mock`.
//!
//! The "application" below is a tiny weather assistant: it asks Claude,
//! runs the tool Claude calls, and sends the result back. Its HTTP layer is
//! a few lines of raw HTTP/1.1 so the example depends on nothing but the
//! mock; in a real project it would be the SDK's client pointed at
//! `server.base_url()`. The test scripts Claude's side of the conversation,
//! then checks the application's answer *and* what it sent.

use claude_rs_mock::{Fault, FaultRule, MockResponse, MockServer, Route};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ---- The application under test -------------------------------------------

/// POSTs a JSON body to `{base_url}/v1/messages`; returns status and body.
async fn call_claude(base_url: &str, body: &Value) -> std::io::Result<(u16, Value)> {
    let host = base_url.trim_start_matches("http://");
    let body = body.to_string();
    let mut socket = tokio::net::TcpStream::connect(host).await?;
    let request = format!(
        "POST /v1/messages HTTP/1.1\r\nhost: {host}\r\nx-api-key: sk-test\r\n\
         anthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    socket.read_to_string(&mut response).await?;
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let json = response
        .split_once("\r\n\r\n")
        .and_then(|(_, body)| serde_json::from_str(body).ok())
        .unwrap_or(Value::Null);
    Ok((status, json))
}

/// The application's tool.
fn get_weather(city: &str) -> String {
    format!("{city}: 21°C, sunny")
}

/// Answers a question, running tools as Claude asks, retrying once on 529.
async fn weather_assistant(base_url: &str, question: &str) -> std::io::Result<String> {
    let mut messages = vec![json!({"role": "user", "content": question})];
    loop {
        let body = json!({
            "model": "claude-haiku-4-5",
            "max_tokens": 512,
            "tools": [{"name": "get_weather", "description": "Current weather",
                       "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
            "messages": messages,
        });
        let (mut status, mut reply) = call_claude(base_url, &body).await?;
        if status == 529 {
            (status, reply) = call_claude(base_url, &body).await?;
        }
        if status != 200 {
            return Ok(format!("error {status}"));
        }
        if reply["stop_reason"] != "tool_use" {
            return Ok(reply["content"][0]["text"]
                .as_str()
                .unwrap_or("")
                .to_owned());
        }
        let call = reply["content"]
            .as_array()
            .and_then(|blocks| blocks.iter().find(|b| b["type"] == "tool_use"))
            .cloned()
            .unwrap_or(Value::Null);
        let result = get_weather(call["input"]["city"].as_str().unwrap_or("?"));
        messages.push(json!({"role": "assistant", "content": reply["content"]}));
        messages.push(json!({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": call["id"], "content": result}]}));
    }
}

// ---- The test -------------------------------------------------------------

#[tokio::test]
async fn the_assistant_runs_the_tool_and_reports_claudes_answer() {
    let server = MockServer::builder().api_key("sk-test").start().await;
    server.enqueue(MockResponse::tool_use(
        "get_weather",
        json!({"city": "Paris"}),
    ));
    server.enqueue(MockResponse::text("It is sunny in Paris, 21°C."));

    let answer = weather_assistant(server.base_url(), "Weather in Paris?")
        .await
        .expect("io");
    assert_eq!(answer, "It is sunny in Paris, 21°C.");

    // What did the application send?
    let sent = server.received("/v1/messages");
    assert_eq!(sent.len(), 2);
    let first_reply_call_id = {
        let second = sent[1].json.as_ref().expect("json body");
        let turns = second["messages"].as_array().expect("messages");
        assert_eq!(turns.len(), 3);
        assert_eq!(turns[1]["content"][0]["type"], "tool_use");
        let result = &turns[2]["content"][0];
        assert_eq!(result["type"], "tool_result");
        assert_eq!(result["content"], "Paris: 21°C, sunny");
        assert_eq!(result["tool_use_id"], turns[1]["content"][0]["id"]);
        result["tool_use_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(first_reply_call_id.starts_with("toolu_mock_"));
    assert_eq!(sent[0].header("x-api-key"), Some("sk-test"));
}

#[tokio::test]
async fn the_assistant_retries_an_overloaded_api_once() {
    let server = MockServer::start().await;
    server.inject(FaultRule::once(Fault::overloaded()).on(Route::Messages));
    let answer = weather_assistant(server.base_url(), "Just echo this")
        .await
        .expect("io");
    // The default reply echoes the question.
    assert_eq!(answer, "Just echo this");
    assert_eq!(server.received_on(Route::Messages).len(), 2);

    // Twice overloaded is more than it retries.
    server.inject(FaultRule::times(2, Fault::overloaded()).on(Route::Messages));
    let answer = weather_assistant(server.base_url(), "again")
        .await
        .expect("io");
    assert_eq!(answer, "error 529");
}
