//! Context compaction (`compaction`) and model fallback (`fallback`) blocks:
//! the two blocks that mark where the server changed the conversation's
//! course in the middle of a reply.

use serde_json::Value;

use crate::common::CacheControl;
use crate::macros::{object, string_enum, tagged_union};
use crate::model::Model;

object! {
    /// A summary of the earlier conversation, produced when the server
    /// compacts the context (`compaction`). Send it back unchanged: the next
    /// request continues from the summary instead of the compacted turns.
    ///
    /// `content` is `None` when the compaction failed to give a summary; such
    /// a block may still be sent back (the server ignores it).
    pub struct CompactionBlock {
        required {}
        optional {
            /// The summary of the compacted conversation.
            content: String,
            /// Opaque data of the compaction, to be sent back verbatim.
            encrypted_content: String,
            /// A signature over the summary, to be sent back verbatim.
            signature: String,
            /// The `tool_addition` / `tool_removal` changes that take the
            /// request's tools to the set in effect at the end of the
            /// compacted range (`[]` when none changed).
            tool_changes: Vec<ToolChange>,
            /// A prompt-cache breakpoint after this block (requests only).
            cache_control: CacheControl,
        }
    }
}

tagged_union! {
    /// One change of the tool set inside a compacted range.
    pub enum ToolChange {
        /// A tool became available.
        "tool_addition" => Addition(ToolAddition),
        /// A tool stopped being available.
        "tool_removal" => Removal(ToolRemoval),
    }
}

/// The bodies of the [`ToolChange`] arms: the same fields, one type per arm.
macro_rules! tool_change {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        object! {
            $(#[$meta])*
            pub struct $name {
                required {
                    /// The tool concerned.
                    tool: ToolChangeTool,
                }
                optional {
                    /// A prompt-cache breakpoint after this block (requests only).
                    cache_control: CacheControl,
                }
            }
        }
    )+};
}

tool_change! {
    /// A tool made available (`tool_addition`).
    ToolAddition;
    /// A tool taken away (`tool_removal`; never a `tool_definition`).
    ToolRemoval;
}

tagged_union! {
    /// The tool named by a [`ToolChange`].
    pub enum ToolChangeTool {
        /// An entry of the request's `tools`, by name.
        "tool_reference" => ToolReference(ToolReference),
        /// One tool of an MCP server.
        "mcp_tool_reference" => McpToolReference(McpToolReference),
        /// A whole MCP server's toolset.
        "mcp_toolset_reference" => McpToolsetReference(McpToolsetReference),
        /// A tool given by value (only in a `tool_addition`).
        "tool_definition" => ToolDefinition(ToolDefinition),
    }
}

object! {
    /// A tool named by its `name` (`tool_reference`).
    pub struct ToolReference {
        required {
            /// The tool's name.
            name: String,
        }
        optional {}
    }
}

object! {
    /// One tool of an MCP server (`mcp_tool_reference`).
    pub struct McpToolReference {
        required {
            /// The tool's name.
            name: String,
            /// The MCP server's name.
            server_name: String,
        }
        optional {}
    }
}

object! {
    /// An MCP server's whole toolset (`mcp_toolset_reference`).
    pub struct McpToolsetReference {
        required {
            /// The MCP server's name.
            server_name: String,
        }
        optional {}
    }
}

object! {
    /// A tool carried by value (`tool_definition`).
    pub struct ToolDefinition {
        required {
            /// The tool's definition, as in a request's `tools`.
            definition: Value,
        }
        optional {}
    }
}

object! {
    /// The point in the content where one model's output ends and a fallback
    /// model's output begins (`fallback`). It arrives in a stream as a block
    /// start and stop with no deltas; the model that served the rest of the
    /// reply is `to.model`.
    pub struct FallbackBlock {
        required {
            /// The model that declined at this point.
            from: FallbackInfo,
            /// The model that produces the content after this block.
            to: FallbackInfo,
            /// Why the `from` model handed over.
            trigger: FallbackTrigger,
        }
        optional {}
    }
}

object! {
    /// One side of a fallback (`from` / `to`).
    pub struct FallbackInfo {
        required {
            /// The model.
            model: Model,
        }
        optional {}
    }
}

tagged_union! {
    /// What made a model hand over to its fallback.
    pub enum FallbackTrigger {
        /// The model declined for policy reasons.
        "refusal" => Refusal(RefusalTrigger),
    }
}

object! {
    /// A refusal that triggered a fallback.
    #[derive(Default)]
    pub struct RefusalTrigger {
        required {}
        optional {
            /// The policy category (`None` when the refusal maps to none).
            category: RefusalCategory,
        }
    }
}

string_enum! {
    /// The policy category of a refusal (`stop_details.category`,
    /// `trigger.category`).
    pub enum RefusalCategory {
        /// Could enable cyber harm.
        Cyber => "cyber",
        /// Could enable biological harm.
        Bio => "bio",
        /// Could assist the development of competing AI models.
        FrontierLlm => "frontier_llm",
        /// Asks the model to reproduce its internal reasoning.
        ReasoningExtraction => "reasoning_extraction",
        /// Another area judged harmful.
        GeneralHarms => "general_harms",
    }
}
