//! The default reply: a deterministic echo, and the mock's token counting.
//!
//! Tokens are counted by a fixed rule (a word with the whitespace after it,
//! long words split every 8 characters), not by a real tokenizer: what
//! matters in tests is that counts are plausible, deterministic, and
//! consistent between `count_tokens`, `usage` and `max_tokens`.

use claude_rs_types::content::ToolUseBlock;
use claude_rs_types::usage::{CacheCreation, UsageServiceTier};
use claude_rs_types::{content::ContentBlock, message::Message, message::StopReason, usage::Usage};
use serde_json::Value;

use crate::generate;
use crate::response::ContentReply;

/// The longest run of non-whitespace characters counted as one token.
const MAX_WORD: usize = 8;

/// Splits text into the mock's tokens; they concatenate back to `text`.
pub(crate) fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut word_len = 0;
    let mut prev_ws = false;
    for (i, c) in text.char_indices() {
        let ws = c.is_whitespace();
        let new_word = !ws && word_len > 0 && (prev_ws || word_len >= MAX_WORD);
        if new_word {
            out.push(&text[start..i]);
            start = i;
            word_len = 0;
        }
        if !ws {
            word_len += 1;
        }
        prev_ws = ws;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The number of tokens of a text.
pub(crate) fn count(text: &str) -> u64 {
    tokens(text).len() as u64
}

/// Tokens of every string, number and boolean inside a JSON value (keys
/// are not counted).
fn count_value(value: &Value) -> u64 {
    match value {
        Value::Null => 0,
        Value::Bool(_) | Value::Number(_) => 1,
        Value::String(s) => count(s),
        Value::Array(items) => items.iter().map(count_value).sum(),
        Value::Object(map) => map.values().map(count_value).sum(),
    }
}

/// Input tokens of a Messages or count_tokens request body: the system
/// prompt, the messages (plus 4 per turn) and the tools, plus 3.
pub(crate) fn input_tokens(request: &Value) -> u64 {
    let messages: u64 = request
        .get("messages")
        .and_then(Value::as_array)
        .map(|turns| {
            turns
                .iter()
                .map(|turn| 4 + turn.get("content").map_or(0, count_value))
                .sum()
        })
        .unwrap_or(0);
    let system = request.get("system").map_or(0, count_value);
    let tools = request.get("tools").map_or(0, count_value);
    3 + messages + system + tools
}

/// Output tokens of a message's content (at least 1, as in the API).
pub(crate) fn output_tokens(content: &[ContentBlock]) -> u64 {
    let tokens: u64 = content
        .iter()
        .map(|block| match block {
            ContentBlock::Text(text) => count(&text.text),
            ContentBlock::ToolUse(call) => count_value(&call.input) + 2,
            ContentBlock::Thinking(thinking) => count(&thinking.thinking),
            other => serde_json::to_value(other).map_or(1, |v| count_value(&v)),
        })
        .sum();
    tokens.max(1)
}

/// The text the echo answers with: the last user turn's text (text blocks
/// and the text of tool results, joined by newlines).
fn echo_text(request: &Value) -> String {
    let last_user = request
        .get("messages")
        .and_then(Value::as_array)
        .and_then(|turns| {
            turns
                .iter()
                .rev()
                .find(|t| t.get("role").and_then(Value::as_str) == Some("user"))
        });
    let mut parts = Vec::new();
    if let Some(content) = last_user.and_then(|t| t.get("content")) {
        collect_text(content, &mut parts);
    }
    let text = parts.join("\n");
    if text.trim().is_empty() {
        "Hello from claude-rs-mock.".to_owned()
    } else {
        text
    }
}

fn collect_text<'v>(content: &'v Value, out: &mut Vec<&'v str>) {
    match content {
        Value::String(text) => out.push(text),
        Value::Array(blocks) => {
            for block in blocks {
                match block.get("type").and_then(Value::as_str) {
                    Some("text") => {
                        if let Some(text) = block.get("text").and_then(Value::as_str) {
                            out.push(text);
                        }
                    }
                    Some("tool_result") => {
                        if let Some(inner) = block.get("content") {
                            collect_text(inner, out);
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// The text of a final assistant turn (a prefill), if the request ends
/// with one.
fn prefill(request: &Value) -> Option<String> {
    let last = request.get("messages")?.as_array()?.last()?;
    if last.get("role").and_then(Value::as_str) != Some("assistant") {
        return None;
    }
    let mut parts = Vec::new();
    collect_text(last.get("content")?, &mut parts);
    Some(parts.concat()).filter(|text| !text.is_empty())
}

/// The echo as a continuation of a prefill: what follows the prefill when
/// the echo starts with it (prefill "Hel", echo "Hello" gives "lo"), else
/// the whole echo.
fn continuation(echo: String, prefill: Option<&str>) -> String {
    match prefill.and_then(|p| echo.strip_prefix(p)) {
        Some(rest) if !rest.is_empty() => rest.to_owned(),
        _ => echo,
    }
}

/// The default Messages reply: the echo (continuing a prefill), cut at the
/// earliest stop sequence (`stop_sequence`) or at `max_tokens` tokens
/// (`max_tokens`), whichever the "generation" reaches first; else
/// `end_turn`. A forced `tool_choice` gets a call of that tool instead, and
/// thinking (when on) comes first as a signed thinking block.
pub(crate) fn echo(request: &Value) -> ContentReply {
    let mut reply = echo_text_reply(request);
    if let Some(call) = generate::forced_call(request) {
        reply.blocks = vec![call];
        reply.stop_reason = StopReason::ToolUse;
        reply.stop_sequence = None;
    }
    if generate::thinks(request) {
        reply
            .blocks
            .insert(0, generate::thinking_about(&echo_text(request)));
    }
    reply
}

/// The echo's text reply, before tools and thinking.
fn echo_text_reply(request: &Value) -> ContentReply {
    let text = continuation(echo_text(request), prefill(request).as_deref());
    let max_tokens = request
        .get("max_tokens")
        .and_then(Value::as_u64)
        .unwrap_or(u64::MAX)
        .max(1);
    let stop = request
        .get("stop_sequences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|s| !s.is_empty())
        .filter_map(|s| text.find(s).map(|at| (at, s)))
        .min();
    let (mut body, mut stop_reason, mut stop_sequence) = match stop {
        Some((at, sequence)) => (
            text[..at].to_owned(),
            StopReason::StopSequence,
            Some(sequence.to_owned()),
        ),
        None => (text.clone(), StopReason::EndTurn, None),
    };
    let pieces = tokens(&body);
    if pieces.len() as u64 > max_tokens {
        let keep = usize::try_from(max_tokens).unwrap_or(usize::MAX);
        body = pieces[..keep].concat();
        stop_reason = StopReason::MaxTokens;
        stop_sequence = None;
    }
    let blocks = if body.is_empty() {
        Vec::new()
    } else {
        vec![ContentBlock::text(body)]
    };
    ContentReply {
        blocks,
        stop_reason,
        stop_sequence,
        usage: None,
        model: None,
    }
}

/// A complete message from a reply, the request's model and input tokens,
/// with ids from `next_id`.
pub(crate) fn complete(
    reply: ContentReply,
    model: &str,
    input_tokens: u64,
    mut next_id: impl FnMut(&str) -> String,
) -> Message {
    let model = reply.model.unwrap_or_else(|| model.to_owned());
    let mut message = Message::empty(next_id("msg"), model.as_str());
    message.content = reply
        .blocks
        .into_iter()
        .map(|block| match block {
            ContentBlock::ToolUse(call) if call.id.is_empty() => {
                let mut call: ToolUseBlock = call;
                call.id = next_id("toolu");
                ContentBlock::ToolUse(call)
            }
            other => other,
        })
        .collect();
    message.usage = reply
        .usage
        .unwrap_or_else(|| usage(input_tokens, output_tokens(&message.content)));
    message.stop_reason = Some(reply.stop_reason);
    match reply.stop_sequence {
        Some(sequence) => message.stop_sequence = Some(sequence),
        None => {
            message
                .extra
                .insert("stop_sequence".to_owned(), Value::Null);
        }
    }
    message
}

/// Usage shaped like the API's for an uncached, standard-tier request.
pub(crate) fn usage(input_tokens: u64, output_tokens: u64) -> Usage {
    let mut usage = Usage {
        input_tokens,
        output_tokens,
        ..Usage::default()
    };
    usage.cache_creation_input_tokens = Some(0);
    usage.cache_read_input_tokens = Some(0);
    usage.cache_creation = Some(CacheCreation {
        ephemeral_5m_input_tokens: Some(0),
        ephemeral_1h_input_tokens: Some(0),
        ..CacheCreation::default()
    });
    usage.service_tier = Some(UsageServiceTier::Standard);
    usage
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_concatenate_back() {
        for text in [
            "Hello world",
            "  lead",
            "supercalifragilistic word",
            "",
            "é à ü",
        ] {
            assert_eq!(tokens(text).concat(), text);
        }
        assert_eq!(tokens("Hello big world"), ["Hello ", "big ", "world"]);
        assert_eq!(tokens("abcdefghij"), ["abcdefgh", "ij"]);
    }

    #[test]
    fn echo_stops_where_the_api_would() {
        let request =
            json!({"max_tokens": 2, "messages": [{"role": "user", "content": "one two three"}]});
        let reply = echo(&request);
        assert_eq!(reply.stop_reason, StopReason::MaxTokens);
        assert_eq!(reply.blocks[0].as_text(), Some("one two "));

        let request = json!({"max_tokens": 100, "stop_sequences": ["three", "two"],
            "messages": [{"role": "user", "content": "one two three"}]});
        let reply = echo(&request);
        assert_eq!(reply.stop_reason, StopReason::StopSequence);
        assert_eq!(reply.stop_sequence.as_deref(), Some("two"));
        assert_eq!(reply.blocks[0].as_text(), Some("one "));
    }

    #[test]
    fn prefill_is_continued_and_thinking_comes_first() {
        let request = json!({"max_tokens": 100, "messages": [
            {"role": "user", "content": "Hello world"},
            {"role": "assistant", "content": "Hello"}]});
        assert_eq!(echo(&request).blocks[0].as_text(), Some(" world"));
        let unrelated = json!({"max_tokens": 100, "messages": [
            {"role": "user", "content": "Hello world"},
            {"role": "assistant", "content": [{"type": "text", "text": "{"}]}]});
        assert_eq!(echo(&unrelated).blocks[0].as_text(), Some("Hello world"));

        let thinking = json!({"max_tokens": 4096, "thinking": {"type": "enabled", "budget_tokens": 2048},
            "messages": [{"role": "user", "content": "hi"}]});
        let reply = echo(&thinking);
        assert!(matches!(&reply.blocks[0], ContentBlock::Thinking(t) if !t.signature.is_empty()));
        assert_eq!(reply.blocks[1].as_text(), Some("hi"));
    }
}
