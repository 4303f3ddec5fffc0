//! Live tool input: the input parsed so far while a tool call streams, and
//! a call cut by `max_tokens` keeping what had arrived (recorded streams).

use claude_rs_client::messages::MessageAccumulator;
use claude_rs_mock::{MockResponse, MockServer};
use claude_rs_types::content::ContentBlock;
use claude_rs_types::stream::MessageStreamEvent;
use serde_json::{Value, json};

use crate::support::{client, fixture, request};

fn events(name: &str) -> Vec<MessageStreamEvent> {
    let body = std::fs::read_to_string(fixture(name)).unwrap();
    body.lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .map(|data| serde_json::from_str(data).unwrap())
        .collect()
}

fn tool_input(block: &ContentBlock) -> &Value {
    match block {
        ContentBlock::ToolUse(call) => &call.input,
        other => panic!("not a tool call: {other:?}"),
    }
}

#[test]
fn the_input_grows_fragment_by_fragment_to_the_final_one() {
    let mut accumulator = MessageAccumulator::new().live_input();
    let mut seen: Vec<Value> = Vec::new();
    let mut index = None;
    for event in events("sse_tool_use_list_input_21_deltas.sse") {
        if let MessageStreamEvent::ContentBlockStop(stop) = &event {
            // Just before the block stops: the live value is the whole input.
            if Some(stop.index) == index {
                let raw = accumulator.partial_json(stop.index).unwrap();
                let whole: Value = serde_json::from_str(raw).unwrap();
                assert_eq!(accumulator.partial_input(stop.index), Some(&whole));
            }
        }
        accumulator.apply(&event).unwrap();
        if let MessageStreamEvent::ContentBlockDelta(delta) = &event {
            index = Some(delta.index);
            if let Some(value) = accumulator.partial_input(delta.index)
                && seen.last() != Some(value)
            {
                seen.push(value.clone());
            }
        }
    }
    assert!(
        seen.len() >= 10,
        "the value changed as fragments came: {}",
        seen.len()
    );
    // Each value is an object, and the list it holds only grows.
    let lengths: Vec<usize> = seen
        .iter()
        .filter_map(|v| {
            v.as_object()?
                .values()
                .find_map(Value::as_array)
                .map(Vec::len)
        })
        .collect();
    assert!(lengths.windows(2).all(|w| w[0] <= w[1]), "{lengths:?}");
    let message = accumulator.into_message().unwrap();
    let call = message
        .content
        .iter()
        .find(|b| matches!(b, ContentBlock::ToolUse(_)))
        .unwrap();
    assert_eq!(tool_input(call), seen.last().unwrap());
}

#[test]
fn without_live_parsing_nothing_is_parsed_early() {
    let mut accumulator = MessageAccumulator::new();
    for event in events("sse_tool_use_list_input_21_deltas.sse") {
        accumulator.apply(&event).unwrap();
        if let MessageStreamEvent::ContentBlockDelta(delta) = &event {
            assert!(accumulator.partial_input(delta.index).is_none());
        }
    }
}

#[test]
fn a_call_cut_by_max_tokens_keeps_what_had_arrived_and_says_so() {
    for live in [false, true] {
        let mut accumulator = MessageAccumulator::new();
        accumulator.set_live_input(live);
        for event in events("sse_max_tokens_partial_tool_json.sse") {
            accumulator.apply(&event).unwrap();
        }
        assert_eq!(accumulator.incomplete_inputs(), [1]);
        let message = accumulator.into_message().unwrap();
        assert_eq!(
            tool_input(&message.content[1]),
            &json!({
                "filename": "taxes.txt",
                "lines_of_text": [
                    "# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS WITH MULTIPLE W-2s",
                    "",
                    "## INTRODUCTION",
                    "",
                    "Filing taxes"
                ]
            }),
            "live {live}"
        );
    }
}

#[tokio::test]
async fn a_stream_shows_the_input_while_it_arrives() {
    let server = MockServer::start().await;
    let body = std::fs::read(fixture("sse_tool_use_list_input_21_deltas.sse")).unwrap();
    server.enqueue(MockResponse::sse_bytes(body));
    let mut stream = client(&server)
        .messages()
        .stream(request("hi"))
        .await
        .unwrap()
        .live_input();
    let mut updates = 0;
    while let Some(event) = stream.next().await {
        if let MessageStreamEvent::ContentBlockDelta(delta) = event.unwrap() {
            updates += usize::from(stream.partial_input(delta.index).is_some());
        }
    }
    assert!(updates >= 10, "{updates}");
    assert!(stream.incomplete_inputs().is_empty());
}
