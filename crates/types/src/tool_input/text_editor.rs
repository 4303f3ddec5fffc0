//! The text editor tool's input.

use serde::{Deserialize, Serialize};

/// Lines `[start, end]` of a file, 1-based and inclusive; an `end` of `-1`
/// means to the end of the file.
pub type ViewRange = [i64; 2];

/// What the model asks of the text editor tool (`text_editor_*`, named
/// `str_replace_based_edit_tool`), tagged by `command`.
///
/// `undo_edit` exists only in the older tool versions (up to
/// `text_editor_20250124`); later versions never send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum TextEditorInput {
    /// Show a file (with line numbers) or list a directory.
    View {
        /// Absolute path of the file or directory.
        path: String,
        /// Only these lines of a file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        view_range: Option<ViewRange>,
    },
    /// Create a file, or overwrite an existing one.
    Create {
        /// Absolute path of the file.
        path: String,
        /// The whole content of the file.
        file_text: String,
    },
    /// Replace the one occurrence of `old_str` in the file with `new_str`.
    StrReplace {
        /// Absolute path of the file.
        path: String,
        /// The text to replace; must occur exactly once.
        old_str: String,
        /// The replacement; absent means delete `old_str`.
        #[serde(default)]
        new_str: String,
    },
    /// Insert text after a line.
    Insert {
        /// Absolute path of the file.
        path: String,
        /// The line after which to insert (0 inserts at the top).
        insert_line: u64,
        /// The text to insert (older tool versions call it `new_str`).
        #[serde(alias = "new_str")]
        insert_text: String,
    },
    /// Revert the last edit of the file (older tool versions only).
    UndoEdit {
        /// Absolute path of the file.
        path: String,
    },
}

impl TextEditorInput {
    /// The path the command acts on.
    pub fn path(&self) -> &str {
        match self {
            Self::View { path, .. }
            | Self::Create { path, .. }
            | Self::StrReplace { path, .. }
            | Self::Insert { path, .. }
            | Self::UndoEdit { path } => path,
        }
    }
}
