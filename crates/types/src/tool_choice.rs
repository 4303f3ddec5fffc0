//! `tool_choice`: whether and which tool the model must use.

use crate::macros::{object, tagged_union};

tagged_union! {
    /// How the model should use the tools (`tool_choice`).
    pub enum ToolChoice {
        /// The model decides.
        "auto" => Auto(ToolChoiceAuto),
        /// The model must use some tool.
        "any" => Any(ToolChoiceAny),
        /// The model must use the named tool.
        "tool" => Tool(ToolChoiceTool),
        /// The model must not use tools.
        "none" => None(ToolChoiceNone),
    }
}

object! {
    /// The model decides whether to use tools (`auto`).
    #[derive(Default)]
    pub struct ToolChoiceAuto {
        required {}
        optional {
            /// At most one tool call per reply.
            disable_parallel_tool_use: bool,
        }
    }
}

object! {
    /// The model must use some tool (`any`).
    #[derive(Default)]
    pub struct ToolChoiceAny {
        required {}
        optional {
            /// At most one tool call per reply.
            disable_parallel_tool_use: bool,
        }
    }
}

object! {
    /// The model must not use tools (`none`).
    #[derive(Default)]
    pub struct ToolChoiceNone {
        required {}
        optional {
            /// At most one tool call per reply (no effect while tools are off;
            /// kept so every tool choice has the same options).
            disable_parallel_tool_use: bool,
        }
    }
}

object! {
    /// A tool choice naming a tool (`tool`).
    pub struct ToolChoiceTool {
        required {
            /// The tool's name.
            name: String,
        }
        optional {
            /// At most one tool call per reply.
            disable_parallel_tool_use: bool,
        }
    }
}

impl ToolChoice {
    /// `auto`.
    pub fn auto() -> Self {
        Self::Auto(ToolChoiceAuto::default())
    }

    /// `any`.
    pub fn any() -> Self {
        Self::Any(ToolChoiceAny::default())
    }

    /// `none`.
    pub fn none() -> Self {
        Self::None(ToolChoiceNone::default())
    }

    /// `tool` with the given name.
    pub fn tool(name: impl Into<String>) -> Self {
        Self::Tool(ToolChoiceTool::from_required(name.into()))
    }
}
