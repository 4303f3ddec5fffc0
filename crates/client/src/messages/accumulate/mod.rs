//! Folding stream events into the [`Message`] they describe.

mod merge;

use claude_rs_types::content::{ContentBlock, ToolUseBlock};
use claude_rs_types::message::{Message, StopReason};
use claude_rs_types::stream::{ContentBlockDelta, ContentBlockDeltaEvent, MessageStreamEvent};
use serde_json::Value;

use super::partial_json::PartialJson;
use crate::core::error::{Error, ProtocolKind};

/// Builds the message from its events.
///
/// It does what the official SDKs' (beta) accumulator does:
///
/// * `message_start` is the snapshot (its content may already hold blocks);
/// * `content_block_start` appends a block; a `fallback` block also sets the
///   message's `model` to the model that took over (`to.model`), as the
///   non-streamed reply names the model that served it;
/// * text, thinking and citations deltas append, `signature_delta` sets the
///   signature, `compaction_delta` sets the compaction block's `content` and
///   `encrypted_content` (it replaces, it does not append);
/// * `input_json_delta` fragments are gathered per block and parsed into the
///   tool's `input` when the block stops; until then
///   [`partial_json`](Self::partial_json) returns the raw text, and with
///   [`live_input`](Self::live_input) on, [`partial_input`](Self::partial_input)
///   the input parsed so far (each fragment is read once, so this costs time
///   linear in the input). A call that never stops, because `max_tokens`
///   ended the reply inside it, gets the input parsed so far as its `input`
///   (as the official SDKs do), and its index is listed in
///   [`incomplete_inputs`](Self::incomplete_inputs);
/// * `message_delta` sets `stop_reason`, `stop_sequence` and `stop_details`
///   to the values it carries, absent or `null` ones included (so a
///   `stop_details` of `message_start` does not outlive the final delta);
///   it sets `container`, `context_management` and `input_transformations`
///   when it carries them, and every usage field it carries (`output_tokens`,
///   `input_tokens`, the cache counts, `server_tool_use`,
///   `output_tokens_details`, `iterations`, `fallback_credit`, ...): they are
///   cumulative totals, so they replace rather than add;
/// * `ping`, `message_stop` and unknown events change nothing.
///
/// # And nothing else is lost
///
/// The API adds fields long before any SDK models them, and a streamed reply
/// must give the same message as the non-streamed one, which this crate
/// keeps whole (unknown fields included). So beyond the official rule:
///
/// * every field of `message_delta.usage`, known or not, replaces the
///   message's usage field of that name; every field of
///   `message_delta.delta`, and every top-level field of the event other than
///   `type`, `delta` and `usage`, sets the message's field of that name. A
///   known field is decoded into its type (a value that does not fit is an
///   error naming the field, never a silent drop); an unknown one goes to the
///   message's `extra`. A `null` never erases a value: it is written only
///   where the message has no such field yet, so it is kept as the API sent
///   it (the `stop_*` fields excepted, as above);
/// * a delta of a type this crate does not know, or one sent to a block it
///   does not fit (say `text_delta` to a tool call), cannot be folded into
///   the message; it is kept, whole and with its index, in arrival order, in
///   [`unapplied_deltas`](Self::unapplied_deltas) (logged at debug level with
///   the `tracing` feature), so a newer API's data is never silently dropped.
///
/// ```
/// use claude_rs_client::messages::MessageAccumulator;
/// use claude_rs_types::stream::MessageStreamEvent;
///
/// let events = [
///     r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",
///        "content":[],"model":"claude-opus-4-5","stop_reason":null,"stop_sequence":null,
///        "usage":{"input_tokens":5,"output_tokens":1}}}"#,
///     r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
///     r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#,
///     r#"{"type":"content_block_delta","index":0,"delta":{"type":"hologram_delta","frames":3}}"#,
///     r#"{"type":"content_block_stop","index":0}"#,
///     r#"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
///        "usage":{"output_tokens":2,"future_tokens":7}}"#,
///     r#"{"type":"message_stop"}"#,
/// ];
/// let mut accumulator = MessageAccumulator::new();
/// for event in events {
///     accumulator.apply(&serde_json::from_str::<MessageStreamEvent>(event)?)?;
/// }
/// assert!(accumulator.is_complete());
/// assert_eq!(accumulator.unapplied_deltas()[0].delta.type_str(), "hologram_delta");
/// let message = accumulator.into_message().unwrap();
/// assert_eq!(message.text(), "Hi");
/// assert_eq!(message.usage.output_tokens, 2);
/// assert_eq!(message.usage.extra["future_tokens"], 7);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default, Clone)]
pub struct MessageAccumulator {
    message: Option<Message>,
    /// `input_json_delta` text per block index, until the block stops.
    partial_json: Vec<PendingInput>,
    /// Whether tool inputs are parsed as they arrive.
    live: bool,
    /// Blocks whose input was cut short and holds what had arrived.
    incomplete: Vec<usize>,
    /// Deltas that could not be folded into their block, in arrival order.
    unapplied: Vec<ContentBlockDeltaEvent>,
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
        self.pending(index).map(|pending| pending.raw.as_str())
    }

    /// Parses tool inputs as their fragments arrive, for
    /// [`partial_input`](Self::partial_input). Off by default: without it a
    /// fragment is only appended to the raw text.
    pub fn live_input(mut self) -> Self {
        self.set_live_input(true);
        self
    }

    /// Switches live parsing on or off; switched on midway, it catches up
    /// on the text gathered so far once.
    pub fn set_live_input(&mut self, live: bool) {
        self.live = live;
        for pending in &mut self.partial_json {
            pending.live = live.then(|| PartialJson::of(&pending.raw));
        }
    }

    /// The input parsed so far of the tool call at `index`, while it is
    /// arriving (with [`live_input`](Self::live_input) on): open objects,
    /// arrays and strings closed where the text ends, so a UI can show the
    /// call as it is written. `None` before its first fragment.
    pub fn partial_input(&self, index: usize) -> Option<&Value> {
        self.pending(index)?.live.as_ref()?.value()
    }

    /// The indices of the tool calls whose input was cut short (the reply
    /// hit `max_tokens` inside them): their `input` holds what had arrived.
    pub fn incomplete_inputs(&self) -> &[usize] {
        &self.incomplete
    }

    /// The `content_block_delta` events that could not be folded into their
    /// block (an unknown delta type, or a delta that does not fit the block
    /// at its index), whole and in arrival order.
    pub fn unapplied_deltas(&self) -> &[ContentBlockDeltaEvent] {
        &self.unapplied
    }

    /// Applies one event.
    pub fn apply(&mut self, event: &MessageStreamEvent) -> Result<(), Error> {
        match event {
            MessageStreamEvent::MessageStart(start) => {
                self.message = Some(start.message.clone());
                self.partial_json.clear();
                self.unapplied.clear();
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
                if let ContentBlock::Fallback(fallback) = &start.content_block {
                    message.model.clone_from(&fallback.to.model);
                }
                message.content.push(start.content_block.clone());
            }
            MessageStreamEvent::ContentBlockDelta(delta) => {
                let index = delta.index;
                let block = self.block_mut(index, "content_block_delta")?;
                let applied = match &delta.delta {
                    ContentBlockDelta::InputJson(json) if takes_json(block) => {
                        self.push_json(index, &json.partial_json);
                        true
                    }
                    other => apply_delta(block, other),
                };
                if !applied {
                    self.keep_unapplied(delta);
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
                merge::message_delta(self.message_mut("message_delta")?, delta)?;
                self.close_cut_inputs();
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

    fn keep_unapplied(&mut self, delta: &ContentBlockDeltaEvent) {
        #[cfg(feature = "tracing")]
        tracing::debug!(
            index = delta.index,
            delta_type = delta.delta.type_str(),
            "content_block_delta not folded into its block; kept in unapplied_deltas"
        );
        self.unapplied.push(delta.clone());
    }

    fn pending(&self, index: usize) -> Option<&PendingInput> {
        self.partial_json.iter().find(|p| p.index == index)
    }

    fn push_json(&mut self, index: usize, fragment: &str) {
        let live = self.live;
        let pending = match self.partial_json.iter().position(|p| p.index == index) {
            Some(at) => &mut self.partial_json[at],
            None => {
                self.partial_json.push(PendingInput {
                    index,
                    raw: String::new(),
                    live: live.then(PartialJson::default),
                });
                let last = self.partial_json.len() - 1;
                &mut self.partial_json[last]
            }
        };
        pending.raw.push_str(fragment);
        if let Some(partial) = &mut pending.live {
            partial.push(fragment);
        }
    }

    fn take_json(&mut self, index: usize) -> Option<String> {
        let position = self.partial_json.iter().position(|p| p.index == index)?;
        Some(self.partial_json.swap_remove(position).raw)
    }

    /// A `max_tokens` stop ends the reply with tool calls still open: each
    /// gets the input parsed so far, and is listed as incomplete.
    fn close_cut_inputs(&mut self) {
        let Some(message) = self.message.as_mut() else {
            return;
        };
        if message.stop_reason != Some(StopReason::MaxTokens) {
            return;
        }
        for pending in &self.partial_json {
            let parsed = match &pending.live {
                Some(live) => live.value().cloned(),
                None => PartialJson::of(&pending.raw).value().cloned(),
            };
            let (Some(input), Some(block)) = (parsed, message.content.get_mut(pending.index))
            else {
                continue;
            };
            set_input(block, input);
            if !self.incomplete.contains(&pending.index) {
                self.incomplete.push(pending.index);
            }
        }
    }
}

/// A tool call's input while it arrives.
#[derive(Debug, Clone)]
struct PendingInput {
    index: usize,
    raw: String,
    /// The input parsed so far, with live parsing on.
    live: Option<PartialJson>,
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

/// Folds a delta into its block; `false` when it does not fit the block.
fn apply_delta(block: &mut ContentBlock, delta: &ContentBlockDelta) -> bool {
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
        (ContentBlock::Compaction(block), ContentBlockDelta::Compaction(delta)) => {
            block.content.clone_from(&delta.content);
            block.encrypted_content.clone_from(&delta.encrypted_content);
            // An explicit `null` (a failed compaction) is written back as sent.
            for key in ["content", "encrypted_content"] {
                if delta.extra.get(key).is_some_and(Value::is_null) {
                    block.extra.insert(key.to_owned(), Value::Null);
                }
            }
        }
        _ => return false,
    }
    true
}
