//! The Messages request: [`CreateMessageRequest`] and its parts.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::common::{CacheControl, Extra, Metadata, Role};
use crate::config::{
    BillingPolicy, CompactionParam, ContainerParam, DiagnosticsParam, Effort, McpServer,
    OutputConfig, ThinkingConfig,
};
use crate::content::{MessageContent, TextBlock};
use crate::context_management::ContextManagement;
use crate::fallback::{FallbackCreditToken, Fallbacks};
use crate::macros::{object, string_enum, tagged_union};
use crate::model::Model;
use crate::tool::{Tool, ToolChoice};
use crate::usage::Speed;

object! {
    /// A request to `POST /v1/messages`.
    ///
    /// Build one with [`CreateMessageRequest::new`] and the `with_*` setters,
    /// or with struct syntax. Fields this crate does not model yet can be sent
    /// through `extra`.
    ///
    /// ```
    /// use claude_rs_types::config::ThinkingConfig;
    /// use claude_rs_types::{common::CacheControl, request::CreateMessageRequest, common::Metadata, request::MessageParam, model::Model};
    ///
    /// let request = CreateMessageRequest::new(
    ///     Model::CLAUDE_SONNET_5,
    ///     4096,
    ///     vec![MessageParam::user("Name three primes.")],
    /// )
    /// .with_system("Answer with digits only.")
    /// .with_thinking(ThinkingConfig::enabled(2048))
    /// .with_stop_sequences(vec!["\n\n".to_owned()])
    /// .with_metadata(Metadata::user("user-7f3a"))
    /// .with_cache_control(CacheControl::ephemeral())
    /// .with_extra("future_option", serde_json::json!(true));
    ///
    /// let json = serde_json::to_value(&request)?;
    /// assert_eq!(json["model"], "claude-sonnet-5");
    /// assert_eq!(json["system"], "Answer with digits only.");
    /// assert_eq!(json["thinking"], serde_json::json!({"type": "enabled", "budget_tokens": 2048}));
    /// assert_eq!(json["metadata"]["user_id"], "user-7f3a");
    /// assert_eq!(json["cache_control"]["type"], "ephemeral");
    /// assert_eq!(json["future_option"], true);
    /// assert!(json.get("temperature").is_none()); // unset fields are not sent
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct CreateMessageRequest {
        required {
            /// The model to use.
            model: Model,
            /// The maximum number of tokens to generate.
            max_tokens: u32,
            /// The conversation so far, alternating `user` and `assistant` turns.
            messages: Vec<MessageParam>,
        }
        optional {
            /// The system prompt.
            system: SystemPrompt,
            /// Randomness, 0.0 to 1.0.
            temperature: f64,
            /// Nucleus sampling threshold.
            top_p: f64,
            /// Sample only from the top K tokens.
            top_k: u32,
            /// Custom strings that stop generation.
            stop_sequences: Vec<String>,
            /// Stream the reply as server-sent events.
            stream: bool,
            /// Request metadata.
            metadata: Metadata,
            /// Tools the model may call.
            tools: Vec<Tool>,
            /// How the model should use the tools.
            tool_choice: ToolChoice,
            /// Extended thinking.
            thinking: ThinkingConfig,
            /// Which capacity tier may serve the request.
            service_tier: ServiceTier,
            /// The code-execution container to reuse.
            container: ContainerParam,
            /// Remote MCP servers the model may use (beta).
            mcp_servers: Vec<McpServer>,
            /// Automatic context management (beta).
            context_management: ContextManagement,
            /// Output effort and format.
            output_config: OutputConfig,
            /// A prompt-cache breakpoint for the whole request.
            cache_control: CacheControl,
            /// The inference speed mode.
            speed: Speed,
            /// Where inference may run (e.g. `us`).
            inference_geo: String,
            /// Ask why the prompt cache missed against an earlier reply.
            diagnostics: DiagnosticsParam,
            /// Models that may take over when this one declines.
            fallbacks: Fallbacks,
            /// The credit token of a refused earlier request, on its retry.
            fallback_credit_token: FallbackCreditToken,
            /// Who pays for the request.
            billing_policy: BillingPolicy,
            /// Compact the whole conversation into one `compaction` block.
            compaction: CompactionParam,
            /// Server-held conversation state (beta): create a thread, or
            /// continue one so only the new turn is sent.
            thread: MessageThread,
        }
    }
}

tagged_union! {
    /// Server-held conversation state (`thread`, beta). The response shape
    /// is unchanged.
    pub enum MessageThread {
        /// Hold this conversation's state under the response's `id`.
        "create" => Create(ThreadCreate),
        /// Resume from a previous response: only the new turn's messages are sent.
        "continue" => Continue(ThreadContinue),
    }
}

object! {
    /// Start a thread (`{"type": "create"}`).
    #[derive(Default)]
    pub struct ThreadCreate {
        required {}
        optional {}
    }
}

