//! The Models API: which models exist and what each supports.

use crate::macros::{object, string_enum};

object! {
    /// A model (`type: "model"`).
    pub struct ModelInfo {
        required {
            /// The model id, e.g. `claude-opus-4-5`.
            id: String,
            /// `model`.
            kind: String = "type",
            /// A human-readable name.
            display_name: String,
            /// When it was released (RFC 3339).
            created_at: String,
        }
        optional {
            /// Where the model is in its life: active, deprecated or retired.
            lifecycle: ModelLifecycle,
            /// The model line (`opus`, `sonnet`, `haiku`, ...).
            line: ModelLine,
            /// Context window size in tokens.
            max_input_tokens: u64,
            /// Maximum output tokens.
            max_tokens: u64,
            /// When it was deprecated.
            deprecated_at: String,
            /// When it retires.
            retires_at: String,
            /// What the model supports.
            capabilities: ModelCapabilities,
            /// The models a request to this one may fall back to (`fallbacks`).
            allowed_fallback_models: Vec<String>,
        }
    }
}

string_enum! {
    /// Where a model is in its life (`lifecycle`).
    pub enum ModelLifecycle {
        /// Available.
        Active => "active",
        /// Still served, with a retirement date.
        Deprecated => "deprecated",
        /// No longer served.
        Retired => "retired",
    }
}

string_enum! {
    /// A model line (`line`).
    pub enum ModelLine {
        /// Haiku.
        Haiku => "haiku",
        /// Sonnet.
        Sonnet => "sonnet",
        /// Opus.
        Opus => "opus",
        /// Fable.
        Fable => "fable",
        /// Mythos.
        Mythos => "mythos",
    }
}

object! {
    /// What a model supports (`capabilities`). Each entry says whether the
    /// feature is supported; the finer breakdowns (thinking types, effort
    /// levels, context-management edits, server tools) are in each entry's
    /// `extra`, by the API's names.
    #[derive(Default)]
    pub struct ModelCapabilities {
        required {}
        optional {
            /// Message Batches.
            batch: CapabilitySupport,
            /// Citations.
            citations: CapabilitySupport,
            /// Code execution.
            code_execution: CapabilitySupport,
            /// Server-side compaction (`summarize` in `extra`).
            compaction: CapabilitySupport,
            /// Context-management edits, one entry per edit type in `extra`.
            context_management: CapabilitySupport,
            /// Effort levels (`low` ... `max` in `extra`).
            effort: CapabilitySupport,
            /// Image input.
            image_input: CapabilitySupport,
            /// PDF input.
            pdf_input: CapabilitySupport,
            /// Server tools (`web_search`, `code_execution` in `extra`).
            server_tools: CapabilitySupport,
            /// Structured outputs.
            structured_outputs: CapabilitySupport,
            /// Extended thinking (its `types` in `extra`).
            thinking: CapabilitySupport,
        }
    }
}

object! {
    /// Whether a capability is supported.
    pub struct CapabilitySupport {
        required {
            /// `true` when the model supports it.
            supported: bool,
        }
        optional {}
    }
}
