//! Results of server tools, which the API runs itself: web search, web fetch,
//! code execution (Python, bash, text editor) and tool search.
//!
//! Each result block names the `server_tool_use` it answers and holds either
//! the tool's output or a [`ServerToolError`]. All of them must be sent back
//! unchanged in the next turn.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::common::{CacheControl, Extra};
use crate::content::media::DocumentBlock;
use crate::content::tool_use::Caller;
use crate::content::toolset_blocks::ToolReferenceBlock;
use crate::macros::{object, string_enum, tagged_union};

string_enum! {
    /// Why a server tool call failed.
    pub enum ServerToolErrorCode {
        /// The model's input did not fit the tool.
        InvalidToolInput => "invalid_tool_input",
        /// The tool is temporarily unavailable.
        Unavailable => "unavailable",
        /// The tool's `max_uses` was reached.
        MaxUsesExceeded => "max_uses_exceeded",
        /// The tool was rate limited.
        TooManyRequests => "too_many_requests",
        /// The search query was too long.
        QueryTooLong => "query_too_long",
        /// The request to the tool was too large.
        RequestTooLarge => "request_too_large",
        /// The URL was too long.
        UrlTooLong => "url_too_long",
        /// The URL is not allowed by the tool's domain rules.
        UrlNotAllowed => "url_not_allowed",
        /// The URL did not appear earlier in the conversation.
        UrlNotInPriorContext => "url_not_in_prior_context",
        /// The URL could not be fetched.
        UrlNotAccessible => "url_not_accessible",
        /// The fetched content's type is not supported.
        UnsupportedContentType => "unsupported_content_type",
        /// The fetched content is too large.
        ContentTooLarge => "content_too_large",
        /// Code ran past its time limit.
        ExecutionTimeExceeded => "execution_time_exceeded",
        /// An output file was too large.
        OutputFileTooLarge => "output_file_too_large",
        /// The file does not exist in the container.
        FileNotFound => "file_not_found",
        /// The advisor's prompt was too long.
        PromptTooLong => "prompt_too_long",
        /// The advisor model is overloaded.
        Overloaded => "overloaded",
        /// The advisor model does not exist.
        ModelNotFound => "model_not_found",
    }
}

object! {
    /// A failed server tool call (`*_tool_result_error`).
    pub struct ServerToolError {
        required {
            /// What went wrong.
            error_code: ServerToolErrorCode,
        }
        optional {
            /// A human-readable explanation, when the tool gives one.
            error_message: String,
        }
    }
}

object! {
    /// The result of a web search (`web_search_tool_result`).
    pub struct WebSearchToolResultBlock {
        required {
            /// The id of the `server_tool_use` this answers.
            tool_use_id: String,
            /// The results, or an error.
            content: WebSearchToolResultContent,
        }
        optional {
            /// Who made the call.
            caller: Caller,
            /// A prompt-cache breakpoint after this block (requests only).
            cache_control: CacheControl,
        }
    }
}

/// The content of a web search result: a list of results or an error.
#[derive(Debug, Clone, PartialEq)]
pub enum WebSearchToolResultContent {
    /// The search results.
    Results(Vec<WebSearchResult>),
    /// The search failed.
    Error(WebSearchToolResultError),
}

tagged_union! {
    /// A failed web search.
    pub enum WebSearchToolResultError {
        /// The error object.
        "web_search_tool_result_error" => Error(ServerToolError),
    }
}

impl Serialize for WebSearchToolResultContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Results(results) => results.serialize(serializer),
            Self::Error(error) => error.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for WebSearchToolResultContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match Value::deserialize(deserializer)? {
            Value::Array(items) => Vec::<WebSearchResult>::deserialize(Value::Array(items))
                .map(Self::Results)
                .map_err(D::Error::custom),
            other => WebSearchToolResultError::deserialize(other)
                .map(Self::Error)
                .map_err(D::Error::custom),
        }
    }
}

