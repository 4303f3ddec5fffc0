//! The tools of the 2026 beta surface that are not a single dated tool with
//! a fixed name: the advisor, and the toolsets (computer, browser, MCP) that
//! make a whole set of actions or tools available at once.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{FAMILIES, Tool, anthropic_tool};
use crate::common::CacheControl;
use crate::macros::object;
use crate::model::Model;

anthropic_tool! {
    /// The advisor (`advisor_*`): the API consults a stronger model and
    /// returns its advice as an `advisor_tool_result`.
    AdvisorTool, family = 8, variant = Advisor, {
        /// The model that advises.
        model: Model,
        /// At most this many output tokens per piece of advice.
        max_tokens: u64,
        /// At most this many consultations per request.
        max_uses: u32,
        /// Prompt caching of the advisor's own requests.
        caching: CacheControl,
    }
}

impl AdvisorTool {
    /// The advisor at its family's default dated version, advised by
    /// `model` (which the API requires).
    pub fn new(model: impl Into<Model>) -> Self {
        Self {
            model: Some(model.into()),
            ..Self::default()
        }
    }
}

object! {
    /// Whether one action or tool of a toolset is offered, and how.
    #[derive(Default)]
    pub struct ToolActionConfig {
        required {}
        optional {
            /// `false` leaves it out.
            enabled: bool,
            /// Load it only when tool search finds it.
            defer_loading: bool,
        }
    }
}

/// Defines a dated toolset: a `type`, a cache breakpoint and per-action
/// configs keyed by action name (`left_click`, `screenshot`, `navigate`...,
/// so actions added later need no new version of this crate).
macro_rules! toolset {
    ($(#[$meta:meta])* $name:ident, family = $family:literal) => {
        object! {
            $(#[$meta])*
            pub struct $name {
                required {
                    /// The dated toolset type.
                    kind: String = "type",
                }
                optional {
                    /// A prompt-cache breakpoint after this toolset.
                    cache_control: CacheControl,
                    /// Per-action settings, by action name.
                    configs: BTreeMap<String, ToolActionConfig>,
                }
            }
        }

        impl Default for $name {
            /// The family's default dated version, every action as the API defaults it.
            fn default() -> Self {
                Self::from_required(FAMILIES[$family].1.to_owned())
            }
        }

        impl From<$name> for Tool {
            fn from(tool: $name) -> Self {
                Tool::$name(tool)
            }
        }
    };
}

toolset! {
    /// Computer-use actions as one toolset (`computer_toolset_*`); the
    /// application takes the actions.
    ComputerToolset, family = 9
}

toolset! {
    /// Browser actions as one toolset (`browser_toolset_*`); the application
    /// drives the browser.
    BrowserToolset, family = 10
}

object! {
    /// The tools of one of the request's MCP servers (`mcp_toolset`).
    pub struct McpToolset {
        required {
            /// The server's name, as in the request's `mcp_servers`.
            mcp_server_name: String,
        }
        optional {
            /// A prompt-cache breakpoint after this toolset.
            cache_control: CacheControl,
            /// Per-tool settings, by tool name.
            configs: BTreeMap<String, ToolActionConfig>,
            /// Settings of the tools that `configs` does not name.
            default_config: ToolActionConfig,
            /// The server's tools, when given in the request.
            tools: Vec<McpToolDefinition>,
        }
    }
}

impl McpToolset {
    /// Every tool of the named MCP server.
    pub fn new(mcp_server_name: impl Into<String>) -> Self {
        Self::from_required(mcp_server_name.into())
    }
}

impl From<McpToolset> for Tool {
    fn from(tool: McpToolset) -> Self {
        Tool::McpToolset(tool)
    }
}

object! {
    /// One tool of an MCP server, as the request states it.
    pub struct McpToolDefinition {
        required {
            /// The tool's name.
            name: String,
            /// JSON schema of its input.
            input_schema: Value,
        }
        optional {
            /// What the tool does.
            description: String,
        }
    }
}
