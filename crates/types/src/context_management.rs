//! What the server did to the request's context before answering: the
//! context-management edits it applied, the input blocks it changed, and
//! why the prompt cache missed (`context_management`, `input_transformations`,
//! `diagnostics` of a [`Message`](crate::Message)).

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
