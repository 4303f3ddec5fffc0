//! Extended-thinking blocks.

use crate::common::Extra;
use crate::macros::object;

object! {
    /// The model's visible reasoning (`thinking`).
    ///
    /// Send it back unchanged, signature included, when continuing a turn that
    /// used tools: the API checks the signature.
    pub struct ThinkingBlock {
        required {
            /// The reasoning text (may be a summary).
            thinking: String,
            /// Opaque signature that authenticates the block.
            signature: String,
        }
        optional {}
    }
}

impl ThinkingBlock {
    /// A thinking block from its text and signature.
    pub fn new(thinking: impl Into<String>, signature: impl Into<String>) -> Self {
        Self {
            thinking: thinking.into(),
            signature: signature.into(),
            extra: Extra::new(),
        }
    }
}

object! {
    /// Reasoning that was encrypted by the API (`redacted_thinking`); opaque,
    /// but must be sent back unchanged.
    pub struct RedactedThinkingBlock {
        required {
            /// The encrypted reasoning.
            data: String,
        }
        optional {}
    }
}
