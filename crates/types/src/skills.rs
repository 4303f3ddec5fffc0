//! The Skills API: folders of instructions and code that Claude loads into
//! a code-execution container (`container.skills`), and their versions.

use crate::macros::{object, string_enum};

string_enum! {
    /// Where a Skill comes from.
    pub enum SkillSourceKind {
        /// Authored by the platform user; private to their workspace.
        Custom => "custom",
        /// Published by Anthropic; shared and read-only.
        Anthropic => "anthropic",
        /// A sample Skill published by Anthropic.
        AnthropicExample => "anthropic_example",
        /// Resolved from an installed plugin.
        Plugin => "plugin",
    }
}

object! {
    /// A Skill's origin as an object (`{"type": "custom"}`), today's form.
    pub struct SkillSourceObject {
        required {
            /// Where the Skill comes from.
            kind: SkillSourceKind = "type",
        }
        optional {}
    }
}

/// A Skill's origin (`source`): an object today, a bare string in answers
/// of the Skills beta; both decode and are written back as they came.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum SkillSource {
    /// `{"type": "custom", ...}`.
    Object(SkillSourceObject),
    /// `"custom"`.
    Name(SkillSourceKind),
}

impl SkillSource {
    /// Where the Skill comes from, whichever the form.
    pub fn kind(&self) -> &SkillSourceKind {
        match self {
            SkillSource::Object(object) => &object.kind,
            SkillSource::Name(kind) => kind,
        }
    }
}

object! {
    /// A Skill (`type: "skill"`): its identity and its newest version.
    ///
    /// ```
    /// use claude_rs_types::skills::{Skill, SkillSourceKind};
    ///
    /// let skill: Skill = serde_json::from_str(r#"{
    ///     "id": "skill_01AbC", "type": "skill", "display_name": "Report writer",
    ///     "latest_version_id": "skillver_01XyZ", "source": {"type": "custom"},
    ///     "created_at": "2026-11-02T10:00:00Z", "updated_at": "2026-11-03T09:30:00Z"
    /// }"#)?;
    /// assert_eq!(skill.source.kind(), &SkillSourceKind::Custom);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Skill {
        required {
            /// The Skill's id (`skill_...`), used in `container.skills`.
            id: String,
            /// `skill`.
            kind: String = "type",
            /// A one-line, human-readable label (not unique); taken from
            /// the `SKILL.md` front matter's `name` when not given.
            display_name: String,
            /// The id of the newest version: what `latest` resolves to.
            latest_version_id: String,
            /// Where the Skill comes from.
            source: SkillSource,
            /// When it was created (RFC 3339).
            created_at: String,
            /// When it was last updated (RFC 3339).
            updated_at: String,
        }
        optional {}
    }
}

object! {
    /// One version of a Skill (`type: "skill_version"`).
    pub struct SkillVersion {
        required {
            /// The version's id, which pins it in references.
            id: String,
            /// `skill_version`.
            kind: String = "type",
            /// The Skill it belongs to.
            skill_id: String,
            /// The Skill's kebab-case slug from the `SKILL.md` front matter
            /// (the top-level directory of its files).
            name: String,
            /// The description from `SKILL.md`.
            description: String,
            /// When it was created (RFC 3339).
            created_at: String,
        }
        optional {}
    }
}

object! {
    /// The answer of deleting a Skill (`type: "skill_deleted"`).
    pub struct DeletedSkill {
        required {
            /// The deleted Skill's id.
            id: String,
        }
        optional {
            /// `skill_deleted`.
            kind: String = "type",
        }
    }
}

object! {
    /// The answer of deleting a Skill version (`type: "skill_version_deleted"`).
    pub struct DeletedSkillVersion {
        required {
            /// The deleted version's id.
            id: String,
        }
        optional {
            /// `skill_version_deleted`.
            kind: String = "type",
        }
    }
}
