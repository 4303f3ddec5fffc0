//! Content blocks: the pieces a message is made of.
//!
//! One [`ContentBlock`] union serves both directions. The API's request and
//! response block sets overlap almost entirely (every response block can be
//! sent back in the next turn), so one type makes turning a response into the
//! next request lossless by construction, with nothing to convert.

mod compaction;
mod media;
mod server_results;
mod text;
mod thinking;
mod tool_use;
mod toolset_blocks;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::macros::tagged_union;

pub use compaction::*;
pub use media::*;
pub use server_results::*;
pub use text::*;
pub use thinking::*;
pub use tool_use::*;
pub use toolset_blocks::*;

tagged_union! {
    /// One block of a message's content, in a request or a response.
    ///
    /// Reading a reply: match on the blocks you handle; the others, even of
    /// types this version has never heard of, are kept whole.
    ///
    /// ```
    /// use claude_rs_types::{content::ContentBlock, message::Message};
    ///
    /// let reply: Message = serde_json::from_value(serde_json::json!({
    ///     "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-5",
    ///     "content": [
    ///         {"type": "thinking", "thinking": "The user wants Paris.", "signature": "sig"},
    ///         {"type": "text", "text": "Checking."},
    ///         {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}},
    ///         {"type": "hologram", "frames": 3}
    ///     ],
    ///     "stop_reason": "tool_use", "usage": {"input_tokens": 10, "output_tokens": 30}
    /// }))?;
    /// let seen: Vec<String> = reply.content.iter().map(|block| match block {
    ///     ContentBlock::Thinking(thinking) => format!("thought: {}", thinking.thinking),
    ///     ContentBlock::Text(text) => format!("said: {}", text.text),
    ///     ContentBlock::ToolUse(call) => format!("called {}({})", call.name, call.input),
    ///     other => format!("kept a {} block", other.type_str()),
    /// }).collect();
    /// assert_eq!(seen, [
    ///     "thought: The user wants Paris.",
    ///     "said: Checking.",
    ///     r#"called get_weather({"city":"Paris"})"#,
    ///     "kept a hologram block",
    /// ]);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ///
    /// Building a request: images, documents and tool results, with prompt
    /// cache breakpoints (`cache_control`) after the blocks to cache.
    ///
    /// ```
    /// use claude_rs_types::common::CacheTtl;
    /// use claude_rs_types::content::{DocumentBlock, ImageBlock, TextBlock, ToolResultBlock};
    /// use claude_rs_types::{common::CacheControl, content::ContentBlock};
    /// use serde_json::json;
    ///
    /// let blocks = vec![
    ///     ContentBlock::from(ImageBlock::base64("image/png", "iVBORw0KGgo=")
    ///         .with_cache_control(CacheControl::ephemeral())),
    ///     ContentBlock::from(DocumentBlock::pdf_base64("JVBERi0xLjQ=").with_title("Report")
    ///         .with_cache_control(CacheControl::ephemeral())),
    ///     ContentBlock::from(DocumentBlock::file("file_011CNha8iCJcU1wXNR6q4V8w")),
    ///     ContentBlock::from(TextBlock::new("The shared context.")
    ///         .with_cache_control(CacheControl::ephemeral().with_ttl(CacheTtl::OneHour))),
    ///     ContentBlock::ToolResult(ToolResultBlock::error("toolu_01", "no such city")),
    /// ];
    /// let json = serde_json::to_value(&blocks)?;
    /// assert_eq!(json[0]["source"], json!({"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}));
    /// assert_eq!(json[0]["cache_control"], json!({"type": "ephemeral"}));
    /// assert_eq!(json[1]["source"]["media_type"], "application/pdf");
    /// assert_eq!(json[1]["title"], "Report");
    /// assert_eq!(json[1]["cache_control"], json!({"type": "ephemeral"}));
    /// assert_eq!(json[2]["source"], json!({"type": "file", "file_id": "file_011CNha8iCJcU1wXNR6q4V8w"}));
    /// assert_eq!(json[3]["cache_control"], json!({"type": "ephemeral", "ttl": "1h"}));
    /// assert_eq!(json[4], json!({"type": "tool_result", "tool_use_id": "toolu_01",
    ///                            "content": "no such city", "is_error": true}));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum ContentBlock {
        /// Text.
        "text" => Text(TextBlock),
        /// An image (requests).
        "image" => Image(ImageBlock),
        /// A document (requests).
        "document" => Document(DocumentBlock),
        /// A search result (requests).
        "search_result" => SearchResult(SearchResultBlock),
        /// The model's reasoning.
        "thinking" => Thinking(ThinkingBlock),
        /// Encrypted reasoning.
        "redacted_thinking" => RedactedThinking(RedactedThinkingBlock),
        /// A call of a client tool.
        "tool_use" => ToolUse(ToolUseBlock),
        /// The result of a client tool call (requests).
        "tool_result" => ToolResult(ToolResultBlock),
        /// A call of a server tool.
        "server_tool_use" => ServerToolUse(ServerToolUseBlock),
        /// Web search results.
        "web_search_tool_result" => WebSearchToolResult(WebSearchToolResultBlock),
        /// A fetched web page.
        "web_fetch_tool_result" => WebFetchToolResult(WebFetchToolResultBlock),
        /// Python code execution output.
        "code_execution_tool_result" => CodeExecutionToolResult(CodeExecutionToolResultBlock),
        /// Bash command output.
        "bash_code_execution_tool_result" => BashCodeExecutionToolResult(BashCodeExecutionToolResultBlock),
        /// Text editor command output.
        "text_editor_code_execution_tool_result" => TextEditorCodeExecutionToolResult(TextEditorCodeExecutionToolResultBlock),
        /// Tool search results.
        "tool_search_tool_result" => ToolSearchToolResult(ToolSearchToolResultBlock),
        /// A file made available to the code-execution container.
        "container_upload" => ContainerUpload(ContainerUploadBlock),
        /// A call of an MCP server's tool (beta).
        "mcp_tool_use" => McpToolUse(McpToolUseBlock),
        /// The result of an MCP tool call (beta).
        "mcp_tool_result" => McpToolResult(McpToolResultBlock),
        /// A summary of the compacted earlier conversation.
        "compaction" => Compaction(CompactionBlock),
        /// Where a fallback model took over from the requested one.
        "fallback" => Fallback(FallbackBlock),
        /// The advisor's answer.
        "advisor_tool_result" => AdvisorToolResult(AdvisorToolResultBlock),
        /// The tools of an MCP server.
        "mcp_tool_listing" => McpToolListing(McpToolListingBlock),
        /// A tool made available from this point of the conversation (requests).
        "tool_addition" => ToolAddition(ToolAddition),
        /// A tool taken away from this point of the conversation (requests).
        "tool_removal" => ToolRemoval(ToolRemoval),
        /// A tool named by reference.
        "tool_reference" => ToolReference(ToolReferenceBlock),
        /// A browser's state after a browser toolset call (in a `tool_result`).
        "browser_state" => BrowserState(BrowserStateBlock),
    }
}

