//! Model fallback in a request: the models that may take over when the
//! requested one declines (`fallbacks`), and the credit token of a refused
//! earlier request (`fallback_credit_token`). What happened is in the reply:
//! a `fallback` block, `usage.iterations` and `usage.fallback_credit`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::config::{OutputConfig, ThinkingConfig};
use crate::macros::{object, string_enum};
use crate::model::Model;
use crate::usage::Speed;

/// The models a request may fall back to (`fallbacks`).
#[derive(Debug, Clone, PartialEq)]
pub enum Fallbacks {
    /// `"default"`: the API's own fallback chain.
    Default,
    /// These models, in order.
    Models(Vec<FallbackParam>),
}

object! {
    /// One fallback model, with the settings that differ for it.
    pub struct FallbackParam {
        required {
            /// The model.
            model: Model,
        }
        optional {
            /// Its `max_tokens`.
            max_tokens: u32,
            /// Its output options.
            output_config: OutputConfig,
            /// Its speed.
            speed: Speed,
            /// Its thinking.
            thinking: ThinkingConfig,
        }
    }
}

impl FallbackParam {
    /// Fall back to `model` with the request's own settings.
    pub fn new(model: impl Into<Model>) -> Self {
        Self::from_required(model.into())
    }
}

impl Serialize for Fallbacks {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Default => serializer.serialize_str("default"),
            Self::Models(models) => models.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Fallbacks {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match Value::deserialize(deserializer)? {
            Value::String(default) if default == "default" => Ok(Self::Default),
            list @ Value::Array(_) => Vec::<FallbackParam>::deserialize(list)
                .map(Self::Models)
                .map_err(D::Error::custom),
            _ => Err(D::Error::custom(
                "invalid fallbacks: expected \"default\" or a list of models",
            )),
        }
    }
}

/// The `fallback_credit_token` of a refusal's `stop_details`, presented on
/// the retry: the bare token, or the token with a redemption mode.
#[derive(Debug, Clone, PartialEq)]
pub enum FallbackCreditToken {
    /// The token alone.
    Token(String),
    /// The token with its options.
    WithMode(FallbackCreditTokenParam),
}

object! {
    /// A fallback credit token with its redemption mode.
    pub struct FallbackCreditTokenParam {
        required {
            /// The token.
            token: String,
        }
        optional {
            /// What to do when the credit cannot be applied.
            mode: FallbackCreditMode,
        }
    }
}

string_enum! {
    /// How a fallback credit token is redeemed.
    pub enum FallbackCreditMode {
        /// Fail the request when the credit cannot be applied.
        Strict => "strict",
        /// Serve the request anyway.
        BestEffort => "best_effort",
    }
}

impl From<String> for FallbackCreditToken {
    fn from(token: String) -> Self {
        Self::Token(token)
    }
}

impl Serialize for FallbackCreditToken {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Token(token) => serializer.serialize_str(token),
            Self::WithMode(param) => param.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for FallbackCreditToken {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match Value::deserialize(deserializer)? {
            Value::String(token) => Ok(Self::Token(token)),
            object @ Value::Object(_) => FallbackCreditTokenParam::deserialize(object)
                .map(Self::WithMode)
                .map_err(D::Error::custom),
            _ => Err(D::Error::custom(
                "invalid fallback_credit_token: expected a token string or object",
            )),
        }
    }
}
