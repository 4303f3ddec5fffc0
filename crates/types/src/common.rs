//! Small pieces shared by requests and responses: roles, cache control,
//! request metadata and the map that keeps unknown fields.

use crate::macros::{object, string_enum};

/// Fields of a known object that this version of the crate does not model.
///
/// Every object type of the crate has one of these, so a field the API adds
/// tomorrow survives a round trip (for example when a response is sent back
/// as the next turn's assistant message).
pub type Extra = serde_json::Map<String, serde_json::Value>;

string_enum! {
    /// Who authored a message in the conversation.
    pub enum Role {
        /// The person (or program) talking to the model.
        User => "user",
        /// The model.
        Assistant => "assistant",
        /// Instructions placed among the turns (beta): a system message in
        /// `messages`, beside the top-level `system` prompt.
        System => "system",
    }
}

string_enum! {
    /// The kind of a [`CacheControl`] breakpoint.
    pub enum CacheControlType {
        /// A prompt-cache breakpoint that expires after its TTL.
        Ephemeral => "ephemeral",
    }
}

string_enum! {
    /// How long an ephemeral cache entry lives.
    pub enum CacheTtl {
        /// Five minutes (the API's default).
        FiveMinutes => "5m",
        /// One hour.
        OneHour => "1h",
    }
}

object! {
    /// A prompt-caching breakpoint (`cache_control`) on a block, tool or request.
    pub struct CacheControl {
        required {
            /// The breakpoint kind; `ephemeral` is the only one the API defines today.
            kind: CacheControlType = "type",
        }
        optional {
            /// Time to live; the API's default (5 minutes) when `None`.
            ttl: CacheTtl,
        }
    }
}

impl CacheControl {
    /// An `ephemeral` breakpoint with the default TTL.
    pub fn ephemeral() -> Self {
        Self {
            kind: CacheControlType::Ephemeral,
            ttl: None,
            extra: Extra::new(),
        }
    }

    /// Sets the TTL of the breakpoint.
    pub fn with_ttl(mut self, ttl: CacheTtl) -> Self {
        self.ttl = Some(ttl);
        self
    }
}

object! {
    /// Request metadata (`metadata`).
    #[derive(Default)]
    pub struct Metadata {
        required {}
        optional {
            /// An opaque identifier of the end user (a hash or UUID, never personal data).
            user_id: String,
        }
    }
}

impl Metadata {
    /// Metadata naming the end user.
    pub fn user(user_id: impl Into<String>) -> Self {
        Self {
            user_id: Some(user_id.into()),
            extra: Extra::new(),
        }
    }
}
