//! [`Form`]: a `multipart/form-data` body of text fields and files, for the
//! upload endpoints (Files, Skills, the Admin API's plugin uploads) and
//! [`ApiCall::multipart`](crate::ApiCall::multipart).
//!
//! Parts held in memory make one `Bytes` body, replayed on retries; a file
//! given as a stream makes the body a stream, sent once.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Bytes, BytesMut};
use claude_rs_transport::{BoxError, RequestBody};
use http_body::{Body as HttpBody, Frame};

use crate::core::error::{Error, InvalidRequestKind};
use crate::core::upload::{ByteStream, Content, FileUpload, escape_filename};

/// A piece of the encoded body.
enum Segment {
    Bytes(Bytes),
    Stream(ByteStream),
}

/// A `multipart/form-data` body being built: text fields and files, in
/// the order added, sent with [`ApiCall::multipart`](crate::ApiCall::multipart).
///
/// Parts held in memory make one body that retries replay; a file given as
/// a stream ([`FileUpload::from_stream`]) makes the body a stream, sent
/// once. A file whose media type is not a valid header value fails the
/// call when it is sent, before anything goes out.
///
/// ```
/// use claude_rs_client::Form;
/// use claude_rs_client::files::FileUpload;
///
/// let form = Form::new()
///     .text("release_notes", "First version")
///     .file("files[]", FileUpload::from_bytes("plugin.zip", "application/zip", vec![0u8; 4]));
/// assert_eq!(form.len(), 2);
/// ```
#[derive(Default)]
pub struct Form {
    parts: Vec<(String, Segment)>,
    /// The first part found wrong, reported when the form is encoded.
    error: Option<Error>,
}

impl fmt::Debug for Form {
    // Values are not printed: they are the user's data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Form")
            .field("parts", &self.parts.len())
            .field("error", &self.error)
            .finish()
    }
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many parts the form has.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether the form has no part.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Adds a text field `name` (names are sent as given: an array field
    /// is `name[]`, once per value).
    pub fn text(mut self, name: &str, value: &str) -> Self {
        let head = format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n");
        let value = Bytes::copy_from_slice(value.as_bytes());
        self.parts.push((head, Segment::Bytes(value)));
        self
    }

    /// Adds a file part `name`, with its file name and media type; a
    /// media type that is not a valid header value fails the call when it
    /// is sent.
    pub fn file(mut self, name: &str, file: FileUpload) -> Self {
        let (filename, media_type, content) = file.into_parts();
        let media_type = media_type.trim();
        if media_type.is_empty() || media_type.bytes().any(|b| b.is_ascii_control()) {
            self.error.get_or_insert(Error::invalid_request(
                InvalidRequestKind::Header,
                format!("invalid media type {media_type:?} for the upload of {filename:?}"),
            ));
            return self;
        }
        let head = format!(
            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\n\
             Content-Type: {media_type}\r\n\r\n",
            escape_filename(&filename)
        );
        let segment = match content {
            Content::Bytes(bytes) => Segment::Bytes(bytes),
            Content::Stream(stream) => Segment::Stream(stream),
        };
        self.parts.push((head, segment));
        self
    }

    /// The body and its `Content-Type` (with the boundary), or the first
    /// part found wrong.
    pub(crate) fn encode(self) -> Result<(RequestBody, String), Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let mut boundary = new_boundary();
        // 128 random bits make a clash all but impossible; still check.
        while self.parts.iter().any(|(_, segment)| match segment {
            Segment::Bytes(bytes) => memchr::memmem::find(bytes, boundary.as_bytes()).is_some(),
            Segment::Stream(_) => false,
        }) {
            boundary = new_boundary();
        }
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let mut segments = Vec::new();
        let mut pending = BytesMut::new();
        for (head, segment) in self.parts {
            pending.extend_from_slice(format!("--{boundary}\r\n{head}").as_bytes());
            match segment {
                Segment::Bytes(bytes) => pending.extend_from_slice(&bytes),
                Segment::Stream(stream) => {
                    segments.push(Segment::Bytes(pending.split().freeze()));
                    segments.push(Segment::Stream(stream));
                }
            }
            pending.extend_from_slice(b"\r\n");
        }
        pending.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        if segments.is_empty() {
            return Ok((RequestBody::from(pending.freeze()), content_type));
        }
        segments.push(Segment::Bytes(pending.freeze()));
        segments.reverse();
        Ok((RequestBody::wrap(StreamedForm { segments }), content_type))
    }
}

