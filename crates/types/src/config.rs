//! Request options: thinking, output, container, MCP servers, context management.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::common::Extra;
use crate::macros::{object, string_enum, tagged_union};
use crate::secret::Secret;

tagged_union! {
    /// Extended thinking (`thinking`).
    pub enum ThinkingConfig {
        /// Thinking with a token budget.
        "enabled" => Enabled(ThinkingEnabled),
        /// No thinking.
        "disabled" => Disabled(ThinkingDisabled),
        /// The model decides how much to think.
        "adaptive" => Adaptive(ThinkingAdaptive),
        /// Thinking only between tool calls (`between_tools`).
        "between_tools" => BetweenTools(ThinkingBetweenTools),
    }
}

impl ThinkingConfig {
    /// Thinking with a budget of `budget_tokens` (at least 1024, below `max_tokens`).
    pub fn enabled(budget_tokens: u32) -> Self {
        Self::Enabled(ThinkingEnabled::from_required(budget_tokens))
    }

    /// No thinking.
    pub fn disabled() -> Self {
        Self::Disabled(ThinkingDisabled {
            extra: Extra::new(),
        })
    }

    /// Adaptive thinking.
    pub fn adaptive() -> Self {
        Self::Adaptive(ThinkingAdaptive::default())
    }
}

string_enum! {
    /// How thinking is shown in the reply.
    pub enum ThinkingDisplay {
        /// A summary of the reasoning.
        Summarized => "summarized",
        /// No reasoning text (the signature is still sent).
        Omitted => "omitted",
        /// Progress updates while the model thinks.
        Updates => "updates",
    }
}

object! {
    /// What happens when a thinking block sent back in `messages` fails the
    /// conversation check (`thinking.block_binding`, beta). Every field is
    /// optional; an empty object means every default.
    #[derive(Default)]
    pub struct ThinkingBlockBinding {
        required {}
        optional {
            /// Fail the request (the default) or drop the failing blocks.
            prefix_mismatch_behavior: PrefixMismatchBehavior,
        }
    }
}

