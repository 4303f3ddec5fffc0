//! Request options: thinking, output, container, MCP servers, context management.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::common::Extra;
use crate::macros::{object, string_enum, tagged_union};

tagged_union! {
    /// Extended thinking (`thinking`).
    pub enum ThinkingConfig {
        /// Thinking with a token budget.
        "enabled" => Enabled(ThinkingEnabled),
        /// No thinking.
        "disabled" => Disabled(ThinkingDisabled),
        /// The model decides how much to think.
        "adaptive" => Adaptive(ThinkingAdaptive),
    }
}

impl ThinkingConfig {
    /// Thinking with a budget of `budget_tokens` (at least 1024, below `max_tokens`).
    pub fn enabled(budget_tokens: u32) -> Self {
        Self::Enabled(ThinkingEnabled {
            budget_tokens,
            display: None,
            extra: Extra::new(),
        })
    }

    /// No thinking.
    pub fn disabled() -> Self {
        Self::Disabled(ThinkingDisabled {
            extra: Extra::new(),
        })
    }

    /// Adaptive thinking.
    pub fn adaptive() -> Self {
        Self::Adaptive(ThinkingAdaptive {
            display: None,
            extra: Extra::new(),
        })
    }
}

string_enum! {
    /// How thinking is shown in the reply.
    pub enum ThinkingDisplay {
        /// A summary of the reasoning.
        Summarized => "summarized",
        /// No reasoning text (the signature is still sent).
        Omitted => "omitted",
    }
}

object! {
    /// Thinking with a token budget (`enabled`).
    pub struct ThinkingEnabled {
        required {
            /// Tokens the model may spend thinking.
            budget_tokens: u32,
        }
        optional {
            /// How thinking is shown.
            display: ThinkingDisplay,
        }
    }
}

object! {
    /// No thinking (`disabled`).
    #[derive(Default)]
    pub struct ThinkingDisabled {
        required {}
        optional {}
    }
}

object! {
    /// Adaptive thinking (`adaptive`).
    #[derive(Default)]
    pub struct ThinkingAdaptive {
        required {}
        optional {
            /// How thinking is shown.
            display: ThinkingDisplay,
        }
    }
}

string_enum! {
    /// How much effort the model spends (`output_config.effort`).
    pub enum Effort {
        /// Low.
        Low => "low",
        /// Medium.
        Medium => "medium",
        /// High.
        High => "high",
        /// Extra high.
        XHigh => "xhigh",
        /// Maximum.
        Max => "max",
    }
}

object! {
    /// Output options (`output_config`).
    #[derive(Default)]
    pub struct OutputConfig {
        required {}
        optional {
            /// Effort level.
            effort: Effort,
            /// A structured output format.
            format: OutputFormat,
        }
    }
}

tagged_union! {
    /// A structured output format.
    pub enum OutputFormat {
        /// JSON matching a schema.
        "json_schema" => JsonSchema(JsonSchemaFormat),
    }
}

object! {
    /// JSON output matching a schema (`json_schema`).
    pub struct JsonSchemaFormat {
        required {
            /// The JSON schema.
            schema: Value,
        }
        optional {}
    }
}

/// The container to run code in (`container`): an id, or an object such as
/// `{"id": ..., "skills": [...]}`.
#[derive(Debug, Clone, PartialEq)]
pub enum ContainerParam {
    /// The id of a container from an earlier reply.
    Id(String),
    /// A container object.
    Object(Extra),
}

impl From<&str> for ContainerParam {
    fn from(id: &str) -> Self {
        Self::Id(id.to_owned())
    }
}

impl From<String> for ContainerParam {
    fn from(id: String) -> Self {
        Self::Id(id)
    }
}

impl Serialize for ContainerParam {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Id(id) => serializer.serialize_str(id),
            Self::Object(object) => object.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ContainerParam {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match Value::deserialize(deserializer)? {
            Value::String(id) => Ok(Self::Id(id)),
            Value::Object(object) => Ok(Self::Object(object)),
            _ => Err(D::Error::custom(
                "invalid container: expected a container id or an object",
            )),
        }
    }
}

object! {
    /// Automatic context management (`context_management`, beta).
    #[derive(Default)]
    pub struct ContextManagement {
        required {}
        optional {
            /// The edits to apply, e.g. clearing old tool results.
            edits: Vec<Value>,
        }
    }
}

object! {
    /// A remote MCP server the model may use (`mcp_servers[]`, beta).
    pub struct McpServer {
        required {
            /// `url`: the only kind today.
            kind: String = "type",
            /// The server's address.
            url: String,
            /// A name for the server, used in `mcp_tool_use` blocks.
            name: String,
        }
        optional {
            /// An OAuth token for the server (redacted in `Debug`).
            authorization_token: Secret,
            /// Which tools are allowed.
            tool_configuration: Value,
        }
    }
}

impl McpServer {
    /// A URL server.
    pub fn url(name: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            kind: "url".to_owned(),
            url: url.into(),
            name: name.into(),
            authorization_token: None,
            tool_configuration: None,
            extra: Extra::new(),
        }
    }
}

/// A secret string (a token) that never shows in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for sending.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