fn new_boundary() -> String {
    let random = || {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(0x5DEE_CE66_D1CE_4E5B);
        hasher.finish()
    };
    format!("claude-rs-{:016x}{:016x}", random(), random())
}

/// A form with streamed files: its segments in reverse order, popped as
/// they are sent.
struct StreamedForm {
    segments: Vec<Segment>,
}

impl HttpBody for StreamedForm {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        loop {
            match this.segments.last_mut() {
                None => return Poll::Ready(None),
                Some(Segment::Bytes(_)) => {
                    let Some(Segment::Bytes(bytes)) = this.segments.pop() else {
                        continue;
                    };
                    if !bytes.is_empty() {
                        return Poll::Ready(Some(Ok(Frame::data(bytes))));
                    }
                }
                Some(Segment::Stream(stream)) => match ready!(stream.as_mut().poll_next(cx)) {
                    Some(Ok(chunk)) if chunk.is_empty() => {}
                    Some(Ok(chunk)) => return Poll::Ready(Some(Ok(Frame::data(chunk)))),
                    Some(Err(error)) => {
                        this.segments.clear();
                        return Poll::Ready(Some(Err(error)));
                    }
                    None => {
                        this.segments.pop();
                    }
                },
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.segments.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use futures_core::Stream;

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

    struct Chunks(Vec<Bytes>);

    impl Stream for Chunks {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let next = (!self.0.is_empty()).then(|| self.0.remove(0));
            Poll::Ready(next.map(Ok))
        }
    }

    #[tokio::test]
    async fn bytes_and_stream_encode_alike() {
        let upload = FileUpload::from_bytes("a.txt", "text/plain", "hello");
        let (body, content_type) = Form::new().file("file", upload).encode().unwrap();
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
        let upload = FileUpload::from_stream("a.txt", "text/plain", chunks);
        let (body, content_type) = Form::new().file("file", upload).encode().unwrap();
        assert!(body.try_clone().is_none(), "streamed uploads are sent once");
        let boundary2 = boundary_of(&content_type).to_owned();
        assert_ne!(boundary, boundary2, "boundaries are random");
        let streamed = String::from_utf8(collect(body).await).unwrap();
        assert_eq!(streamed, expected.replace(&boundary, &boundary2));
    }

    #[tokio::test]
    async fn fields_and_several_files_keep_their_order() {
        let chunks = Chunks(vec![Bytes::from_static(b"# Skill")]);
        let form = Form::new()
            .text("display_name", "Report writer")
            .file(
                "files[]",
                FileUpload::from_stream("writer/SKILL.md", "text/markdown", chunks),
            )
            .file(
                "files[]",
                FileUpload::from_bytes("writer/lib.py", "text/x-python", "x = 1"),
            );
        let (body, content_type) = form.encode().unwrap();
        let b = boundary_of(&content_type).to_owned();
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"display_name\"\r\n\r\nReport writer\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"writer/SKILL.md\"\r\n\
             Content-Type: text/markdown\r\n\r\n# Skill\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"writer/lib.py\"\r\n\
             Content-Type: text/x-python\r\n\r\nx = 1\r\n--{b}--\r\n"
        );
        assert_eq!(String::from_utf8(collect(body).await).unwrap(), expected);
    }

    #[test]
    fn bad_media_types_are_refused() {
        let Err(error) = Form::new()
            .file(
                "file",
                FileUpload::from_bytes("a", "text/plain\r\nX: y", "x"),
            )
            .encode()
        else {
            panic!("a bad media type was accepted");
        };
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
        let blank = Form::new().file("file", FileUpload::from_bytes("a", " ", "x"));
        assert!(blank.encode().is_err());
    }
}
