//! Managed Agents session streams: a realistic mix of session events as
//! the API writes them (`event: <type>\ndata: <json>\n\n`), and an
//! in-memory transport that answers any request with such a body.

use std::fmt::Write as _;

use bytes::Bytes;

/// The JSON of `count` session events, in the order of a session's turns:
/// each turn has a status change, a model request span, a message preview
/// (`event_start`, then `event_delta` pieces), the message, a tool call
/// (custom or built-in) and its result, and an idle status. The last event
/// terminates the session. Event ids are `sevt_<n>`.
pub fn session_events(count: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(count);
    let mut n = 0usize;
    let at = "2026-12-07T17:00:00.123456Z";
    while out.len() + 1 < count {
        let step = n % 12;
        let id = format!("sevt_{n:08}");
        let event = match step {
            0 => {
                format!(r#"{{"type":"session.status_running","id":"{id}","processed_at":"{at}"}}"#)
            }
            1 => format!(
                r#"{{"type":"span.model_request_start","id":"{id}","processed_at":"{at}"}}"#
            ),
            2 => format!(
                r#"{{"type":"event_start","event":{{"type":"agent.message","id":"sevt_{:08}"}}}}"#,
                n + 3
            ),
            3 | 4 => format!(
                r#"{{"type":"event_delta","event_id":"sevt_{:08}","delta":{{"type":"content_delta","index":0,"content":{{"type":"text","text":"The answer is {n} words"}}}}}}"#,
                n + 5 - step
            ),
            5 => format!(
                r#"{{"type":"agent.message","id":"{id}","processed_at":"{at}","content":[{{"type":"text","text":"The answer is {n} words long, and here is why: the text was split on whitespace.\n"}}]}}"#
            ),
            6 => format!(
                r#"{{"type":"span.model_request_end","id":"{id}","processed_at":"{at}","model_request_start_id":"sevt_{:08}","is_error":false,"model_usage":{{"cache_creation_input_tokens":0,"cache_read_input_tokens":1024,"input_tokens":312,"output_tokens":48}}}}"#,
                n - 5
            ),
            7 => format!(
                r#"{{"type":"agent.custom_tool_use","id":"{id}","processed_at":"{at}","name":"word_count","input":{{"text":"how many words are in this sentence {n}"}}}}"#
            ),
            8 => format!(
                r#"{{"type":"user.custom_tool_result","id":"{id}","processed_at":"{at}","custom_tool_use_id":"sevt_{:08}","content":[{{"type":"text","text":"8"}}]}}"#,
                n - 1
            ),
            9 => format!(
                r#"{{"type":"agent.tool_use","id":"{id}","processed_at":"{at}","name":"bash","input":{{"command":"ls -la /workspace/{n}"}}}}"#
            ),
            10 => format!(
                r#"{{"type":"agent.tool_result","id":"{id}","processed_at":"{at}","tool_use_id":"sevt_{:08}","content":[{{"type":"text","text":"total 0\ndrwxr-xr-x 2 user user 40 Dec  7 17:00 ."}}],"is_error":false}}"#,
                n - 1
            ),
            _ => format!(
                r#"{{"type":"session.status_idle","id":"{id}","processed_at":"{at}","stop_reason":{{"type":"end_turn"}}}}"#
            ),
        };
        out.push(event);
        n += 1;
    }
    out.push(format!(
        r#"{{"type":"session.status_terminated","id":"sevt_{n:08}","processed_at":"{at}"}}"#
    ));
    out
}

/// The SSE body of `events` (the `type` of each as its `event:` name).
pub fn sse_body(events: &[String]) -> Bytes {
    let mut body = String::with_capacity(events.iter().map(|e| e.len() + 48).sum());
    for event in events {
        let kind = serde_json::from_str::<serde_json::Value>(event)
            .ok()
            .and_then(|v| v["type"].as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = write!(body, "event: {kind}\ndata: {event}\n\n");
    }
    Bytes::from(body)
}

/// `body` cut into pieces of `size` bytes, as a network delivers it.
pub fn chunked(body: &Bytes, size: usize) -> Vec<Bytes> {
    (0..body.len())
        .step_by(size.max(1))
        .map(|start| body.slice(start..(start + size).min(body.len())))
        .collect()
}
