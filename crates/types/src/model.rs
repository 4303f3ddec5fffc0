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

/// Declares the model catalogue: the [`Model`] constants and
/// [`Model::catalog`], from one table.
macro_rules! catalogue {
    ($(
        $(#[$attr:meta])*
        $konst:ident = $id:literal $(alias $alias:ident = $alias_id:literal)? {
            $name:literal, $released:literal, $line:ident, $context:expr, $output:expr,
            $thinking:ident, $life:expr $(,)?
        }
    )*) => {
        impl Model {
            $(
                #[doc = concat!($name, " (`", $id, "`), released ", $released, ".")]
                $(#[$attr])*
                pub const $konst: Model = Model::from_static($id);
                catalogue!(@alias_const [$(#[$attr])*] $name $id $($alias $alias_id)?);
            )*
        }

        static CATALOG: &[KnownModel] = &[$(
            KnownModel {
                id: $id,
                alias: catalogue!(@alias $($alias_id)?),
                display_name: $name,
                released: $released,
                line: KnownLine::$line,
                max_input_tokens: $context,
                max_tokens: $output,
                adaptive_thinking: catalogue!(@adaptive $thinking),
                lifecycle: $life,
            },
        )*];
    };
    (@alias_const [$($attrs:tt)*] $name:literal $id:literal $alias:ident $alias_id:literal) => {
        #[doc = concat!($name, ": the alias of its latest snapshot, `", $id, "`.")]
        $($attrs)*
        pub const $alias: Model = Model::from_static($alias_id);
    };
    (@alias_const [$($attrs:tt)*] $name:literal $id:literal) => {};
    (@alias $alias:literal) => { Some($alias) };
    (@alias) => { None };
    (@adaptive adaptive) => { true };
    (@adaptive budget) => { false };
}

/// A model line of [`KnownModel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KnownLine {
    /// Haiku.
    Haiku,
    /// Sonnet.
    Sonnet,
    /// Opus.
    Opus,
    /// Fable.
    Fable,
    /// Mythos.
    Mythos,
}

impl KnownLine {
    /// The line as the Models API writes it (`line`).
    pub fn as_str(self) -> &'static str {
        match self {
            KnownLine::Haiku => "haiku",
            KnownLine::Sonnet => "sonnet",
            KnownLine::Opus => "opus",
            KnownLine::Fable => "fable",
            KnownLine::Mythos => "mythos",
        }
    }
}

/// Where a [`KnownModel`] is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KnownLifecycle {
    /// Served, with no end of life announced.
    Active,
    /// Served until its end of life (`YYYY-MM-DD`).
    Deprecated {
        /// The end-of-life date.
        end_of_life: &'static str,
    },
    /// No longer served since that date: the API refuses requests naming it
    /// (`404 not_found_error`) and no longer lists it.
    Retired {
        /// The date it retired.
        on: &'static str,
    },
}

/// One model of the catalogue this crate knows ([`Model::catalog`]): the
/// facts the API documentation gives (id, name, release date, context
/// window, output limit, lifecycle). The embedded mock serves its Models API
/// and validates requests from this table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct KnownModel {
    /// The id (a dated snapshot id for models that have an alias).
    pub id: &'static str,
    /// The alias that names the latest snapshot (`claude-opus-4-5`), if any.
    pub alias: Option<&'static str>,
    /// The human-readable name (`Claude Opus 4.5`).
    pub display_name: &'static str,
    /// The release date (`YYYY-MM-DD`).
    pub released: &'static str,
    /// The model line.
    pub line: KnownLine,
    /// The context window in tokens.
    pub max_input_tokens: u64,
    /// The output limit in tokens.
    pub max_tokens: u64,
    /// Whether it thinks adaptively (`{"type": "adaptive"}`) rather than
    /// with a manual budget.
    pub adaptive_thinking: bool,
    /// Active, deprecated or retired.
    pub lifecycle: KnownLifecycle,
}

impl KnownModel {
    /// Whether the API still serves it.
    pub fn is_served(&self) -> bool {
        !matches!(self.lifecycle, KnownLifecycle::Retired { .. })
    }
}

use KnownLifecycle::{Active, Deprecated, Retired};

// Newest first, as the Models API lists them. The ids are those of the
// official SDKs 2.17.0 (`Model`), plus Claude Sonnet 4.5, which those SDKs
// dropped when it reached its end of life on 2026-11-30; release dates,
// context windows and output limits are those of the model pages at
// https://platform.claude.com/docs/en/about-claude/models/overview, and
// deprecations those of the SDKs' deprecation table. Where no release date
// was found (Claude Opus 5.5, Claude Opus 4.7, Claude Mythos Preview), the
// date is an approximation that keeps the release order.
catalogue! {
    CLAUDE_FABLE_5_2 = "claude-fable-5-2" {
        "Claude Fable 5.2", "2026-11-09", Fable, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_MYTHOS_5_2 = "claude-mythos-5-2" {
        "Claude Mythos 5.2", "2026-11-09", Mythos, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_HAIKU_5_5 = "claude-haiku-5-5" {
        "Claude Haiku 5.5", "2026-10-07", Haiku, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_SONNET_5_5 = "claude-sonnet-5-5" {
        "Claude Sonnet 5.5", "2026-09-28", Sonnet, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_OPUS_5_5 = "claude-opus-5-5" {
        "Claude Opus 5.5", "2026-09-15", Opus, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_FABLE_5_1 = "claude-fable-5-1" {
        "Claude Fable 5.1", "2026-09-01", Fable, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_MYTHOS_5_1 = "claude-mythos-5-1" {
        "Claude Mythos 5.1", "2026-09-01", Mythos, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_OPUS_5 = "claude-opus-5" {
        "Claude Opus 5", "2026-07-24", Opus, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_SONNET_5 = "claude-sonnet-5" {
        "Claude Sonnet 5", "2026-06-30", Sonnet, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_FABLE_5 = "claude-fable-5" {
        "Claude Fable 5", "2026-06-09", Fable, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_MYTHOS_5 = "claude-mythos-5" {
        "Claude Mythos 5", "2026-06-09", Mythos, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_OPUS_4_8 = "claude-opus-4-8" {
        "Claude Opus 4.8", "2026-05-28", Opus, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_OPUS_4_7 = "claude-opus-4-7" {
        "Claude Opus 4.7", "2026-04-16", Opus, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_MYTHOS_PREVIEW = "claude-mythos-preview" {
        "Claude Mythos Preview", "2026-04-07", Mythos, 1_000_000, 128_000, adaptive,
        Deprecated { end_of_life: "2026-06-30" }
    }
    CLAUDE_SONNET_4_6 = "claude-sonnet-4-6" {
        "Claude Sonnet 4.6", "2026-02-17", Sonnet, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_OPUS_4_6 = "claude-opus-4-6" {
        "Claude Opus 4.6", "2026-02-05", Opus, 1_000_000, 128_000, adaptive, Active
    }
    CLAUDE_OPUS_4_5_20251101 = "claude-opus-4-5-20251101" alias CLAUDE_OPUS_4_5 = "claude-opus-4-5" {
        "Claude Opus 4.5", "2025-11-24", Opus, 200_000, 64_000, budget,
        Deprecated { end_of_life: "2027-01-22" }
    }
    CLAUDE_HAIKU_4_5_20251001 = "claude-haiku-4-5-20251001" alias CLAUDE_HAIKU_4_5 = "claude-haiku-4-5" {
        "Claude Haiku 4.5", "2025-10-15", Haiku, 200_000, 64_000, budget, Active
    }
    #[deprecated(note = "retired on 2026-11-30: the API refuses it; use a current model")]
    CLAUDE_SONNET_4_5_20250929 = "claude-sonnet-4-5-20250929" alias CLAUDE_SONNET_4_5 = "claude-sonnet-4-5" {
        "Claude Sonnet 4.5", "2025-09-29", Sonnet, 200_000, 64_000, budget,
        Retired { on: "2026-11-30" }
    }
}

impl Model {
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

    /// The end-of-life date (`YYYY-MM-DD`) of a deprecated or retired model
    /// of the [catalogue](Self::catalog); `None` for any other id. After that
    /// date the API refuses the model, so a program can warn or switch ahead
    /// of time. The API's own list (`client.models()`) is the authority for
    /// models released or deprecated later.
    ///
    /// ```
    /// use claude_rs_types::model::Model;
    ///
    /// assert_eq!(Model::CLAUDE_OPUS_4_5.end_of_life(), Some("2027-01-22"));
    /// assert_eq!(Model::new("claude-sonnet-4-5").end_of_life(), Some("2026-11-30"));
    /// assert_eq!(Model::CLAUDE_SONNET_5.end_of_life(), None);
    /// ```
    pub fn end_of_life(&self) -> Option<&'static str> {
        match self.known()?.lifecycle {
            KnownLifecycle::Deprecated { end_of_life } => Some(end_of_life),
            KnownLifecycle::Retired { on } => Some(on),
            KnownLifecycle::Active => None,
        }
    }

    /// What the catalogue knows of this model, by id or alias.
    pub fn known(&self) -> Option<&'static KnownModel> {
        let id = self.as_str();
        CATALOG.iter().find(|m| m.id == id || m.alias == Some(id))
    }

    /// The catalogue of models this crate knows, newest first: every
    /// constant of [`Model`], with its facts.
    pub fn catalog() -> &'static [KnownModel] {
        CATALOG
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_newest_first_with_unique_ids() {
        let catalog = Model::catalog();
        for pair in catalog.windows(2) {
            assert!(pair[0].released >= pair[1].released, "{pair:?}");
        }
        let mut ids: Vec<&str> = catalog
            .iter()
            .flat_map(|m| std::iter::once(m.id).chain(m.alias))
            .collect();
        let all = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all, "an id twice");
    }

    #[test]
    fn constants_and_aliases_find_their_entry() {
        assert_eq!(
            Model::CLAUDE_OPUS_4_7.known().map(|m| m.display_name),
            Some("Claude Opus 4.7")
        );
        let opus = Model::CLAUDE_OPUS_4_5.known().unwrap();
        assert_eq!(opus.id, "claude-opus-4-5-20251101");
        assert!(opus.is_served());
        let sonnet = Model::new("claude-sonnet-4-5").known().unwrap();
        assert!(!sonnet.is_served(), "retired");
        assert!(Model::new("claude-next").known().is_none());
    }
}
