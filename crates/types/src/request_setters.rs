//! The setters of [`CreateMessageRequest`] for the parameters without one
//! in `request.rs`, so no request needs struct syntax or `..Default`.

use crate::common::CacheControl;
use crate::config::{
    BillingPolicy, CompactionParam, ContainerParam, DiagnosticsParam, McpServer, OutputConfig,
};
use crate::context_management::ContextManagement;
use crate::fallback::{FallbackCreditToken, Fallbacks};
use crate::request::{CreateMessageRequest, MessageThread, ServiceTier};
use crate::usage::Speed;

/// One `with_*` method per optional field: `value` goes in as given.
macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident => $field:ident: $ty:ty;)*) => {
        impl CreateMessageRequest {
            $(
                $(#[$doc])*
                pub fn $name(mut self, value: impl Into<$ty>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*
        }
    };
}

setters! {
    /// Sets `top_p` (nucleus sampling).
    with_top_p => top_p: f64;
    /// Sets `top_k` (sample from the k most likely tokens).
    with_top_k => top_k: u32;
    /// Sets the service tier (`auto`, `standard_only`).
    with_service_tier => service_tier: ServiceTier;
    /// Sets the code-execution container (an id from an earlier reply, or
    /// an object with skills).
    with_container => container: ContainerParam;
    /// Sets the remote MCP servers the model may use.
    with_mcp_servers => mcp_servers: Vec<McpServer>;
    /// Sets automatic context management.
    with_context_management => context_management: ContextManagement;
    /// Sets the output options (effort, structured output format, task budget).
    with_output_config => output_config: OutputConfig;
    /// Sets a prompt-cache breakpoint for the whole request.
    with_cache_control => cache_control: CacheControl;
    /// Sets the generation speed.
    with_speed => speed: Speed;
    /// Sets where inference may run (`inference_geo`).
    with_inference_geo => inference_geo: String;
    /// Sets which diagnostics the reply carries.
    with_diagnostics => diagnostics: DiagnosticsParam;
    /// Sets the fallback models.
    with_fallbacks => fallbacks: Fallbacks;
    /// Sets the token of an earlier fallback's credit.
    with_fallback_credit_token => fallback_credit_token: FallbackCreditToken;
    /// Sets the billing policy.
    with_billing_policy => billing_policy: BillingPolicy;
    /// Sets server-side compaction of the conversation.
    with_compaction => compaction: CompactionParam;
    /// Sets the server-held conversation state (beta).
    with_thread => thread: MessageThread;
}

#[cfg(test)]
mod tests {
    use crate::request::{CreateMessageRequest, MessageParam};

    #[test]
    fn every_setter_writes_its_wire_field() {
        let request =
            CreateMessageRequest::new("claude-opus-4-5", 64, vec![MessageParam::user("x")])
                .with_top_p(0.9)
                .with_top_k(40u32)
                .with_inference_geo("us")
                .with_container("container_01");
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["top_p"], 0.9);
        assert_eq!(json["top_k"], 40);
        assert_eq!(json["inference_geo"], "us");
        assert_eq!(json["container"], "container_01");
        let back: CreateMessageRequest = serde_json::from_value(json).unwrap();
        assert_eq!(back, request);
    }
}