tagged_union! {
    /// One web search result.
    pub enum WebSearchResult {
        /// A page.
        "web_search_result" => Page(WebSearchResultPage),
    }
}

object! {
    /// A page found by web search (`web_search_result`).
    pub struct WebSearchResultPage {
        required {
            /// The page's address.
            url: String,
            /// The page's title.
            title: String,
            /// Opaque, encrypted page content; send it back unchanged.
            encrypted_content: String,
        }
        optional {
            /// How old the page is, as reported by the search engine.
            page_age: String,
        }
    }
}

object! {
    /// The result of a web fetch (`web_fetch_tool_result`).
    pub struct WebFetchToolResultBlock {
        required {
            /// The id of the `server_tool_use` this answers.
            tool_use_id: String,
            /// The fetched document, or an error.
            content: WebFetchToolResultContent,
        }
        optional {
            /// Who made the call.
            caller: Caller,
            /// A prompt-cache breakpoint after this block (requests only).
            cache_control: CacheControl,
        }
    }
}

tagged_union! {
    /// The content of a web fetch result.
    pub enum WebFetchToolResultContent {
        /// The fetched page.
        "web_fetch_result" => Result(WebFetchResult),
        /// The fetch failed.
        "web_fetch_tool_result_error" => Error(ServerToolError),
    }
}

object! {
    /// A fetched page (`web_fetch_result`).
    pub struct WebFetchResult {
        required {
            /// The fetched address.
            url: String,
            /// The page as a document.
            content: DocumentBlock,
        }
        optional {
            /// When the page was fetched.
            retrieved_at: String,
        }
    }
}

