//! The Files API (beta): uploaded files.

use crate::macros::object;

object! {
    /// An uploaded file (`type: "file"`).
    pub struct FileMetadata {
        required {
            /// The file id (`file_...`), used in `file` sources.
            id: String,
            /// `file`.
            kind: String = "type",
            /// The name it was uploaded with.
            filename: String,
            /// Its media type.
            mime_type: String,
            /// Its size.
            size_bytes: u64,
            /// When it was uploaded (RFC 3339).
            created_at: String,
        }
        optional {
            /// Whether it can be downloaded (files made by tools can).
            downloadable: bool,
            /// When it expires.
            expires_at: String,
            /// What the file belongs to (a Managed Agents session), when it
            /// is scoped.
            scope: FileScope,
        }
    }
}

object! {
    /// What a file belongs to (`scope`), e.g. `{"type": "session", "id": ...}`.
    pub struct FileScope {
        required {
            /// The kind of owner (`session`).
            kind: String = "type",
            /// The owner's id.
            id: String,
        }
        optional {}
    }
}

object! {
    /// The answer of deleting a file.
    pub struct DeletedFile {
        required {
            /// The deleted file's id.
            id: String,
        }
        optional {
            /// `file_deleted`.
            kind: String = "type",
        }
    }
}
