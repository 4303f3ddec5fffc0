//! What a reply cost: [`Usage`] and its parts (cache writes, server tool
//! calls, per-iteration token counts, the inference speed and the outcome
//! of a fallback credit).

use crate::macros::{object, string_enum, tagged_union};
use crate::model::Model;

string_enum! {
    /// The service tier that served a request.
    pub enum UsageServiceTier {
        /// Standard capacity.
        Standard => "standard",
        /// Priority capacity.
        Priority => "priority",
        /// Message Batches.
        Batch => "batch",
    }
}

object! {
    /// Token usage of a message.
    ///
    /// The total input is `input_tokens + cache_creation_input_tokens +
    /// cache_read_input_tokens`.
    #[derive(Default)]
    pub struct Usage {
        required {
            /// Input tokens not read from or written to the cache.
            input_tokens: u64,
            /// Output tokens.
            output_tokens: u64,
        }
        optional {
            /// Input tokens written to the cache.
            cache_creation_input_tokens: u64,
            /// Input tokens read from the cache.
            cache_read_input_tokens: u64,
            /// Cache writes by TTL.
            cache_creation: CacheCreation,
            /// Server tool calls made.
            server_tool_use: ServerToolUsage,
            /// The tier that served the request.
            service_tier: UsageServiceTier,
            /// Where inference ran.
            inference_geo: String,
            /// A breakdown of the output tokens.
            output_tokens_details: OutputTokensDetails,
            /// The inference speed mode used.
            speed: Speed,
            /// Per-iteration usage (server tool loops, compaction, advisor,
            /// fallback models).
            iterations: Vec<IterationUsage>,
            /// What became of the request's `fallback_credit_token`.
            fallback_credit: FallbackCreditUsage,
        }
    }
}

object! {
    /// Cache writes by TTL (`cache_creation`).
    #[derive(Default)]
    pub struct CacheCreation {
        required {}
        optional {
            /// Tokens written with the 5-minute TTL.
            ephemeral_5m_input_tokens: u64,
            /// Tokens written with the 1-hour TTL.
            ephemeral_1h_input_tokens: u64,
        }
    }
}

object! {
    /// Server tool calls made (`server_tool_use`).
    #[derive(Default)]
    pub struct ServerToolUsage {
        required {}
        optional {
            /// Web searches.
            web_search_requests: u64,
            /// Web fetches.
            web_fetch_requests: u64,
        }
    }
}

object! {
    /// A breakdown of output tokens (`output_tokens_details`).
    #[derive(Default)]
    pub struct OutputTokensDetails {
        required {}
        optional {
            /// Tokens spent on reasoning.
            thinking_tokens: u64,
        }
    }
}

string_enum! {
    /// The inference speed mode (`speed`, in requests and in usage).
    pub enum Speed {
        /// The default speed.
        Standard => "standard",
        /// Faster output at a higher price, where the model offers it.
        Fast => "fast",
    }
}

tagged_union! {
    /// One sampling iteration of a reply (`usage.iterations[]`), for example
    /// one turn of a server-side tool loop. A `compaction` entry counts the
    /// compaction request itself, not the context it closed, and is not part
    /// of the top-level usage.
    pub enum IterationUsage {
        /// A sampling iteration of the requested model.
        "message" => Message(MessageIteration),
        /// The compaction of the context.
        "compaction" => Compaction(CompactionIteration),
        /// A call of the advisor model.
        "advisor_message" => AdvisorMessage(AdvisorMessageIteration),
        /// A sampling iteration of a fallback model.
        "fallback_message" => FallbackMessage(FallbackMessageIteration),
    }
}

/// The bodies of the [`IterationUsage`] arms: the same token counts, one type
/// per arm.
macro_rules! iteration {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
object! {
    $(#[$meta])*
    pub struct $name {
        required {
            /// Input tokens not read from or written to the cache.
            input_tokens: u64,
            /// Output tokens.
            output_tokens: u64,
            /// Input tokens written to the cache.
            cache_creation_input_tokens: u64,
            /// Input tokens read from the cache.
            cache_read_input_tokens: u64,
        }
        optional {
            /// Cache writes by TTL.
            cache_creation: CacheCreation,
            /// The model of this iteration (not on `compaction` entries).
            model: Model,
        }
    }
}
    )+};
}

iteration! {
    /// The usage of a `message` iteration.
    MessageIteration;
    /// The usage of a `compaction` iteration.
    CompactionIteration;
    /// The usage of an `advisor_message` iteration.
    AdvisorMessageIteration;
    /// The usage of a `fallback_message` iteration.
    FallbackMessageIteration;
}

object! {
    /// What became of the request's `fallback_credit_token` (`usage.fallback_credit`).
    pub struct FallbackCreditUsage {
        required {
            /// Whether the credit was applied to this reply's billing.
            status: FallbackCreditStatus,
        }
        optional {}
    }
}

tagged_union! {
    /// Whether a fallback credit was applied.
    pub enum FallbackCreditStatus {
        /// Billed as if the conversation had been on the retry model all along.
        "redeemed" => Redeemed(FallbackCreditRedeemed),
        /// Not applied; `reason` says why.
        "not_applied" => NotApplied(FallbackCreditNotApplied),
    }
}

object! {
    /// A redeemed fallback credit.
    #[derive(Default)]
    pub struct FallbackCreditRedeemed {
        required {}
        optional {}
    }
}

object! {
    /// A fallback credit that was not applied.
    pub struct FallbackCreditNotApplied {
        required {
            /// Why it was not applied.
            reason: FallbackCreditReason,
        }
        optional {
            /// Request fields to remove for the token to be redeemable.
            remove_to_redeem: Vec<String>,
        }
    }
}

string_enum! {
    /// Why a fallback credit was not applied.
    pub enum FallbackCreditReason {
        /// The request body differs from the refused one.
        BodyMismatch => "body_mismatch",
        /// The token may not be redeemed by continuing the partial reply.
        ContinuationExcluded => "continuation_excluded",
        /// The token may only be redeemed by continuing the partial reply.
        ContinuationOnly => "continuation_only",
        /// The token expired.
        Expired => "expired",
        /// The request's model is not a valid target for the token.
        InvalidTargetModel => "invalid_target_model",
        /// Fallback credits are not enabled.
        NotEnabled => "not_enabled",
        /// No reprice could be made.
        RepriceUnavailable => "reprice_unavailable",
        /// Temporarily unavailable.
        TemporarilyUnavailable => "temporarily_unavailable",
        /// The request carries fields that vary the reply.
        VariantFieldsPresent => "variant_fields_present",
        /// Another organization's token.
        WrongOrganization => "wrong_organization",
        /// Another platform's token.
        WrongPlatform => "wrong_platform",
        /// Another workspace's token.
        WrongWorkspace => "wrong_workspace",
    }
}
