//! Model identifiers.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A model identifier such as `claude-opus-4-5`.
///
/// Models are released far more often than this crate, so `Model` is an open
/// string: any id works (`Model::new("claude-next")` or `"claude-next".into()`),
/// and the constants below are conveniences for current ids, not a closed list.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Model(Cow<'static, str>);

impl Model {
    /// Claude Fable 5.2.
    pub const CLAUDE_FABLE_5_2: Model = Model::from_static("claude-fable-5-2");
    /// Claude Mythos 5.2.
    pub const CLAUDE_MYTHOS_5_2: Model = Model::from_static("claude-mythos-5-2");
    /// Claude Haiku 5.5.
    pub const CLAUDE_HAIKU_5_5: Model = Model::from_static("claude-haiku-5-5");
    /// Claude Sonnet 5.5.
    pub const CLAUDE_SONNET_5_5: Model = Model::from_static("claude-sonnet-5-5");
    /// Claude Fable 5.1.
    pub const CLAUDE_FABLE_5_1: Model = Model::from_static("claude-fable-5-1");
    /// Claude Opus 5.5.
    pub const CLAUDE_OPUS_5_5: Model = Model::from_static("claude-opus-5-5");
    /// Claude Mythos 5.1.
    pub const CLAUDE_MYTHOS_5_1: Model = Model::from_static("claude-mythos-5-1");
    /// Claude Fable 5.
    pub const CLAUDE_FABLE_5: Model = Model::from_static("claude-fable-5");
    /// Claude Mythos 5.
    pub const CLAUDE_MYTHOS_5: Model = Model::from_static("claude-mythos-5");
    /// Claude Mythos Preview.
    ///
    /// Deprecated: end of life 2026-06-30 (see [`Model::end_of_life`]).
    pub const CLAUDE_MYTHOS_PREVIEW: Model = Model::from_static("claude-mythos-preview");
    /// Claude Opus 5.
    pub const CLAUDE_OPUS_5: Model = Model::from_static("claude-opus-5");
    /// Claude Sonnet 5.
    pub const CLAUDE_SONNET_5: Model = Model::from_static("claude-sonnet-5");
    /// Claude Opus 4.8.
    pub const CLAUDE_OPUS_4_8: Model = Model::from_static("claude-opus-4-8");
    /// Claude Opus 4.7.
    pub const CLAUDE_OPUS_4_7: Model = Model::from_static("claude-opus-4-7");
    /// Claude Opus 4.6.
    pub const CLAUDE_OPUS_4_6: Model = Model::from_static("claude-opus-4-6");
    /// Claude Sonnet 4.6.
    pub const CLAUDE_SONNET_4_6: Model = Model::from_static("claude-sonnet-4-6");
    /// Claude Opus 4.5 (alias of the latest snapshot).
    ///
    /// Deprecated: end of life 2027-01-22 (see [`Model::end_of_life`]).
    pub const CLAUDE_OPUS_4_5: Model = Model::from_static("claude-opus-4-5");
    /// Claude Opus 4.5, snapshot of 2025-11-01.
    ///
    /// Deprecated: end of life 2027-01-22 (see [`Model::end_of_life`]).
    pub const CLAUDE_OPUS_4_5_20251101: Model = Model::from_static("claude-opus-4-5-20251101");
    /// Claude Sonnet 4.5 (alias of the latest snapshot).
    ///
    /// Deprecated: end of life 2026-11-30 (see [`Model::end_of_life`]).
    pub const CLAUDE_SONNET_4_5: Model = Model::from_static("claude-sonnet-4-5");
    /// Claude Sonnet 4.5, snapshot of 2025-09-29.
    ///
    /// Deprecated: end of life 2026-11-30 (see [`Model::end_of_life`]).
    pub const CLAUDE_SONNET_4_5_20250929: Model = Model::from_static("claude-sonnet-4-5-20250929");
    /// Claude Haiku 4.5 (alias of the latest snapshot).
    pub const CLAUDE_HAIKU_4_5: Model = Model::from_static("claude-haiku-4-5");
    /// Claude Haiku 4.5, snapshot of 2025-10-01.
    pub const CLAUDE_HAIKU_4_5_20251001: Model = Model::from_static("claude-haiku-4-5-20251001");

    /// A model id from any string.
    pub fn new(id: impl Into<String>) -> Self {
        Model(Cow::Owned(id.into()))
    }

    /// A model id from a `'static` string, usable in constants.
    pub const fn from_static(id: &'static str) -> Self {
        Model(Cow::Borrowed(id))
    }

    /// The id as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The end-of-life date (`YYYY-MM-DD`) of a deprecated model, as the
    /// official SDKs (2.14.0) list them; `None` for any other id. After that
    /// date the API refuses the model, so a program can warn or switch ahead
    /// of time. The API's own list (`client.models()`) is the authority for
    /// models released or deprecated later.
    ///
    /// ```
    /// use claude_rs_types::Model;
    ///
    /// assert_eq!(Model::CLAUDE_SONNET_4_5.end_of_life(), Some("2026-11-30"));
    /// assert_eq!(Model::CLAUDE_SONNET_5.end_of_life(), None);
    /// ```
    pub fn end_of_life(&self) -> Option<&'static str> {
        DEPRECATED
            .iter()
            .find(|(id, _)| *id == self.as_str())
            .map(|(_, date)| *date)
    }
}

/// Deprecated models and their end-of-life dates (official SDKs, 2.14.0).
const DEPRECATED: [(&str, &str); 5] = [
    ("claude-mythos-preview", "2026-06-30"),
    ("claude-opus-4-5", "2027-01-22"),
    ("claude-opus-4-5-20251101", "2027-01-22"),
    ("claude-sonnet-4-5", "2026-11-30"),
    ("claude-sonnet-4-5-20250929", "2026-11-30"),
];

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Model {
    fn from(id: &str) -> Self {
        Model::new(id)
    }
}

impl From<String> for Model {
    fn from(id: String) -> Self {
        Model::new(id)
    }
}

impl AsRef<str> for Model {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Model {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Model {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Model {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Model {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Model::new)
    }
}
