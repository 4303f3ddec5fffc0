//! [`FileUpload`]: a file to upload (to the Files or Skills API): its name,
//! media type and content.

use std::fmt;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use claude_rs_transport::BoxError;
use futures_core::Stream;

use crate::core::error::{Error, InvalidRequestKind};

pub(crate) type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A file to upload with [`Files::upload`](crate::files::Files::upload) or
/// as one file of a Skill: its name, its media type and its content.
///
/// Content given as bytes (or read from a path) is sent from memory and
/// retried like any call; content given as a stream is sent as it is read,
/// once, and never retried (it cannot be read twice).
pub struct FileUpload {
    filename: String,
    media_type: String,
    content: Content,
}

pub(crate) enum Content {
    Bytes(Bytes),
    Stream(ByteStream),
}

impl fmt::Debug for FileUpload {
    // The content is not printed: it is the user's data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("FileUpload");
        s.field("filename", &self.filename)
            .field("media_type", &self.media_type);
        match &self.content {
            Content::Bytes(bytes) => s.field("len", &bytes.len()),
            Content::Stream(_) => s.field("streaming", &true),
        };
        s.finish()
    }
}

impl FileUpload {
    /// A file from bytes in memory, e.g. `("report.pdf", "application/pdf", data)`.
    pub fn from_bytes(
        filename: impl Into<String>,
        media_type: impl Into<String>,
        content: impl Into<Bytes>,
    ) -> Self {
        Self {
            filename: filename.into(),
            media_type: media_type.into(),
            content: Content::Bytes(content.into()),
        }
    }

    /// A file read from disk (without blocking the runtime), named after
    /// the path's last component, with a media type guessed from its
    /// extension (see [`guess_media_type`]; override with
    /// [`with_media_type`](Self::with_media_type)). The whole file is read
    /// into memory, which makes the upload retryable; for very large files
    /// prefer [`from_stream`](Self::from_stream).
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let content = tokio::fs::read(path)
            .await
            .map_err(|e| Error::InvalidRequest {
                kind: InvalidRequestKind::Body,
                message: format!("cannot read the file {}", path.display()),
                source: Some(Box::new(e)),
            })?;
        let filename = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        let media_type = guess_media_type(&filename).to_owned();
        Ok(Self::from_bytes(filename, media_type, content))
    }

    /// A file whose content is a stream of chunks, sent as it is read.
    /// The stream's errors abort the upload.
    pub fn from_stream<S, E>(
        filename: impl Into<String>,
        media_type: impl Into<String>,
        stream: S,
    ) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Self {
            filename: filename.into(),
            media_type: media_type.into(),
            content: Content::Stream(Box::pin(ErrInto { inner: stream })),
        }
    }

    /// Replaces the media type.
    pub fn with_media_type(mut self, media_type: impl Into<String>) -> Self {
        self.media_type = media_type.into();
        self
    }

    /// Replaces the file name.
    pub fn with_filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = filename.into();
        self
    }

    /// The file name sent.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// The media type sent.
    pub fn media_type(&self) -> &str {
        &self.media_type
    }

    /// The parts of the upload, for [`Form`](crate::core::multipart::Form).
    pub(crate) fn into_parts(self) -> (String, String, Content) {
        (self.filename, self.media_type, self.content)
    }
}

/// A media type from a file name's extension, for the types the API reads
/// (PDF, text, images) and a few common ones; `application/octet-stream`
/// otherwise.
pub fn guess_media_type(filename: &str) -> &'static str {
    let extension = filename
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "md" => "text/markdown",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "zip" => "application/zip",
        "py" => "text/x-python",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

/// Escapes a file name for a quoted `filename` parameter the way browsers
/// do (WHATWG HTML form encoding): `"` and line breaks, which would end the
/// parameter or the header, become `%22`, `%0D`, `%0A`.
pub(crate) fn escape_filename(filename: &str) -> String {
    let mut out = String::with_capacity(filename.len());
    for c in filename.chars() {
        match c {
            '"' => out.push_str("%22"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

pin_project_lite::pin_project! {
    /// Maps a stream's error type into [`BoxError`].
    struct ErrInto<S> {
        #[pin]
        inner: S,
    }
}

impl<S, E> Stream for ErrInto<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.project()
            .inner
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map_err(Into::into)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_cannot_break_the_header() {
        assert_eq!(escape_filename("a\"b\r\nc.pdf"), "a%22b%0D%0Ac.pdf");
        assert_eq!(escape_filename("résumé.pdf"), "résumé.pdf");
    }

    #[test]
    fn media_types_are_guessed_from_extensions() {
        assert_eq!(guess_media_type("Report.PDF"), "application/pdf");
        assert_eq!(guess_media_type("photo.jpeg"), "image/jpeg");
        assert_eq!(guess_media_type("skill.zip"), "application/zip");
        assert_eq!(guess_media_type("noext"), "application/octet-stream");
    }

    #[tokio::test]
    async fn missing_paths_are_reported_with_the_path() {
        let error = FileUpload::from_path("/nonexistent/dir/x.pdf")
            .await
            .unwrap_err();
        assert!(
            error.to_string().contains("/nonexistent/dir/x.pdf"),
            "{error}"
        );
    }
}
