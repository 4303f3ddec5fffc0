//! Context management: the edits a request asks for ([`ContextManagement`]),
//! and what the server did to the request's context before answering: the
//! edits it applied, the input blocks it changed, and why the prompt cache
//! missed (`context_management`, `input_transformations`, `diagnostics` of a
//! [`Message`](crate::message::Message)).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::macros::{object, string_enum, tagged_union};

object! {
    /// The context-management edits applied to a request (`context_management`).
    pub struct ContextManagementResponse {
        required {
            /// The edits, in the order applied.
            applied_edits: Vec<AppliedEdit>,
        }
        optional {}
    }
}

tagged_union! {
    /// One applied context-management edit.
    pub enum AppliedEdit {
        /// Old tool uses were cleared.
        "clear_tool_uses_20250919" => ClearToolUses20250919(ClearToolUsesApplied),
        /// Old thinking turns were cleared.
        "clear_thinking_20251015" => ClearThinking20251015(ClearThinkingApplied),
    }
}

object! {
    /// The result of a `clear_tool_uses` edit.
    pub struct ClearToolUsesApplied {
        required {
            /// Input tokens removed.
            cleared_input_tokens: u64,
            /// Tool uses removed.
            cleared_tool_uses: u64,
        }
        optional {}
    }
}

object! {
    /// The result of a `clear_thinking` edit.
    pub struct ClearThinkingApplied {
        required {
            /// Input tokens removed.
            cleared_input_tokens: u64,
            /// Thinking turns removed.
            cleared_thinking_turns: u64,
        }
        optional {}
    }
}

tagged_union! {
    /// One entry of `input_transformations`: a block of the request's
    /// `messages` that failed a binding check.
    pub enum InputTransformation {
        /// The block was removed from the prompt.
        "thinking_dropped" => ThinkingDropped(ThinkingDropped),
        /// The block was shown to the model anyway (the check is not enforced).
        "thinking_mismatch_allowed" => ThinkingMismatchAllowed(ThinkingMismatchAllowed),
    }
}

/// The bodies of the [`InputTransformation`] arms: the same fields, one type
/// per arm.
macro_rules! binding_check {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        object! {
            $(#[$meta])*
            pub struct $name {
                required {
                    /// Where the block is, e.g. `messages.2.content.0`.
                    path: String,
                    /// The check that failed.
                    reason: BindingMismatch,
                }
                optional {}
            }
        }
    )+};
}

binding_check! {
    /// A block removed from the prompt (`thinking_dropped`).
    ThinkingDropped;
    /// A block shown to the model although it failed the check (`thinking_mismatch_allowed`).
    ThinkingMismatchAllowed;
}

string_enum! {
    /// The binding check a thinking block failed.
    pub enum BindingMismatch {
        /// It was produced by another model.
        ModelBindingMismatch => "model_binding_mismatch",
        /// The conversation before it differs from the one it was made in.
        PrefixBindingMismatch => "prefix_binding_mismatch",
        /// It was produced for another organization.
        OrganizationBindingMismatch => "organization_binding_mismatch",
        /// It was produced for another end user.
        EndUserBindingMismatch => "end_user_binding_mismatch",
    }
}

object! {
    /// Request-level diagnostics (`diagnostics`).
    #[derive(Default)]
    pub struct Diagnostics {
        required {}
        optional {
            /// Why the prompt cache could not reuse the previous request's
            /// prefix; `None` while the diagnosis is pending.
            cache_miss_reason: CacheMissReason,
        }
    }
}

tagged_union! {
    /// Why the prompt cache missed.
    pub enum CacheMissReason {
        /// The model differs.
        "model_changed" => ModelChanged(ModelChanged),
        /// The system prompt differs.
        "system_changed" => SystemChanged(SystemChanged),
        /// The tools differ.
        "tools_changed" => ToolsChanged(ToolsChanged),
        /// The messages differ.
        "messages_changed" => MessagesChanged(MessagesChanged),
        /// The previous message was not found.
        "previous_message_not_found" => PreviousMessageNotFound(PreviousMessageNotFound),
        /// No diagnosis is available.
        "unavailable" => Unavailable(CacheMissUnavailable),
    }
}

/// The bodies of the [`CacheMissReason`] arms that count the missed tokens.
macro_rules! cache_miss {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        object! {
            $(#[$meta])*
            pub struct $name {
                required {
                    /// Input tokens that could not be read from the cache.
                    cache_missed_input_tokens: u64,
                }
                optional {}
            }
        }
    )+};
}

