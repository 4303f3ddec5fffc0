//! Folding stream events into the [`Message`] they describe.

use claude_types::Message;
use claude_types::content::{ContentBlock, ToolUseBlock};
use claude_types::stream::{ContentBlockDelta, MessageDeltaEvent, MessageStreamEvent};
use serde_json::Value;

use crate::core::error::{Error, ProtocolKind};

/// Builds the message from its events, the way the official SDKs do.
///
/// * `message_start` is the snapshot (its content may already hold blocks);
/// * `content_block_start` appends a block;
/// * text, thinking and citations deltas append, `signature_delta` sets the
///   signature;
/// * `input_json_delta` fragments are gathered per block and parsed into the
///   tool's `input` when the block stops; until then (or if it never stops,
///   as when `max_tokens` cuts a call short) [`partial_json`](Self::partial_json)
///   returns the raw text;
/// * `message_delta` sets the stop reason, stop sequence, stop details,
///   container and the usage fields it carries;
/// * `ping`, `message_stop` and unknown events change nothing, and a known
///   delta sent to a block it does not fit (or to an unknown block) is left
///   out of the snapshot rather than failing the stream.
#[derive(Debug, Default, Clone)]
pub struct MessageAccumulator {
    message: Option<Message>,
    /// Raw `input_json_delta` text per block index, until the block stops.
    partial_json: Vec<(usize, String)>,
    stopped: bool,
}

impl MessageAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// The message so far; `None` before `message_start`.
    pub fn snapshot(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// Takes the message out.
    pub fn into_message(self) -> Option<Message> {
        self.message
    }

    /// Whether `message_stop` was seen.
    pub fn is_complete(&self) -> bool {
        self.stopped
    }

    /// The raw tool-input JSON gathered so far for the block at `index`,
    /// while that block has not stopped.
    pub fn partial_json(&self, index: usize) -> Option<&str> {
        self.partial_json
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, json)| json.as_str())
    }

    /// Applies one event.
    pub fn apply(&mut self, event: &MessageStreamEvent) -> Result<(), Error> {
        match event {
            MessageStreamEvent::MessageStart(start) => {
                self.message = Some(start.message.clone());
                self.partial_json.clear();
            }
            MessageStreamEvent::ContentBlockStart(start) => {
                let message = self.message_mut("content_block_start")?;
                if start.index != message.content.len() {
                    return Err(Error::protocol(
                        ProtocolKind::OutOfOrder,
                        format!(
                            "content_block_start for index {} but the message has {} block(s)",
                            start.index,
                            message.content.len()
                        ),
                    ));
                }
                message.content.push(start.content_block.clone());
            }
            MessageStreamEvent::ContentBlockDelta(delta) => {
                let index = delta.index;
                let block = self.block_mut(index, "content_block_delta")?;
                if let ContentBlockDelta::InputJson(json) = &delta.delta {
                    if takes_json(block) {
                        self.push_json(index, &json.partial_json);
                    }
                } else {
                    apply_delta(block, &delta.delta);
                }
            }
            MessageStreamEvent::ContentBlockStop(stop) => {
                let index = stop.index;
                let json = self.take_json(index);
                let block = self.block_mut(index, "content_block_stop")?;
                if let Some(json) = json.filter(|j| !j.trim().is_empty()) {
                    let input: Value = serde_json::from_str(&json).map_err(|e| {
                        Error::decode(format!("tool input of block {index}"), json.as_bytes(), e)
                    })?;
                    set_input(block, input);
                }
            }
            MessageStreamEvent::MessageDelta(delta) => {
                apply_message_delta(self.message_mut("message_delta")?, delta);
            }
            MessageStreamEvent::MessageStop(_) => self.stopped = true,
            // Ping, error (surfaced by the stream) and unknown events.
            _ => {}
        }
        Ok(())
    }

    fn message_mut(&mut self, event: &str) -> Result<&mut Message, Error> {
        self.message.as_mut().ok_or_else(|| {
            Error::protocol(
                ProtocolKind::OutOfOrder,
                format!("{event} before message_start"),
            )
        })
    }

    fn block_mut(&mut self, index: usize, event: &str) -> Result<&mut ContentBlock, Error> {
        let message = self.message_mut(event)?;
        let len = message.content.len();
        message.content.get_mut(index).ok_or_else(|| {
            Error::protocol(
                ProtocolKind::OutOfOrder,
                format!("{event} for block {index} but the message has {len} block(s)"),
            )
        })
    }

    fn push_json(&mut self, index: usize, fragment: &str) {
        match self.partial_json.iter_mut().find(|(i, _)| *i == index) {
            Some((_, json)) => json.push_str(fragment),
            None => self.partial_json.push((index, fragment.to_owned())),
        }
    }

    fn take_json(&mut self, index: usize) -> Option<String> {
        let position = self.partial_json.iter().position(|(i, _)| *i == index)?;
        Some(self.partial_json.swap_remove(position).1)
    }
}

fn takes_json(block: &ContentBlock) -> bool {
    matches!(
        block,
        ContentBlock::ToolUse(_) | ContentBlock::ServerToolUse(_) | ContentBlock::McpToolUse(_)
    )
}

fn set_input(block: &mut ContentBlock, input: Value) {
    match block {
        ContentBlock::ToolUse(ToolUseBlock { input: slot, .. }) => *slot = input,
        ContentBlock::ServerToolUse(tool) => tool.input = input,
        ContentBlock::McpToolUse(tool) => tool.input = input,
        _ => {}
    }
}

fn apply_delta(block: &mut ContentBlock, delta: &ContentBlockDelta) {
    match (block, delta) {
        (ContentBlock::Text(block), ContentBlockDelta::Text(delta)) => {
            block.text.push_str(&delta.text)
        }
        (ContentBlock::Text(block), ContentBlockDelta::Citations(delta)) => {
            block
                .citations
                .get_or_insert_with(Vec::new)
                .push(delta.citation.clone());
        }
        (ContentBlock::Thinking(block), ContentBlockDelta::Thinking(delta)) => {
            block.thinking.push_str(&delta.thinking);
        }
        (ContentBlock::Thinking(block), ContentBlockDelta::Signature(delta)) => {
            block.signature.clone_from(&delta.signature);
        }
        _ => {}
    }
}

fn apply_message_delta(message: &mut Message, event: &MessageDeltaEvent) {
    let delta = &event.delta;
    if delta.stop_reason.is_some() {
        message.stop_reason.clone_from(&delta.stop_reason);
    }
    if delta.stop_sequence.is_some() {
        message.stop_sequence.clone_from(&delta.stop_sequence);
    }
    if delta.stop_details.is_some() {
        message.stop_details.clone_from(&delta.stop_details);
    }
    if delta.container.is_some() {
        message.container.clone_from(&delta.container);
    }
    let usage = &event.usage;
    let target = &mut message.usage;
    target.output_tokens = usage.output_tokens;
    if let Some(tokens) = usage.input_tokens {
        target.input_tokens = tokens;
    }
    if usage.cache_creation_input_tokens.is_some() {
        target.cache_creation_input_tokens = usage.cache_creation_input_tokens;
    }
    if usage.cache_read_input_tokens.is_some() {
        target.cache_read_input_tokens = usage.cache_read_input_tokens;
    }
    if usage.server_tool_use.is_some() {
        target.server_tool_use.clone_from(&usage.server_tool_use);
    }
    if usage.output_tokens_details.is_some() {
        target
            .output_tokens_details
            .clone_from(&usage.output_tokens_details);
    }
}
