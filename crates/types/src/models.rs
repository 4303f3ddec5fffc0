//! The Models API: which models exist.

use crate::macros::object;

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
            /// `active`, `deprecated` or `retired`.
            lifecycle: String,
            /// Context window size in tokens.
            max_input_tokens: u64,
            /// Maximum output tokens.
            max_tokens: u64,
            /// When it was deprecated.
            deprecated_at: String,
            /// When it retires.
            retires_at: String,
            /// What the model supports.
            capabilities: serde_json::Value,
        }
    }
}
