//! A [`Message`] as the API would stream it, and SSE framing.

use bytes::Bytes;
use claude_rs_types::common::Extra;
use claude_rs_types::stream::{
    CitationsDelta, ContentBlockDeltaEvent, ContentBlockStartEvent, ContentBlockStopEvent,
    InputJsonDelta, MessageDelta, MessageDeltaEvent, MessageDeltaUsage, MessageStartEvent,
    MessageStopEvent, PingEvent, SignatureDelta, TextDelta, ThinkingDelta,
};
use claude_rs_types::{
    content::ContentBlock, message::Message, stream::ContentBlockDelta, stream::MessageStreamEvent,
};
use serde_json::Value;

use crate::echo;

/// Tokens per `text_delta` / `thinking_delta`.
const TOKENS_PER_DELTA: usize = 2;
/// Characters per `input_json_delta` fragment.
const JSON_FRAGMENT: usize = 12;

/// The events the API sends for `message`, in the API's order:
/// `message_start`, then per block `content_block_start`, its deltas and
/// `content_block_stop` (a `ping` after the first block's start), then
/// `message_delta` with the stop reason and usage, and `message_stop`.
///
/// Text and thinking are split into several deltas of a couple of tokens,
/// tool input JSON into several `input_json_delta` fragments (after the
/// API's leading empty one); other blocks arrive whole in their start event.
pub fn message_events(message: &Message) -> Vec<MessageStreamEvent> {
    let mut events = Vec::new();
    let mut start = message.clone();
    start.content = Vec::new();
    start.stop_reason = None;
    start.stop_sequence = None;
    start.stop_details = None;
    start.extra.insert("stop_reason".to_owned(), Value::Null);
    start.extra.insert("stop_sequence".to_owned(), Value::Null);
    start.usage.output_tokens = message.usage.output_tokens.min(1);
    events.push(MessageStreamEvent::MessageStart(MessageStartEvent {
        message: start,
        extra: Extra::new(),
    }));

    for (index, block) in message.content.iter().enumerate() {
        let (initial, deltas) = split_block(block);
        events.push(MessageStreamEvent::ContentBlockStart(
            ContentBlockStartEvent {
                index,
                content_block: initial,
                extra: Extra::new(),
            },
        ));
        if index == 0 {
            events.push(MessageStreamEvent::Ping(PingEvent::default()));
        }
        events.extend(deltas.into_iter().map(|delta| {
            MessageStreamEvent::ContentBlockDelta(ContentBlockDeltaEvent {
                index,
                delta,
                extra: Extra::new(),
            })
        }));
        events.push(MessageStreamEvent::ContentBlockStop(
            ContentBlockStopEvent {
                index,
                extra: Extra::new(),
            },
        ));
    }
    if message.content.is_empty() {
        events.push(MessageStreamEvent::Ping(PingEvent::default()));
    }

    let mut delta = MessageDelta {
        stop_reason: message.stop_reason.clone(),
        stop_sequence: message.stop_sequence.clone(),
        stop_details: message.stop_details.clone(),
        container: message.container.clone(),
        extra: Extra::new(),
    };
    if delta.stop_sequence.is_none() {
        delta.extra.insert("stop_sequence".to_owned(), Value::Null);
    }
    let usage = &message.usage;
    events.push(MessageStreamEvent::MessageDelta(MessageDeltaEvent {
        delta,
        usage: MessageDeltaUsage {
            output_tokens: usage.output_tokens,
            input_tokens: Some(usage.input_tokens),
            cache_creation_input_tokens: usage.cache_creation_input_tokens,
            cache_read_input_tokens: usage.cache_read_input_tokens,
            server_tool_use: usage.server_tool_use.clone(),
            output_tokens_details: usage.output_tokens_details.clone(),
            iterations: usage.iterations.clone(),
            fallback_credit: usage.fallback_credit.clone(),
            extra: Extra::new(),
        },
        context_management: message.context_management.clone(),
        input_transformations: message.input_transformations.clone(),
        extra: Extra::new(),
    }));
    events.push(MessageStreamEvent::MessageStop(MessageStopEvent::default()));
    events
}

/// A block's state in `content_block_start` and the deltas that complete it.
fn split_block(block: &ContentBlock) -> (ContentBlock, Vec<ContentBlockDelta>) {
    match block {
        ContentBlock::Text(text) => {
            let mut initial = text.clone();
            initial.text = String::new();
            initial.citations = text.citations.as_ref().map(|_| Vec::new());
            let citations = text.citations.iter().flatten().map(|citation| {
                ContentBlockDelta::Citations(CitationsDelta {
                    citation: citation.clone(),
                    extra: Extra::new(),
                })
            });
            let pieces = chunk_tokens(&text.text).into_iter().map(|piece| {
                ContentBlockDelta::Text(TextDelta {
                    text: piece,
                    extra: Extra::new(),
                })
            });
            (
                ContentBlock::Text(initial),
                citations.chain(pieces).collect(),
            )
        }
        ContentBlock::ToolUse(call) => {
            let mut initial = call.clone();
            initial.input = Value::Object(Default::default());
            (ContentBlock::ToolUse(initial), json_deltas(&call.input))
        }
        ContentBlock::ServerToolUse(call) => {
            let mut initial = call.clone();
            initial.input = Value::Object(Default::default());
            (
                ContentBlock::ServerToolUse(initial),
                json_deltas(&call.input),
            )
        }
        ContentBlock::Thinking(thinking) => {
            let mut initial = thinking.clone();
            initial.thinking = String::new();
            initial.signature = String::new();
            let mut deltas: Vec<_> = chunk_tokens(&thinking.thinking)
                .into_iter()
                .map(|piece| {
                    ContentBlockDelta::Thinking(ThinkingDelta {
                        thinking: piece,
                        estimated_tokens: None,
                        extra: Extra::new(),
                    })
                })
                .collect();
            deltas.push(ContentBlockDelta::Signature(SignatureDelta {
                signature: thinking.signature.clone(),
                extra: Extra::new(),
            }));
            (ContentBlock::Thinking(initial), deltas)
        }
        other => (other.clone(), Vec::new()),
    }
}

/// Text in pieces of [`TOKENS_PER_DELTA`] tokens.
fn chunk_tokens(text: &str) -> Vec<String> {
    echo::tokens(text)
        .chunks(TOKENS_PER_DELTA)
        .map(|piece| piece.concat())
        .collect()
}

/// The API's `input_json_delta`s for a tool input: an empty fragment, then
/// the JSON in pieces of [`JSON_FRAGMENT`] characters.
fn json_deltas(input: &Value) -> Vec<ContentBlockDelta> {
    let json = serde_json::to_string(input).unwrap_or_else(|_| "{}".to_owned());
    let chars: Vec<char> = json.chars().collect();
    std::iter::once(String::new())
        .chain(
            chars
                .chunks(JSON_FRAGMENT)
                .map(|piece| piece.iter().collect()),
        )
        .map(|partial_json| {
            ContentBlockDelta::InputJson(InputJsonDelta {
                partial_json,
                extra: Extra::new(),
            })
        })
        .collect()
}

/// One event framed as the API frames it: `event: <type>\ndata: <json>\n\n`.
pub fn encode_event(event: &MessageStreamEvent) -> Bytes {
    let data = serde_json::to_string(event).unwrap_or_else(|_| "{}".to_owned());
    frame(event.type_str(), &data)
}

/// An SSE frame from an event type and its data (one line).
pub(crate) fn frame(event_type: &str, data: &str) -> Bytes {
    Bytes::from(format!("event: {event_type}\ndata: {data}\n\n"))
}
