//! Streaming events of `POST /v1/messages` with `stream: true`.
//!
//! The order is: `message_start`, then for each content block
//! `content_block_start`, any number of `content_block_delta`,
//! `content_block_stop`; then `message_delta` (stop reason and cumulative
//! usage) and `message_stop`. `ping` may come anywhere; `error` ends the
//! stream. Unknown events and deltas are kept verbatim (`Unknown`) so a
//! client can skip them without failing.

use crate::citation::Citation;
use crate::content::ContentBlock;
use crate::error::ErrorResponse;
use crate::macros::{object, tagged_union};
use crate::message::{Container, Message, StopDetails, StopReason};
use crate::usage::{OutputTokensDetails, ServerToolUsage};

tagged_union! {
    /// One event of a Messages stream (the JSON `data` of a server-sent event).
    pub enum MessageStreamEvent {
        /// The message's start: a snapshot with (usually) empty content.
        "message_start" => MessageStart(MessageStartEvent),
        /// A new content block at `index`.
        "content_block_start" => ContentBlockStart(ContentBlockStartEvent),
        /// A piece of the block at `index`.
        "content_block_delta" => ContentBlockDelta(ContentBlockDeltaEvent),
        /// The block at `index` is complete.
        "content_block_stop" => ContentBlockStop(ContentBlockStopEvent),
        /// Top-level changes: stop reason and cumulative usage.
        "message_delta" => MessageDelta(MessageDeltaEvent),
        /// The end of the message.
        "message_stop" => MessageStop(MessageStopEvent),
        /// A keep-alive; carries nothing.
        "ping" => Ping(PingEvent),
        /// An error that ends the stream.
        "error" => Error(ErrorResponse),
    }
}

object! {
    /// `message_start`.
    pub struct MessageStartEvent {
        required {
            /// The message so far.
            message: Message,
        }
        optional {}
    }
}

object! {
    /// `content_block_start`.
    pub struct ContentBlockStartEvent {
        required {
            /// Position of the block in the message's content.
            index: usize,
            /// The block's initial state (text and tool input empty).
            content_block: ContentBlock,
        }
        optional {}
    }
}

object! {
    /// `content_block_delta`.
    pub struct ContentBlockDeltaEvent {
        required {
            /// Position of the block in the message's content.
            index: usize,
            /// The piece.
            delta: ContentBlockDelta,
        }
        optional {}
    }
}

object! {
    /// `content_block_stop`.
    pub struct ContentBlockStopEvent {
        required {
            /// Position of the finished block.
            index: usize,
        }
        optional {}
    }
}

object! {
    /// `message_delta`.
    pub struct MessageDeltaEvent {
        required {
            /// The changed top-level fields.
            delta: MessageDelta,
            /// Cumulative usage so far.
            usage: MessageDeltaUsage,
        }
        optional {
            /// What context management did to the request (beta).
            context_management: crate::context_management::ContextManagementResponse,
            /// How the input was transformed before sampling; replaces the
            /// message's (beta).
            input_transformations: Vec<crate::context_management::InputTransformation>,
        }
    }
}

object! {
    /// `message_stop`.
    #[derive(Default)]
    pub struct MessageStopEvent {
        required {}
        optional {}
    }
}

object! {
    /// `ping`.
    #[derive(Default)]
    pub struct PingEvent {
        required {}
        optional {}
    }
}

tagged_union! {
    /// A piece of a content block.
    pub enum ContentBlockDelta {
        /// Text to append to a text block.
        "text_delta" => Text(TextDelta),
        /// A fragment of a tool call's input JSON.
        "input_json_delta" => InputJson(InputJsonDelta),
        /// A citation to append to a text block.
        "citations_delta" => Citations(CitationsDelta),
        /// Reasoning text to append to a thinking block.
        "thinking_delta" => Thinking(ThinkingDelta),
        /// The signature of a thinking block.
        "signature_delta" => Signature(SignatureDelta),
        /// The summary of a compaction block.
        "compaction_delta" => Compaction(CompactionDelta),
    }
}

object! {
    /// `compaction_delta`: the content of a compaction block. It replaces
    /// the block's `content` and `encrypted_content` (it does not append).
    #[derive(Default)]
    pub struct CompactionDelta {
        required {}
        optional {
            /// The summary.
            content: String,
            /// Opaque compaction data, to be sent back verbatim.
            encrypted_content: String,
        }
    }
}

object! {
    /// `text_delta`.
    pub struct TextDelta {
        required {
            /// The text to append.
            text: String,
        }
        optional {}
    }
}

object! {
    /// `input_json_delta`: fragments concatenate to the tool input's JSON.
    pub struct InputJsonDelta {
        required {
            /// The fragment (not valid JSON on its own).
            partial_json: String,
        }
        optional {}
    }
}

object! {
    /// `citations_delta`.
    pub struct CitationsDelta {
        required {
            /// The citation to append.
            citation: Citation,
        }
        optional {}
    }
}

object! {
    /// `thinking_delta`.
    pub struct ThinkingDelta {
        required {
            /// The reasoning text to append.
            thinking: String,
        }
        optional {
            /// This frame's increment of a coarse running estimate of the
            /// tokens the block has produced (beta
            /// `thinking-token-count-2026-05-13`, when thinking is omitted): a
            /// display hint, never a billable count.
            estimated_tokens: u64,
        }
    }
}

object! {
    /// `signature_delta`.
    pub struct SignatureDelta {
        required {
            /// The thinking block's signature.
            signature: String,
        }
        optional {}
    }
}

object! {
    /// The top-level fields changed by a `message_delta`; only those present apply.
    #[derive(Default)]
    pub struct MessageDelta {
        required {}
        optional {
            /// Why generation stopped.
            stop_reason: StopReason,
            /// The stop sequence generated.
            stop_sequence: String,
            /// Detail about the stop.
            stop_details: StopDetails,
            /// The container used.
            container: Container,
        }
    }
}

object! {
    /// Cumulative usage in a `message_delta`; only fields present apply.
    #[derive(Default)]
    pub struct MessageDeltaUsage {
        required {
            /// Output tokens so far.
            output_tokens: u64,
        }
        optional {
            /// Input tokens.
            input_tokens: u64,
            /// Input tokens written to the cache.
            cache_creation_input_tokens: u64,
            /// Input tokens read from the cache.
            cache_read_input_tokens: u64,
            /// Server tool calls.
            server_tool_use: ServerToolUsage,
            /// A breakdown of the output tokens.
            output_tokens_details: OutputTokensDetails,
            /// Usage per sampling iteration.
            iterations: Vec<crate::usage::IterationUsage>,
            /// What became of the request's `fallback_credit_token`.
            fallback_credit: crate::usage::FallbackCreditUsage,
        }
    }
}
