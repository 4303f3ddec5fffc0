//! Tool definitions: custom tools and the Anthropic-defined tool families.
//!
//! Anthropic-defined tools carry a dated `type` (`web_search_20250305`,
//! `bash_20250124`, ...), and new dates ship often. A closed list of dated
//! types would need a release for each, so tools are recognised by *family*
//! (the part before the date) and keep the dated string as it is: any future
//! `web_search_YYYYMMDD` is a [`Tool::WebSearch`] without a new version of
//! this crate. A `type` of no known family is kept verbatim in
//! [`Tool::Unknown`].

mod options;
mod toolset;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::citation::CitationsConfig;
use crate::common::{CacheControl, Extra};
use crate::decode::from_object;
use crate::macros::object;

pub use crate::tool_choice::{
    ToolChoice, ToolChoiceAny, ToolChoiceAuto, ToolChoiceNone, ToolChoiceTool,
};
pub use options::{
    UserLocation, WebFetchUrlSource, WebFetchUrlSourceAll, WebFetchUrlSourceExcept,
    WebFetchUrlSourceNone, WebFetchUrlSourceTool, WebFetchUrlSourceToolName,
    WebFetchUrlSourceTools, WebFetchUrlSources,
};
pub use toolset::{
    AdvisorTool, BrowserToolset, ComputerToolset, McpToolDefinition, McpToolset, ToolActionConfig,
};

/// A tool the model may call (`tools[]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Tool {
    /// A tool the application defines and runs.
    Custom(CustomTool),
    /// Bash shell (`bash_*`), run by the application.
    Bash(BashTool),
    /// File editor (`text_editor_*`), run by the application.
    TextEditor(TextEditorTool),
    /// Memory directory (`memory_*`), run by the application.
    Memory(MemoryTool),
    /// Computer use (`computer_*`), run by the application.
    Computer(ComputerTool),
    /// Web search (`web_search_*`), run by the API.
    WebSearch(WebSearchTool),
    /// Web fetch (`web_fetch_*`), run by the API.
    WebFetch(WebFetchTool),
    /// Code execution (`code_execution_*`), run by the API.
    CodeExecution(CodeExecutionTool),
    /// Tool search (`tool_search_tool_*`), run by the API.
    ToolSearch(ToolSearchTool),
    /// The advisor (`advisor_*`): a stronger model consulted by the API.
    Advisor(AdvisorTool),
    /// Computer-use actions as a toolset (`computer_toolset_*`), run by the application.
    ComputerToolset(ComputerToolset),
    /// Browser actions as a toolset (`browser_toolset_*`), run by the application.
    BrowserToolset(BrowserToolset),
    /// The tools of an MCP server of the request (`mcp_toolset`).
    McpToolset(McpToolset),
    /// A tool of a family this crate does not know, kept verbatim.
    Unknown(Value),
}

/// `(prefix of the dated type, default dated type, default name)` per family.
///
/// A `type` is of a family when it is the prefix followed by a date
/// (`computer_20251124`); `tool_search_tool_` alone also takes a variant word
/// before the date (`tool_search_tool_bm25_20251119`). So a new tool whose
/// type merely starts like a family's (`computer_toolset_20260801`) is never
/// taken for that family and failed on its missing fields: it is a toolset
/// below or [`Tool::Unknown`].
pub(crate) const FAMILIES: &[(&str, &str, &str)] = &[
    ("bash_", "bash_20250124", "bash"),
    (
        "text_editor_",
        "text_editor_20250728",
        "str_replace_based_edit_tool",
    ),
    ("memory_", "memory_20250818", "memory"),
    ("computer_", "computer_20250124", "computer"),
    ("web_search_", "web_search_20250305", "web_search"),
    ("web_fetch_", "web_fetch_20250910", "web_fetch"),
    (
        "code_execution_",
        "code_execution_20250825",
        "code_execution",
    ),
    (
        "tool_search_tool_",
        "tool_search_tool_bm25_20251119",
        "tool_search_tool_bm25",
    ),
    ("advisor_", "advisor_20260301", "advisor"),
    ("computer_toolset_", "computer_toolset_20260801", ""),
    ("browser_toolset_", "browser_toolset_20260801", ""),
];

