//! Tool calls and their results: client tools, server tools and MCP tools.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::common::{CacheControl, Extra};
use crate::content::ContentBlock;
use crate::macros::{object, tagged_union};

object! {
    /// A call of a client tool by the model (`tool_use`): run it and answer
    /// with a [`ToolResultBlock`] carrying the same id.
    pub struct ToolUseBlock {
        required {
            /// The call's id (`toolu_...`).
            id: String,
            /// The tool's name.
            name: String,
            /// The tool's input, a JSON object matching its input schema.
            input: Value,
        }
        optional {
            /// Who made the call: the model directly or a server tool such as code execution.
            caller: Caller,
            /// The toolset the tool belongs to (e.g. `browser`), for a toolset member.
            toolset_name: String,
            /// A prompt-cache breakpoint after this block (requests only).
            cache_control: CacheControl,
        }
    }
}

impl ToolUseBlock {
    /// A tool call from its id, name and input.
    pub fn new(id: impl Into<String>, name: impl Into<String>, input: Value) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            input,
            caller: None,
            toolset_name: None,
            cache_control: None,
            extra: Extra::new(),
        }
    }
}

tagged_union! {
    /// Who issued a tool call.
    pub enum Caller {
        /// The model itself.
        "direct" => Direct(DirectCaller),
        /// Code run by the `code_execution_20250825` tool.
        "code_execution_20250825" => CodeExecution20250825(CodeExecutionCaller),
        /// Code run by the `code_execution_20260120` tool.
        "code_execution_20260120" => CodeExecution20260120(CodeExecutionCaller20260120),
    }
}

/// The bodies of the server-tool [`Caller`] arms: the same field, one type
/// per arm.
macro_rules! server_tool_caller {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        object! {
            $(#[$meta])*
            pub struct $name {
                required {
                    /// The id of the server tool call (`srvtoolu_...`) whose code made this call.
                    tool_id: String,
                }
                optional {}
            }
        }
    )+};
}

server_tool_caller! {
    /// A call made by code of a `code_execution_20250825` call.
    CodeExecutionCaller;
    /// A call made by code of a `code_execution_20260120` call.
    CodeExecutionCaller20260120;
}

object! {
    /// A call made by the model itself (`direct`).
    #[derive(Default)]
    pub struct DirectCaller {
        required {}
        optional {}
    }
}

object! {
    /// The answer to a [`ToolUseBlock`] (`tool_result`).
    pub struct ToolResultBlock {
        required {
            /// The id of the call this answers.
            tool_use_id: String,
        }
        optional {
            /// The result: text, or blocks (text, images, documents, search results).
            content: ToolResultContent,
            /// `true` when the tool failed; the content then explains the error to the model.
            is_error: bool,
            /// The toolset of the tool that was called (e.g. `browser`).
            toolset_name: String,
            /// A prompt-cache breakpoint after this block.
            cache_control: CacheControl,
        }
    }
}

impl ToolResultBlock {
    /// A successful result with text content.
    pub fn text(tool_use_id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            tool_use_id: tool_use_id.into(),
            content: Some(ToolResultContent::Text(text.into())),
            is_error: None,
            toolset_name: None,
            cache_control: None,
            extra: Extra::new(),
        }
    }

    /// A successful result with block content.
    pub fn blocks(tool_use_id: impl Into<String>, blocks: Vec<ContentBlock>) -> Self {
        Self {
            content: Some(ToolResultContent::Blocks(blocks)),
            ..Self::text(tool_use_id, "")
        }
    }

    /// A failed call: `message` tells the model what went wrong.
    pub fn error(tool_use_id: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            is_error: Some(true),
            ..Self::text(tool_use_id, message)
        }
    }
}

/// The content of a tool result: a string or a list of blocks.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolResultContent {
    /// Plain text.
    Text(String),
    /// Content blocks.
    Blocks(Vec<ContentBlock>),
}

impl From<String> for ToolResultContent {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&str> for ToolResultContent {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<Vec<ContentBlock>> for ToolResultContent {
    fn from(blocks: Vec<ContentBlock>) -> Self {
        Self::Blocks(blocks)
    }
}

impl ToolResultBlock {
    /// A result from its content and whether it is an error.
    pub fn new(tool_use_id: impl Into<String>, content: ToolResultContent, is_error: bool) -> Self {
        Self {
            content: Some(content),
            is_error: is_error.then_some(true),
            ..Self::text(tool_use_id, "")
        }
    }
}

impl Serialize for ToolResultContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::Blocks(blocks) => blocks.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ToolResultContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::content::string_or_blocks(deserializer, "tool result content").map(|content| {
            match content {
                crate::content::StringOrBlocks::String(text) => Self::Text(text),
                crate::content::StringOrBlocks::Blocks(blocks) => Self::Blocks(blocks),
            }
        })
    }
}

object! {
    /// A call of a server tool that the API runs itself (`server_tool_use`),
    /// such as web search, web fetch or code execution.
    pub struct ServerToolUseBlock {
        required {
            /// The call's id (`srvtoolu_...`).
            id: String,
            /// The server tool's name, e.g. `web_search`.
            name: String,
            /// The tool's input.
            input: Value,
        }
        optional {
            /// Who made the call.
            caller: Caller,
            /// A prompt-cache breakpoint after this block (requests only).
            cache_control: CacheControl,
        }
    }
}

object! {
    /// A file made available to the code-execution container (`container_upload`).
    pub struct ContainerUploadBlock {
        required {
            /// The uploaded file's id.
            file_id: String,
        }
        optional {
            /// A prompt-cache breakpoint after this block (requests only).
            cache_control: CacheControl,
        }
    }
}

object! {
    /// A call of a tool of a remote MCP server (`mcp_tool_use`, beta).
    pub struct McpToolUseBlock {
        required {
            /// The call's id (`mcptoolu_...`).
            id: String,
            /// The tool's name.
            name: String,
            /// The MCP server's name, as configured in `mcp_servers`.
            server_name: String,
            /// The tool's input.
            input: Value,
        }
        optional {
            /// A prompt-cache breakpoint after this block (requests only).
            cache_control: CacheControl,
        }
    }
}

object! {
    /// The result of an MCP tool call (`mcp_tool_result`, beta).
    pub struct McpToolResultBlock {
        required {
            /// The id of the call this answers.
            tool_use_id: String,
        }
        optional {
            /// The result: text or text blocks.
            content: ToolResultContent,
            /// `true` when the call failed.
            is_error: bool,
            /// A prompt-cache breakpoint after this block (requests only).
            cache_control: CacheControl,
        }
    }
}

impl ToolUseBlock {
    /// The call's input as `T` (the type the tool's schema was made from).
    ///
    /// ```
    /// use claude_rs_types::content::ToolUseBlock;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Weather {
    ///     city: String,
    /// }
    /// let call = ToolUseBlock::new("toolu_1", "weather", serde_json::json!({"city": "Paris"}));
    /// assert_eq!(call.parse_input::<Weather>()?.city, "Paris");
    /// assert!(call.parse_input::<Vec<u8>>().is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn parse_input<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.input)
    }
}