object! {
    /// Continue a thread (`{"type": "continue", "previous_message_id": ...}`).
    pub struct ThreadContinue {
        required {
            /// The `id` of the response to continue from.
            previous_message_id: String,
        }
        optional {}
    }
}

impl MessageThread {
    /// Hold this conversation's state on the server.
    pub fn create() -> Self {
        Self::Create(ThreadCreate::default())
    }

    /// Continue from the response `previous_message_id`.
    pub fn resume(previous_message_id: impl Into<String>) -> Self {
        Self::Continue(ThreadContinue::from_required(previous_message_id.into()))
    }
}

impl CreateMessageRequest {
    /// A request with the required fields and nothing else.
    pub fn new(model: impl Into<Model>, max_tokens: u32, messages: Vec<MessageParam>) -> Self {
        Self {
            model: model.into(),
            max_tokens,
            messages,
            system: None,
            temperature: None,
            top_p: None,
            top_k: None,
            stop_sequences: None,
            stream: None,
            metadata: None,
            tools: None,
            tool_choice: None,
            thinking: None,
            service_tier: None,
            container: None,
            mcp_servers: None,
            context_management: None,
            output_config: None,
            cache_control: None,
            speed: None,
            inference_geo: None,
            diagnostics: None,
            fallbacks: None,
            fallback_credit_token: None,
            billing_policy: None,
            compaction: None,
            thread: None,
            extra: Extra::new(),
        }
    }

    /// Sets the system prompt.
    pub fn with_system(mut self, system: impl Into<SystemPrompt>) -> Self {
        self.system = Some(system.into());
        self
    }

    /// Sets the temperature.
    pub fn with_temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// Sets the stop sequences.
    pub fn with_stop_sequences(mut self, stop: Vec<String>) -> Self {
        self.stop_sequences = Some(stop);
        self
    }

    /// Sets the tools.
    pub fn with_tools(mut self, tools: Vec<Tool>) -> Self {
        self.tools = Some(tools);
        self
    }

    /// Sets the tool choice.
    pub fn with_tool_choice(mut self, tool_choice: ToolChoice) -> Self {
        self.tool_choice = Some(tool_choice);
        self
    }

    /// Sets the thinking configuration.
    pub fn with_thinking(mut self, thinking: ThinkingConfig) -> Self {
        self.thinking = Some(thinking);
        self
    }

    /// Sets `stream` (the client sets it for you when streaming).
    pub fn with_stream(mut self, stream: bool) -> Self {
        self.stream = Some(stream);
        self
    }

    /// Sets the metadata.
    pub fn with_metadata(mut self, metadata: Metadata) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// Adds a field this crate does not model (sent as is).
    pub fn with_extra(mut self, key: impl Into<String>, value: serde_json::Value) -> Self {
        self.extra.insert(key.into(), value);
        self
    }
}

object! {
    /// One turn of the conversation.
    ///
    /// The content is a string (sent as a JSON string) or blocks; a prefill
    /// is an assistant turn the reply continues from.
    ///
    /// ```
    /// use claude_rs_types::content::{ImageBlock, ToolResultBlock};
    /// use claude_rs_types::{content::ContentBlock, request::MessageParam, common::Role};
    ///
    /// let question = MessageParam::user(vec![
    ///     ContentBlock::from(ImageBlock::url("https://example.com/cat.jpg")),
    ///     ContentBlock::from("What animal is this?"),
    /// ]);
    /// let prefill = MessageParam::assistant("It is a");
    /// let answer = MessageParam::user(ContentBlock::ToolResult(ToolResultBlock::text("toolu_01", "21°C")));
    ///
    /// assert_eq!(prefill.role, Role::Assistant);
    /// assert_eq!(
    ///     serde_json::to_value(&prefill)?,
    ///     serde_json::json!({"role": "assistant", "content": "It is a"})
    /// );
    /// let json = serde_json::to_value(&question)?;
    /// assert_eq!(json["content"][0]["source"]["type"], "url");
    /// assert_eq!(json["content"][1], serde_json::json!({"type": "text", "text": "What animal is this?"}));
    /// assert_eq!(serde_json::to_value(&answer)?["content"][0]["tool_use_id"], "toolu_01");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct MessageParam {
        required {
            /// Who wrote it.
            role: Role,
        }
        optional {
            /// What it says: always there on user and assistant turns; a
            /// system turn may carry only `output_config`.
            content: MessageContent,
            /// When a system turn stops being shown to the model
            /// (`role: "system"` only; the API's default is `never`).
            clear_at: ClearAt,
            /// Per-turn output options of a system turn.
            output_config: SystemOutputConfig,
        }
    }
}