/// The family index of a tool `type`, if it is one of a family's dated types.
fn family_of(kind: &str) -> Option<usize> {
    FAMILIES.iter().position(|(prefix, _, _)| {
        let Some(rest) = kind.strip_prefix(prefix) else {
            return false;
        };
        let (variant, date) = match rest.rsplit_once('_') {
            Some((variant, date)) if *prefix == "tool_search_tool_" => (variant, date),
            Some(_) => return false,
            None => ("", rest),
        };
        !date.is_empty()
            && date.bytes().all(|b| b.is_ascii_digit())
            && variant.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

impl<'de> Deserialize<'de> for Tool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let map = Map::<String, Value>::deserialize(deserializer)?;
        let kind = match map.get("type") {
            None => "custom".to_owned(),
            Some(Value::String(kind)) => kind.clone(),
            Some(_) => return Err(D::Error::custom("invalid tool: \"type\" must be a string")),
        };
        let decoded = match (kind.as_str(), family_of(&kind)) {
            ("custom", _) => from_object::<CustomTool>(map).map(Tool::Custom),
            ("mcp_toolset", _) => from_object::<McpToolset>(map).map(Tool::McpToolset),
            (_, Some(0)) => from_object::<BashTool>(map).map(Tool::Bash),
            (_, Some(1)) => from_object::<TextEditorTool>(map).map(Tool::TextEditor),
            (_, Some(2)) => from_object::<MemoryTool>(map).map(Tool::Memory),
            (_, Some(3)) => from_object::<ComputerTool>(map).map(Tool::Computer),
            (_, Some(4)) => from_object::<WebSearchTool>(map).map(Tool::WebSearch),
            (_, Some(5)) => from_object::<WebFetchTool>(map).map(Tool::WebFetch),
            (_, Some(6)) => from_object::<CodeExecutionTool>(map).map(Tool::CodeExecution),
            (_, Some(7)) => from_object::<ToolSearchTool>(map).map(Tool::ToolSearch),
            (_, Some(8)) => from_object::<AdvisorTool>(map).map(Tool::Advisor),
            (_, Some(9)) => from_object::<ComputerToolset>(map).map(Tool::ComputerToolset),
            (_, Some(10)) => from_object::<BrowserToolset>(map).map(Tool::BrowserToolset),
            _ => return Ok(Tool::Unknown(Value::Object(map))),
        };
        decoded
            .map_err(|err| D::Error::custom(format_args!("invalid tool of type \"{kind}\": {err}")))
    }
}

impl Tool {
    /// A custom tool from its name, description and JSON schema of its input.
    pub fn custom(
        name: impl Into<String>,
        description: impl Into<String>,
        input_schema: Value,
    ) -> Self {
        Tool::Custom(CustomTool::new(name, input_schema).with_description(description))
    }

    /// The tool's name (what `tool_use.name` will say).
    pub fn name(&self) -> Option<&str> {
        match self {
            Tool::Custom(tool) => Some(&tool.name),
            Tool::Bash(tool) => Some(&tool.name),
            Tool::TextEditor(tool) => Some(&tool.name),
            Tool::Memory(tool) => Some(&tool.name),
            Tool::Computer(tool) => Some(&tool.name),
            Tool::WebSearch(tool) => Some(&tool.name),
            Tool::WebFetch(tool) => Some(&tool.name),
            Tool::CodeExecution(tool) => Some(&tool.name),
            Tool::ToolSearch(tool) => Some(&tool.name),
            Tool::Advisor(tool) => Some(&tool.name),
            // Toolsets have no name of their own: their actions or tools do.
            Tool::ComputerToolset(_) | Tool::BrowserToolset(_) | Tool::McpToolset(_) => None,
            Tool::Unknown(value) => value.get("name").and_then(Value::as_str),
        }
    }
}

impl From<CustomTool> for Tool {
    fn from(tool: CustomTool) -> Self {
        Tool::Custom(tool)
    }
}

object! {
    /// A tool the application defines and runs.
    pub struct CustomTool {
        required {
            /// The name the model calls it by.
            name: String,
            /// JSON schema of the input (an object schema).
            input_schema: Value,
        }
        optional {
            /// `custom`, when sent explicitly.
            kind: String = "type",
            /// What the tool does and when to use it; the model reads this.
            description: String,
            /// Make the model's input match the schema exactly.
            strict: bool,
            /// A prompt-cache breakpoint after this tool.
            cache_control: CacheControl,
            /// Load the tool only when tool search finds it.
            defer_loading: bool,
            /// Example inputs shown to the model.
            input_examples: Vec<Value>,
            /// Stream the input without buffering (fine-grained tool streaming).
            eager_input_streaming: bool,
            /// Who may call the tool (`direct`, or a code-execution version).
            allowed_callers: Vec<String>,
        }
    }
}

impl CustomTool {
    /// A custom tool from its name and input schema.
    pub fn new(name: impl Into<String>, input_schema: Value) -> Self {
        Self {
            name: name.into(),
            input_schema,
            kind: None,
            description: None,
            strict: None,
            cache_control: None,
            defer_loading: None,
            input_examples: None,
            eager_input_streaming: None,
            allowed_callers: None,
            extra: Extra::new(),
        }
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets `strict`.
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = Some(strict);
        self
    }
}

/// Defines an Anthropic-defined tool family: the common fields plus its own.
/// (`pub(crate)`: [`AdvisorTool`] is one too.)
macro_rules! anthropic_tool {
    (
        $(#[$meta:meta])* $name:ident, family = $family:literal, variant = $variant:ident,
        { $($fields:tt)* }
    ) => {
        object! {
            $(#[$meta])*
            pub struct $name {
                required {
                    /// The dated tool type, e.g. `web_search_20250305`.
                    kind: String = "type",
                    /// The tool's name, fixed by the family.
                    name: String,
                }
                optional {
                    /// A prompt-cache breakpoint after this tool.
                    cache_control: CacheControl,
                    /// Who may call the tool.
                    allowed_callers: Vec<String>,
                    /// Load the tool only when tool search finds it.
                    defer_loading: bool,
                    /// Make the model's input match the schema exactly.
                    strict: bool,
                    $($fields)*
                }
            }
        }

        impl Default for $name {
            /// The family's default dated version and name.
            fn default() -> Self {
                let (_, kind, name) = FAMILIES[$family];
                $name::from_required(kind.to_owned(), name.to_owned())
            }
        }

        impl From<$name> for Tool {
            fn from(tool: $name) -> Self {
                Tool::$variant(tool)
            }
        }
    };
}

anthropic_tool! {
    /// Bash shell (`bash_*`); the application runs the commands.
    BashTool, family = 0, variant = Bash, {
        /// Example inputs shown to the model.
        input_examples: Vec<Value>,
    }
}

anthropic_tool! {
    /// File viewer and editor (`text_editor_*`); the application runs the commands.
    TextEditorTool, family = 1, variant = TextEditor, {
        /// Truncate viewed files to this many characters.
        max_characters: u64,
        /// Example inputs shown to the model.
        input_examples: Vec<Value>,
    }
}

anthropic_tool! {
    /// A memory directory (`memory_*`); the application stores the files.
    MemoryTool, family = 2, variant = Memory, {
        /// Example inputs shown to the model.
        input_examples: Vec<Value>,
    }
}

anthropic_tool! {
    /// Computer use (`computer_*`); the application takes the actions.
    ComputerTool, family = 3, variant = Computer, {
        /// Display width in pixels.
        display_width_px: u32,
        /// Display height in pixels.
        display_height_px: u32,
        /// X11 display number.
        display_number: u32,
        /// Allow the zoom action.
        enable_zoom: bool,
        /// Example inputs shown to the model.
        input_examples: Vec<Value>,
    }
}

anthropic_tool! {
    /// Web search (`web_search_*`); the API runs it.
    WebSearchTool, family = 4, variant = WebSearch, {
        /// Maximum searches per request.
        max_uses: u32,
        /// Only search these domains.
        allowed_domains: Vec<String>,
        /// Never search these domains.
        blocked_domains: Vec<String>,
        /// Where the user is, to localise results.
        user_location: UserLocation,
        /// `full` or `excluded`: how results consumed by code execution appear.
        response_inclusion: String,
    }
}

anthropic_tool! {
    /// Web fetch (`web_fetch_*`); the API runs it.
    WebFetchTool, family = 5, variant = WebFetch, {
        /// Maximum fetches per request.
        max_uses: u32,
        /// Only fetch from these domains.
        allowed_domains: Vec<String>,
        /// Never fetch from these domains.
        blocked_domains: Vec<String>,
        /// Let the model cite fetched pages.
        citations: CitationsConfig,
        /// Truncate fetched content to this many tokens.
        max_content_tokens: u64,
        /// `false` fetches fresh content instead of a cached copy.
        use_cache: bool,
        /// Which sources may contribute fetchable URLs (user input, tool results).
        url_sources: WebFetchUrlSources,
        /// `full` or `excluded`: how results consumed by code execution appear.
        response_inclusion: String,
    }
}

anthropic_tool! {
    /// Code execution in a sandbox (`code_execution_*`); the API runs it.
    CodeExecutionTool, family = 6, variant = CodeExecution, {}
}

anthropic_tool! {
    /// Tool search over deferred tools (`tool_search_tool_*`); the API runs it.
    ToolSearchTool, family = 7, variant = ToolSearch, {}
}

impl ComputerTool {
    /// A computer tool for a display of the given size.
    pub fn new(display_width_px: u32, display_height_px: u32) -> Self {
        Self {
            display_width_px: Some(display_width_px),
            display_height_px: Some(display_height_px),
            ..Self::default()
        }
    }
}

#[cfg(feature = "schemars")]
impl CustomTool {
    /// A tool whose input schema is derived from the Rust type `T` (doc
    /// comments become descriptions); see [`crate::tool_schema`] for the
    /// rewriting that makes it acceptable to the API.
    pub fn for_input<T: schemars::JsonSchema>(
        name: impl Into<String>,
    ) -> Result<Self, crate::tool_schema::SchemaError> {
        Ok(Self::new(
            name,
            crate::tool_schema::input_schema_for::<T>(false)?,
        ))
    }

    /// Like [`CustomTool::for_input`], with `strict: true` and every object
    /// of the schema closed (`additionalProperties: false`), as strict mode
    /// requires.
    pub fn for_input_strict<T: schemars::JsonSchema>(
        name: impl Into<String>,
    ) -> Result<Self, crate::tool_schema::SchemaError> {
        Ok(Self::new(name, crate::tool_schema::input_schema_for::<T>(true)?).with_strict(true))
    }
}

pub(crate) use anthropic_tool;