cache_miss! {
    /// The model differs from the previous request's (`model_changed`).
    ModelChanged;
    /// The system prompt differs (`system_changed`).
    SystemChanged;
    /// The tools differ (`tools_changed`).
    ToolsChanged;
    /// The messages differ (`messages_changed`).
    MessagesChanged;
}

object! {
    /// The previous message was not found (`previous_message_not_found`).
    #[derive(Default)]
    pub struct PreviousMessageNotFound {
        required {}
        optional {}
    }
}

object! {
    /// No diagnosis is available (`unavailable`).
    #[derive(Default)]
    pub struct CacheMissUnavailable {
        required {}
        optional {}
    }
}

object! {
    /// Automatic context management of a request (`context_management`, beta).
    #[derive(Default)]
    pub struct ContextManagement {
        required {}
        optional {
            /// The edits to apply, in order.
            edits: Vec<ContextEdit>,
        }
    }
}

tagged_union! {
    /// A context-management edit (`context_management.edits[]`).
    pub enum ContextEdit {
        /// Clear old tool uses and their results.
        "clear_tool_uses_20250919" => ClearToolUses20250919(ClearToolUsesEdit),
        /// Clear the thinking of old turns.
        "clear_thinking_20251015" => ClearThinking20251015(ClearThinkingEdit),
        /// Compact the conversation into a summary (a `compaction` block).
        "compact_20260112" => Compact20260112(CompactEdit),
    }
}

object! {
    /// `clear_tool_uses_20250919`.
    #[derive(Default)]
    pub struct ClearToolUsesEdit {
        required {}
        optional {
            /// When to clear: `input_tokens` or `tool_uses` over a value.
            trigger: Threshold,
            /// How many recent tool uses to keep (`tool_uses`).
            keep: Threshold,
            /// Clear at least this much (`input_tokens`) when clearing.
            clear_at_least: Threshold,
            /// Also clear the tool inputs: `true`, or the names of the tools whose inputs to clear.
            clear_tool_inputs: Value,
            /// Tools whose uses are never cleared.
            exclude_tools: Vec<String>,
        }
    }
}

object! {
    /// `clear_thinking_20251015`.
    #[derive(Default)]
    pub struct ClearThinkingEdit {
        required {}
        optional {
            /// Which thinking to keep.
            keep: ThinkingKeep,
        }
    }
}

object! {
    /// `compact_20260112`.
    #[derive(Default)]
    pub struct CompactEdit {
        required {}
        optional {
            /// When to compact (`input_tokens` over a value).
            trigger: Threshold,
            /// Instructions for the summary.
            instructions: String,
            /// End the reply (`stop_reason: "compaction"`) right after compacting.
            pause_after_compaction: bool,
        }
    }
}

object! {
    /// A count of some unit (`{"type": "input_tokens", "value": 30000}`),
    /// as the triggers and limits of the edits state it.
    pub struct Threshold {
        required {
            /// The unit.
            unit: ThresholdUnit = "type",
        }
        optional {
            /// How many (absent for `all`).
            value: u64,
        }
    }
}

impl Threshold {
    /// `value` of `unit`.
    pub fn new(unit: ThresholdUnit, value: u64) -> Self {
        Self {
            value: Some(value),
            ..Self::from_required(unit)
        }
    }
}

string_enum! {
    /// The unit of a [`Threshold`].
    pub enum ThresholdUnit {
        /// Input tokens.
        InputTokens => "input_tokens",
        /// Tool uses.
        ToolUses => "tool_uses",
        /// Assistant turns with thinking.
        ThinkingTurns => "thinking_turns",
        /// Everything (`keep: {"type": "all"}`).
        All => "all",
    }
}

/// Which thinking a `clear_thinking` edit keeps: `"all"`, or a
/// [`Threshold`] (`thinking_turns` with a value, or `all`).
#[derive(Debug, Clone, PartialEq)]
pub enum ThinkingKeep {
    /// `"all"`: keep every turn's thinking.
    All,
    /// The object form.
    Threshold(Threshold),
}

impl Serialize for ThinkingKeep {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::All => serializer.serialize_str("all"),
            Self::Threshold(threshold) => threshold.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ThinkingKeep {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match Value::deserialize(deserializer)? {
            Value::String(all) if all == "all" => Ok(Self::All),
            object @ Value::Object(_) => Threshold::deserialize(object)
                .map(Self::Threshold)
                .map_err(D::Error::custom),
            _ => Err(D::Error::custom(
                "invalid keep: expected \"all\" or a {\"type\": ..} object",
            )),
        }
    }
}