/// Defines a server tool result block whose content is a tagged union.
macro_rules! code_result_block {
    ($(#[$meta:meta])* $block:ident, $(#[$cmeta:meta])* $content:ident { $($body:tt)* }) => {
        object! {
            $(#[$meta])*
            pub struct $block {
                required {
                    /// The id of the `server_tool_use` this answers.
                    tool_use_id: String,
                    /// The tool's output, or an error.
                    content: $content,
                }
                optional {
                    /// A prompt-cache breakpoint after this block (requests only).
                    cache_control: CacheControl,
                }
            }
        }

        tagged_union! {
            $(#[$cmeta])*
            pub enum $content { $($body)* }
        }
    };
}

code_result_block! {
    /// The result of Python code execution (`code_execution_tool_result`).
    CodeExecutionToolResultBlock,
    /// The content of a code execution result.
    CodeExecutionToolResultContent {
        /// The program ran.
        "code_execution_result" => Result(CodeExecutionResult),
        /// The program ran; its output is encrypted.
        "encrypted_code_execution_result" => EncryptedResult(EncryptedCodeExecutionResult),
        /// The tool failed.
        "code_execution_tool_result_error" => Error(ServerToolError),
    }
}

code_result_block! {
    /// The result of a bash command in the code-execution container
    /// (`bash_code_execution_tool_result`).
    BashCodeExecutionToolResultBlock,
    /// The content of a bash code execution result.
    BashCodeExecutionToolResultContent {
        /// The command ran.
        "bash_code_execution_result" => Result(CodeExecutionResult),
        /// The tool failed.
        "bash_code_execution_tool_result_error" => Error(ServerToolError),
    }
}

code_result_block! {
    /// The result of a text-editor command in the code-execution container
    /// (`text_editor_code_execution_tool_result`).
    TextEditorCodeExecutionToolResultBlock,
    /// The content of a text editor code execution result.
    TextEditorCodeExecutionToolResultContent {
        /// A file was viewed.
        "text_editor_code_execution_view_result" => View(TextEditorViewResult),
        /// A file was created or overwritten.
        "text_editor_code_execution_create_result" => Create(TextEditorCreateResult),
        /// Text was replaced in a file.
        "text_editor_code_execution_str_replace_result" => StrReplace(TextEditorStrReplaceResult),
        /// The tool failed.
        "text_editor_code_execution_tool_result_error" => Error(ServerToolError),
    }
}

code_result_block! {
    /// The result of a tool search (`tool_search_tool_result`).
    ToolSearchToolResultBlock,
    /// The content of a tool search result.
    ToolSearchToolResultContent {
        /// The tools found.
        "tool_search_tool_search_result" => Result(ToolSearchResult),
        /// The tool failed.
        "tool_search_tool_result_error" => Error(ServerToolError),
    }
}

object! {
    /// A finished program: its exit code, output and files
    /// (`code_execution_result`, `bash_code_execution_result`).
    pub struct CodeExecutionResult {
        required {
            /// Standard output.
            stdout: String,
            /// Standard error.
            stderr: String,
            /// Exit code.
            return_code: i64,
            /// Files the program wrote (`*_output` blocks with a `file_id`).
            content: Vec<CodeExecutionOutput>,
        }
        optional {}
    }
}

object! {
    /// A finished program whose standard output is encrypted
    /// (`encrypted_code_execution_result`).
    pub struct EncryptedCodeExecutionResult {
        required {
            /// Encrypted standard output.
            encrypted_stdout: String,
            /// Standard error.
            stderr: String,
            /// Exit code.
            return_code: i64,
            /// Files the program wrote.
            content: Vec<CodeExecutionOutput>,
        }
        optional {}
    }
}

tagged_union! {
    /// A file a program wrote in the code-execution container.
    pub enum CodeExecutionOutput {
        /// Written by Python code execution (`code_execution_output`).
        "code_execution_output" => Code(CodeExecutionOutputFile),
        /// Written by a bash command (`bash_code_execution_output`).
        "bash_code_execution_output" => Bash(BashCodeExecutionOutputFile),
    }
}

object! {
    /// A file Python code wrote (`code_execution_output`): its id, for the
    /// Files API.
    pub struct CodeExecutionOutputFile {
        required {
            /// The file's id (`file_...`).
            file_id: String,
        }
        optional {}
    }
}

object! {
    /// A file a bash command wrote (`bash_code_execution_output`): its id,
    /// for the Files API.
    pub struct BashCodeExecutionOutputFile {
        required {
            /// The file's id (`file_...`).
            file_id: String,
        }
        optional {}
    }
}

object! {
    /// A viewed file (`text_editor_code_execution_view_result`).
    pub struct TextEditorViewResult {
        required {
            /// The file's content.
            content: String,
            /// `text`, `image` or `pdf`.
            file_type: String,
        }
        optional {
            /// Lines shown.
            num_lines: u64,
            /// First line shown (1-based).
            start_line: u64,
            /// Lines in the file.
            total_lines: u64,
        }
    }
}

object! {
    /// A created file (`text_editor_code_execution_create_result`).
    pub struct TextEditorCreateResult {
        required {
            /// `true` when an existing file was overwritten.
            is_file_update: bool,
        }
        optional {}
    }
}

object! {
    /// A replacement in a file (`text_editor_code_execution_str_replace_result`).
    pub struct TextEditorStrReplaceResult {
        required {}
        optional {
            /// The changed lines.
            lines: Vec<String>,
            /// Number of new lines.
            new_lines: u64,
            /// First new line.
            new_start: u64,
            /// Number of old lines.
            old_lines: u64,
            /// First old line.
            old_start: u64,
        }
    }
}

object! {
    /// Tools found by a tool search (`tool_search_tool_search_result`).
    pub struct ToolSearchResult {
        required {
            /// References to the tools found (`tool_reference` blocks).
            tool_references: Vec<ToolSearchReference>,
        }
        optional {}
    }
}

tagged_union! {
    /// A tool found by a tool search.
    pub enum ToolSearchReference {
        /// The tool, by name (`tool_reference`).
        "tool_reference" => Tool(ToolReferenceBlock),
    }
}

impl ServerToolError {
    /// An error with a code and no message.
    pub fn new(error_code: ServerToolErrorCode) -> Self {
        Self {
            error_code,
            error_message: None,
            extra: Extra::new(),
        }
    }
}