impl ContentBlock {
    /// A text block.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(TextBlock::new(text))
    }

    /// The text of a text block, `None` for other blocks.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(block) => Some(&block.text),
            _ => None,
        }
    }

    /// The block as a client tool call, `None` for other blocks.
    pub fn as_tool_use(&self) -> Option<&ToolUseBlock> {
        match self {
            Self::ToolUse(block) => Some(block),
            _ => None,
        }
    }
}

impl From<&str> for ContentBlock {
    fn from(text: &str) -> Self {
        Self::text(text)
    }
}

impl From<String> for ContentBlock {
    fn from(text: String) -> Self {
        Self::text(text)
    }
}

/// A field that is either a plain string or an array of content blocks.
pub(crate) enum StringOrBlocks {
    String(String),
    Blocks(Vec<ContentBlock>),
}

/// Reads a [`StringOrBlocks`] field; `what` names it in errors.
pub(crate) fn string_or_blocks<'de, D: Deserializer<'de>>(
    deserializer: D,
    what: &str,
) -> Result<StringOrBlocks, D::Error> {
    use serde::de::Error as _;
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(StringOrBlocks::String(text)),
        Value::Array(items) => Vec::<ContentBlock>::deserialize(Value::Array(items))
            .map(StringOrBlocks::Blocks)
            .map_err(D::Error::custom),
        _ => Err(D::Error::custom(format_args!(
            "invalid {what}: expected a string or an array of content blocks"
        ))),
    }
}

/// The content of a turn: a string (one text block) or blocks.
#[derive(Debug, Clone, PartialEq)]
pub enum MessageContent {
    /// Plain text.
    Text(String),
    /// Content blocks.
    Blocks(Vec<ContentBlock>),
}

impl MessageContent {
    /// The content as blocks (a string becomes one text block).
    pub fn into_blocks(self) -> Vec<ContentBlock> {
        match self {
            Self::Text(text) => vec![ContentBlock::text(text)],
            Self::Blocks(blocks) => blocks,
        }
    }
}

impl From<&str> for MessageContent {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for MessageContent {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<Vec<ContentBlock>> for MessageContent {
    fn from(blocks: Vec<ContentBlock>) -> Self {
        Self::Blocks(blocks)
    }
}

impl From<ContentBlock> for MessageContent {
    fn from(block: ContentBlock) -> Self {
        Self::Blocks(vec![block])
    }
}

impl Serialize for MessageContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::Blocks(blocks) => blocks.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for MessageContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match string_or_blocks(deserializer, "message content")? {
            StringOrBlocks::String(text) => Self::Text(text),
            StringOrBlocks::Blocks(blocks) => Self::Blocks(blocks),
        })
    }
}
