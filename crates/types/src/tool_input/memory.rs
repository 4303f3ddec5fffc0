//! The memory tool's input.

use serde::{Deserialize, Serialize};

use super::ViewRange;

/// What the model asks of the memory tool (`memory_*`), tagged by
/// `command`. Paths are under `/memories`; the application must refuse any
/// path that escapes that directory (`..`, symlinks): the model's input is
/// not trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum MemoryInput {
    /// Show a memory file (with line numbers) or list a directory.
    View {
        /// Path of the file or directory, under `/memories`.
        path: String,
        /// Only these lines of a file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        view_range: Option<ViewRange>,
    },
    /// Create or overwrite a memory file.
    Create {
        /// Path of the file, under `/memories`.
        path: String,
        /// The whole content of the file.
        file_text: String,
    },
    /// Replace the one occurrence of `old_str` in the file with `new_str`.
    StrReplace {
        /// Path of the file, under `/memories`.
        path: String,
        /// The text to replace; must occur exactly once.
        old_str: String,
        /// The replacement.
        new_str: String,
    },
    /// Insert text after a line.
    Insert {
        /// Path of the file, under `/memories`.
        path: String,
        /// The line after which to insert (0 inserts at the top).
        insert_line: u64,
        /// The text to insert.
        insert_text: String,
    },
    /// Delete a file or directory.
    Delete {
        /// Path of the file or directory, under `/memories`.
        path: String,
    },
    /// Rename or move a file or directory.
    Rename {
        /// The current path, under `/memories`.
        old_path: String,
        /// The new path, under `/memories`.
        new_path: String,
    },
}