string_enum! {
    /// What happens to a thinking block that fails the conversation check.
    pub enum PrefixMismatchBehavior {
        /// The request fails with a 400 error (the default).
        Error => "error",
        /// The failing blocks are removed and reported in
        /// `input_transformations`; the request proceeds.
        DropBlock => "drop_block",
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
            /// What happens when a thinking block sent back fails the
            /// conversation check.
            block_binding: ThinkingBlockBinding,
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
    /// Thinking only between tool calls (`between_tools`).
    #[derive(Default)]
    pub struct ThinkingBetweenTools {
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
            /// What happens when a thinking block sent back fails the
            /// conversation check.
            block_binding: ThinkingBlockBinding,
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
    /// Output options (`output_config`): how much effort the model spends,
    /// and a structured output format (a reply whose text is JSON matching
    /// a schema). With the `schemars` feature,
    /// `tool_schema::output_format_for::<T>()` derives the format from a
    /// Rust type.
    ///
    /// ```
    /// use claude_rs_types::config::{Effort, JsonSchemaFormat, OutputConfig, OutputFormat};
    /// use claude_rs_types::request::{CreateMessageRequest, MessageParam};
    /// use serde_json::json;
    ///
    /// let schema = json!({
    ///     "type": "object",
    ///     "properties": {"city": {"type": "string"}},
    ///     "required": ["city"],
    ///     "additionalProperties": false
    /// });
    /// let output = OutputConfig::json_schema(schema.clone()).with_effort(Effort::Low);
    /// // The same, spelled out.
    /// let spelled_out = OutputConfig::default()
    ///     .with_format(JsonSchemaFormat::new(schema))
    ///     .with_effort(Effort::Low);
    /// assert_eq!(output, spelled_out);
    /// assert!(matches!(output.format, Some(OutputFormat::JsonSchema(_))));
    /// let request = CreateMessageRequest::new("claude-opus-4-5", 256, vec![MessageParam::user("Capital of France?")])
    ///     .with_output_config(output);
    ///
    /// let json = serde_json::to_value(&request)?;
    /// assert_eq!(json["output_config"]["effort"], "low");
    /// assert_eq!(json["output_config"]["format"]["type"], "json_schema");
    /// assert_eq!(json["output_config"]["format"]["schema"]["required"], json!(["city"]));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[derive(Default)]
    pub struct OutputConfig {
        required {}
        optional {
            /// Effort level.
            effort: Effort,
            /// A structured output format.
            format: OutputFormat,
            /// A token budget for the whole agentic task, of which this
            /// request is a part.
            task_budget: TaskBudget,
        }
    }
}

object! {
    /// A task's token budget (`output_config.task_budget`, `type: "tokens"`).
    pub struct TaskBudget {
        required {
            /// `tokens`.
            kind: String = "type",
            /// The budget of the whole task.
            total: u64,
        }
        optional {
            /// What is left of it at this request.
            remaining: u64,
        }
    }
}

impl OutputConfig {
    /// Asks for a reply whose text is JSON matching `schema`; nothing else
    /// is set.
    pub fn json_schema(schema: Value) -> Self {
        Self::default().with_format(JsonSchemaFormat::new(schema))
    }

    /// Sets the structured output format.
    pub fn with_format(mut self, format: impl Into<OutputFormat>) -> Self {
        self.format = Some(format.into());
        self
    }

    /// Sets the effort level.
    pub fn with_effort(mut self, effort: Effort) -> Self {
        self.effort = Some(effort);
        self
    }
}

impl TaskBudget {
    /// A budget of `total` tokens.
    pub fn tokens(total: u64) -> Self {
        Self::from_required("tokens".to_owned(), total)
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

impl JsonSchemaFormat {
    /// JSON output matching `schema`, a JSON schema object. With the
    /// `schemars` feature, `tool_schema::output_format_for::<T>()` derives
    /// it from a Rust type instead.
    pub fn new(schema: Value) -> Self {
        Self::from_required(schema)
    }
}

/// The container to run code in (`container`): an id, or an object with an
/// id and the skills to load.
#[derive(Debug, Clone, PartialEq)]
pub enum ContainerParam {
    /// The id of a container from an earlier reply.
    Id(String),
    /// A container object.
    Object(ContainerParams),
}

object! {
    /// A container with skills (`container` as an object).
    #[derive(Default)]
    pub struct ContainerParams {
        required {}
        optional {
            /// The container to reuse; a new one when `None`.
            id: String,
            /// Skills to load into the container.
            skills: Vec<SkillParam>,
        }
    }
}

object! {
    /// A skill to load (`container.skills[]`).
    pub struct SkillParam {
        required {
            /// The skill's id.
            skill_id: String,
            /// Who made it.
            kind: SkillKind = "type",
        }
        optional {
            /// A version; the latest when `None`.
            version: String,
        }
    }
}

string_enum! {
    /// Who made a skill.
    pub enum SkillKind {
        /// Anthropic.
        Anthropic => "anthropic",
        /// The organization.
        Custom => "custom",
    }
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
            Value::Object(object) => crate::decode::from_object(object)
                .map(Self::Object)
                .map_err(D::Error::custom),
            _ => Err(D::Error::custom(
                "invalid container: expected a container id or an object",
            )),
        }
    }
}

object! {
    /// Request diagnostics (`diagnostics`): name the previous request to
    /// learn why the prompt cache missed (`Message::diagnostics`).
    #[derive(Default)]
    pub struct DiagnosticsParam {
        required {}
        optional {
            /// The id of the previous reply of this conversation.
            previous_message_id: String,
        }
    }
}

object! {
    /// Compact the whole conversation now (`compaction`, `type: "summarize"`):
    /// the reply is one signed `compaction` block, to be sent back first in
    /// `messages` in place of the turns it summarizes.
    pub struct CompactionParam {
        required {
            /// `summarize`.
            kind: String = "type",
        }
        optional {
            /// Instructions that replace the default summary prompt.
            instructions: String,
        }
    }
}

impl CompactionParam {
    /// `summarize` with the default prompt.
    pub fn summarize() -> Self {
        Self::from_required("summarize".to_owned())
    }
}

object! {
    /// Who pays for the request (`billing_policy`, `type: "billing_policy"`).
    pub struct BillingPolicy {
        required {
            /// `billing_policy`.
            kind: String = "type",
        }
        optional {
            /// The payer.
            bill_to: BillTo,
        }
    }
}

string_enum! {
    /// Who is billed (`billing_policy.bill_to`).
    pub enum BillTo {
        /// The caller's organization.
        OwnOrganization => "self",
        /// The user profile of the request (`anthropic-user-profile-id`).
        UserProfile => "user_profile",
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
            /// Which of the server's tools the model may use.
            tool_configuration: McpToolConfiguration,
        }
    }
}

object! {
    /// Which of an MCP server's tools the model may use
    /// (`mcp_servers[].tool_configuration`).
    #[derive(Default)]
    pub struct McpToolConfiguration {
        required {}
        optional {
            /// Only these tools (by name); every tool when unset.
            allowed_tools: Vec<String>,
            /// Whether the server's tools are offered at all.
            enabled: bool,
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
