//! [`FileUpload`]: a file to upload, and its `multipart/form-data` encoding.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Bytes, BytesMut};
use claude_transport::{BoxError, RequestBody};
use futures_core::Stream;
use http_body::{Body as HttpBody, Frame};

use crate::core::error::{Error, InvalidRequestKind};

type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A file to upload with [`Files::upload`](crate::files::Files::upload):
/// its name, its media type and its content.
///
/// Content given as bytes (or read from a path) is sent from memory and
/// retried like any call; content given as a stream is sent as it is read,
/// once, and never retried (it cannot be read twice).
pub struct FileUpload {
    filename: String,
    media_type: String,
    content: Content,
}

enum Content {
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

    /// A file read from disk now, named after the path's last component,
    /// with a media type guessed from its extension (see
    /// [`guess_media_type`]; override with
    /// [`with_media_type`](Self::with_media_type)). The whole file is read
    /// into memory, which makes the upload retryable; for very large files
    /// prefer [`from_stream`](Self::from_stream).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let content = std::fs::read(path).map_err(|e| Error::InvalidRequest {
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

    /// The body and its `Content-Type` (with the boundary).
    pub(crate) fn encode(self) -> Result<(RequestBody, String), Error> {
        let media_type = self.media_type.trim();
        if media_type.is_empty() || media_type.bytes().any(|b| b.is_ascii_control()) {
            return Err(Error::invalid_request(
                InvalidRequestKind::Header,
                format!(
                    "invalid media type {:?} for the upload of {:?}",
                    self.media_type, self.filename
                ),
            ));
        }
        let mut boundary = new_boundary();
        if let Content::Bytes(bytes) = &self.content {
            // 128 random bits make a clash all but impossible; still check.
            while memchr::memmem::find(bytes, boundary.as_bytes()).is_some() {
                boundary = new_boundary();
            }
        }
        let head = Bytes::from(format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\n\
             Content-Type: {media_type}\r\n\r\n",
            escape_filename(&self.filename)
        ));
        let tail = Bytes::from(format!("\r\n--{boundary}--\r\n"));
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let body = match self.content {
            Content::Bytes(bytes) => {
                let mut all = BytesMut::with_capacity(head.len() + bytes.len() + tail.len());
                all.extend_from_slice(&head);
                all.extend_from_slice(&bytes);
                all.extend_from_slice(&tail);
                RequestBody::from(all.freeze())
            }
            Content::Stream(stream) => RequestBody::wrap(StreamedForm {
                head: Some(head),
                stream: Some(stream),
                tail: Some(tail),
            }),
        };
        Ok((body, content_type))
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

fn new_boundary() -> String {
    let random = || {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(0x5DEE_CE66_D1CE_4E5B);
        hasher.finish()
    };
    format!("claude-rs-{:016x}{:016x}", random(), random())
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

/// A streamed form: the part's head, the file's chunks as they come, the
/// closing boundary.
struct StreamedForm {
    head: Option<Bytes>,
    stream: Option<ByteStream>,
    tail: Option<Bytes>,
}

impl HttpBody for StreamedForm {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if let Some(head) = this.head.take() {
            return Poll::Ready(Some(Ok(Frame::data(head))));
        }
        while let Some(stream) = this.stream.as_mut() {
            match ready!(stream.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) if chunk.is_empty() => {}
                Some(Ok(chunk)) => return Poll::Ready(Some(Ok(Frame::data(chunk)))),
                Some(Err(error)) => {
                    this.stream = None;
                    this.tail = None;
                    return Poll::Ready(Some(Err(error)));
                }
                None => this.stream = None,
            }
        }
        Poll::Ready(this.tail.take().map(|tail| Ok(Frame::data(tail))))
    }

    fn is_end_stream(&self) -> bool {
        self.head.is_none() && self.stream.is_none() && self.tail.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn collect(body: RequestBody) -> Vec<u8> {
        let mut body = body;
        let mut out = Vec::new();
        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            if let Ok(data) = frame.expect("frame").into_data() {
                out.extend_from_slice(&data);
            }
        }
        out
    }

    fn boundary_of(content_type: &str) -> &str {
        content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("multipart content type")
    }

    #[tokio::test]
    async fn bytes_and_stream_encode_alike() {
        let (body, content_type) = FileUpload::from_bytes("a.txt", "text/plain", "hello")
            .encode()
            .unwrap();
        assert!(
            body.try_clone().is_some(),
            "in-memory uploads are retryable"
        );
        let boundary = boundary_of(&content_type).to_owned();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
             Content-Type: text/plain\r\n\r\nhello\r\n--{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8(collect(body).await).unwrap(), expected);

        let chunks = Chunks(vec![
            Bytes::from_static(b"hel"),
            Bytes::new(),
            Bytes::from_static(b"lo"),
        ]);
        let (body, content_type) = FileUpload::from_stream("a.txt", "text/plain", chunks)
            .encode()
            .unwrap();
        assert!(body.try_clone().is_none(), "streamed uploads are sent once");
        let boundary2 = boundary_of(&content_type).to_owned();
        assert_ne!(boundary, boundary2, "boundaries are random");
        let streamed = String::from_utf8(collect(body).await).unwrap();
        assert_eq!(streamed, expected.replace(&boundary, &boundary2));
    }

    #[test]
    fn filenames_cannot_break_the_header() {
        assert_eq!(escape_filename("a\"b\r\nc.pdf"), "a%22b%0D%0Ac.pdf");
        assert_eq!(escape_filename("résumé.pdf"), "résumé.pdf");
    }

    #[test]
    fn bad_media_types_are_refused() {
        let error = FileUpload::from_bytes("a", "text/plain\r\nX: y", "x")
            .encode()
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidRequest {
                    kind: InvalidRequestKind::Header,
                    ..
                }
            ),
            "{error}"
        );
        assert!(FileUpload::from_bytes("a", " ", "x").encode().is_err());
    }

    #[test]
    fn media_types_are_guessed_from_extensions() {
        assert_eq!(guess_media_type("Report.PDF"), "application/pdf");
        assert_eq!(guess_media_type("photo.jpeg"), "image/jpeg");
        assert_eq!(guess_media_type("noext"), "application/octet-stream");
    }

    #[test]
    fn missing_paths_are_reported_with_the_path() {
        let error = FileUpload::from_path("/nonexistent/dir/x.pdf").unwrap_err();
        assert!(
            error.to_string().contains("/nonexistent/dir/x.pdf"),
            "{error}"
        );
    }

    struct Chunks(Vec<Bytes>);

    impl Stream for Chunks {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let next = (!self.0.is_empty()).then(|| self.0.remove(0));
            Poll::Ready(next.map(Ok))
        }
    }
}