string_enum! {
    /// When a system turn stops being shown to the model (`clear_at`).
    pub enum ClearAt {
        /// Shown for the user turn it follows only: once a later user turn
        /// exists it stays in `messages` (send it unchanged) but is hidden.
        NextUserMessage => "next_user_message",
        /// Shown on every request that includes it (the default).
        Never => "never",
    }
}

object! {
    /// Per-turn output options of a system turn (`output_config`); `format`
    /// stays top-level only.
    #[derive(Default)]
    pub struct SystemOutputConfig {
        required {}
        optional {
            /// How much effort the model spends from this turn on.
            effort: Effort,
        }
    }
}

impl MessageParam {
    /// A user turn.
    pub fn user(content: impl Into<MessageContent>) -> Self {
        Self::new(Role::User, content)
    }

    /// An assistant turn (a previous reply, or a prefill).
    pub fn assistant(content: impl Into<MessageContent>) -> Self {
        Self::new(Role::Assistant, content)
    }

    /// A system turn among the messages (beta): instructions that apply from
    /// this point of the conversation.
    pub fn system(content: impl Into<MessageContent>) -> Self {
        Self::new(Role::System, content)
    }

    /// A turn from a role and content.
    pub fn new(role: Role, content: impl Into<MessageContent>) -> Self {
        let mut turn = Self::from_required(role);
        turn.content = Some(content.into());
        turn
    }
}

/// The system prompt: a string or text blocks (blocks allow cache breakpoints).
#[derive(Debug, Clone, PartialEq)]
pub enum SystemPrompt {
    /// Plain text.
    Text(String),
    /// Text blocks.
    Blocks(Vec<TextBlock>),
}

impl From<&str> for SystemPrompt {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for SystemPrompt {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<Vec<TextBlock>> for SystemPrompt {
    fn from(blocks: Vec<TextBlock>) -> Self {
        Self::Blocks(blocks)
    }
}

impl Serialize for SystemPrompt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::Blocks(blocks) => blocks.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for SystemPrompt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(text) => Ok(Self::Text(text)),
            serde_json::Value::Array(items) => {
                Vec::<TextBlock>::deserialize(serde_json::Value::Array(items))
                    .map(Self::Blocks)
                    .map_err(D::Error::custom)
            }
            _ => Err(D::Error::custom(
                "invalid system prompt: expected a string or an array of text blocks",
            )),
        }
    }
}

string_enum! {
    /// Which capacity may serve a request (`service_tier`).
    pub enum ServiceTier {
        /// Priority capacity when available, else standard.
        Auto => "auto",
        /// Standard capacity only.
        StandardOnly => "standard_only",
    }
}

object! {
    /// A request to `POST /v1/messages/count_tokens`: a Messages request
    /// without `max_tokens` and sampling options.
    pub struct CountTokensRequest {
        required {
            /// The model whose tokenizer counts.
            model: Model,
            /// The conversation.
            messages: Vec<MessageParam>,
        }
        optional {
            /// The system prompt.
            system: SystemPrompt,
            /// Tools.
            tools: Vec<Tool>,
            /// Tool choice.
            tool_choice: ToolChoice,
            /// Extended thinking.
            thinking: ThinkingConfig,
            /// Remote MCP servers (beta).
            mcp_servers: Vec<McpServer>,
            /// Context management (beta).
            context_management: ContextManagement,
            /// Output effort and format.
            output_config: OutputConfig,
            /// A prompt-cache breakpoint for the whole request.
            cache_control: CacheControl,
            /// The inference speed mode.
            speed: Speed,
            /// Who pays for the request.
            billing_policy: BillingPolicy,
            /// Compact the whole conversation into one `compaction` block.
            compaction: CompactionParam,
        }
    }
}

impl From<&CreateMessageRequest> for CountTokensRequest {
    fn from(request: &CreateMessageRequest) -> Self {
        Self {
            model: request.model.clone(),
            messages: request.messages.clone(),
            system: request.system.clone(),
            tools: request.tools.clone(),
            tool_choice: request.tool_choice.clone(),
            thinking: request.thinking.clone(),
            mcp_servers: request.mcp_servers.clone(),
            context_management: request.context_management.clone(),
            output_config: request.output_config.clone(),
            cache_control: request.cache_control.clone(),
            speed: request.speed.clone(),
            billing_policy: request.billing_policy.clone(),
            compaction: request.compaction.clone(),
            // Fields this crate does not model go along: they may count.
            extra: request.extra.clone(),
        }
    }
}

object! {
    /// The answer of `count_tokens`.
    pub struct CountTokensResponse {
        required {
            /// Input tokens the request would use.
            input_tokens: u64,
        }
        optional {
            /// What context management would change (beta).
            context_management: CountTokensContextManagement,
        }
    }
}

object! {
    /// The effect of context management on a token count.
    pub struct CountTokensContextManagement {
        required {
            /// Input tokens before context management was applied.
            original_input_tokens: u64,
        }
        optional {}
    }
}
