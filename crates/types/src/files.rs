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
        }
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
