//! Images, documents and search results given to the model.

use crate::citation::CitationsConfig;
use crate::common::{CacheControl, Extra};
use crate::content::text::TextBlock;
use crate::macros::{object, string_enum, tagged_union};

object! {
    /// An image (`image`).
    pub struct ImageBlock {
        required {
            /// Where the image's bytes come from.
            source: ImageSource,
        }
        optional {
            /// A prompt-cache breakpoint after this block.
            cache_control: CacheControl,
            /// What the API may do to the image before the model sees it.
            transformations: ImageTransformations,
        }
    }
}

object! {
    /// What the API may do to an image (`transformations`).
    #[derive(Default)]
    pub struct ImageTransformations {
        required {}
        optional {
            /// What to do with an image over the size limits.
            oversized_image: OversizedImage,
        }
    }
}

string_enum! {
    /// What to do with an oversized image.
    pub enum OversizedImage {
        /// Scale it down to fit.
        Downsize => "downsize",
        /// Fail the request.
        Error => "error",
    }
}

impl ImageBlock {
    /// An image block from a source.
    pub fn new(source: impl Into<ImageSource>) -> Self {
        Self {
            source: source.into(),
            cache_control: None,
            transformations: None,
            extra: Extra::new(),
        }
    }

    /// An image given inline as base64 data, e.g. `("image/png", data)`.
    pub fn base64(media_type: impl Into<String>, data: impl Into<String>) -> Self {
        Self::new(Base64Source::new(media_type, data))
    }

    /// An image fetched by the API from a URL.
    pub fn url(url: impl Into<String>) -> Self {
        Self::new(UrlSource::new(url))
    }

    /// An image uploaded with the Files API.
    pub fn file(file_id: impl Into<String>) -> Self {
        Self::new(FileSource::new(file_id))
    }

    /// Adds a prompt-cache breakpoint after this block.
    pub fn with_cache_control(mut self, cache_control: CacheControl) -> Self {
        self.cache_control = Some(cache_control);
        self
    }
}

tagged_union! {
    /// Where an image's bytes come from.
    pub enum ImageSource {
        /// Inline base64 data.
        "base64" => Base64(Base64Source),
        /// A URL the API fetches.
        "url" => Url(UrlSource),
        /// A file uploaded with the Files API.
        "file" => File(FileSource),
    }
}

object! {
    /// A document (`document`): a PDF, plain text, custom content blocks or a file.
    pub struct DocumentBlock {
        required {
            /// Where the document's content comes from.
            source: DocumentSource,
        }
        optional {
            /// The document's title, shown to the model and used in citations.
            title: String,
            /// Context about the document that is not cited from.
            context: String,
            /// Whether the model may cite this document.
            citations: CitationsConfig,
            /// A prompt-cache breakpoint after this block.
            cache_control: CacheControl,
        }
    }
}

impl DocumentBlock {
    /// A document block from a source.
    pub fn new(source: impl Into<DocumentSource>) -> Self {
        Self {
            source: source.into(),
            title: None,
            context: None,
            citations: None,
            cache_control: None,
            extra: Extra::new(),
        }
    }

    /// A PDF given inline as base64 data.
    pub fn pdf_base64(data: impl Into<String>) -> Self {
        Self::new(Base64Source::new("application/pdf", data))
    }

    /// A plain-text document.
    pub fn text(data: impl Into<String>) -> Self {
        Self::new(PlainTextSource::new(data))
    }

    /// A PDF fetched by the API from a URL.
    pub fn url(url: impl Into<String>) -> Self {
        Self::new(UrlSource::new(url))
    }

    /// A document uploaded with the Files API.
    pub fn file(file_id: impl Into<String>) -> Self {
        Self::new(FileSource::new(file_id))
    }

    /// Sets the title.
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Lets the model cite this document.
    pub fn with_citations(mut self) -> Self {
        self.citations = Some(CitationsConfig::enabled());
        self
    }

    /// Adds a prompt-cache breakpoint after this block.
    pub fn with_cache_control(mut self, cache_control: CacheControl) -> Self {
        self.cache_control = Some(cache_control);
        self
    }
}

tagged_union! {
    /// Where a document's content comes from.
    pub enum DocumentSource {
        /// Inline base64 data (a PDF).
        "base64" => Base64(Base64Source),
        /// Plain text.
        "text" => Text(PlainTextSource),
        /// Custom content: a string or text/image blocks.
        "content" => Content(ContentSource),
        /// A URL the API fetches (a PDF).
        "url" => Url(UrlSource),
        /// A file uploaded with the Files API.
        "file" => File(FileSource),
    }
}

object! {
    /// Inline base64 data with its media type (`base64`).
    pub struct Base64Source {
        required {
            /// The media type, e.g. `image/png` or `application/pdf`.
            media_type: String,
            /// The base64-encoded bytes.
            data: String,
        }
        optional {}
    }
}

impl Base64Source {
    /// A base64 source.
    pub fn new(media_type: impl Into<String>, data: impl Into<String>) -> Self {
        Self {
            media_type: media_type.into(),
            data: data.into(),
            extra: Extra::new(),
        }
    }
}

object! {
    /// Plain text (`text` source), media type `text/plain`.
    pub struct PlainTextSource {
        required {
            /// The media type; `text/plain`.
            media_type: String,
            /// The text.
            data: String,
        }
        optional {}
    }
}

impl PlainTextSource {
    /// A `text/plain` source.
    pub fn new(data: impl Into<String>) -> Self {
        Self {
            media_type: "text/plain".to_owned(),
            data: data.into(),
            extra: Extra::new(),
        }
    }
}

object! {
    /// Custom document content (`content` source): a string or an array of
    /// text and image blocks, each citable by block index.
    pub struct ContentSource {
        required {
            /// A string, or text and image blocks.
            content: super::MessageContent,
        }
        optional {}
    }
}

object! {
    /// A URL the API fetches (`url`).
    pub struct UrlSource {
        required {
            /// The address.
            url: String,
        }
        optional {}
    }
}

impl UrlSource {
    /// A URL source.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            extra: Extra::new(),
        }
    }
}

object! {
    /// A file uploaded with the Files API (`file`).
    pub struct FileSource {
        required {
            /// The file's id (`file_...`).
            file_id: String,
        }
        optional {}
    }
}

impl FileSource {
    /// A file source.
    pub fn new(file_id: impl Into<String>) -> Self {
        Self {
            file_id: file_id.into(),
            extra: Extra::new(),
        }
    }
}

object! {
    /// A search result the application found (`search_result`), citable like a document.
    pub struct SearchResultBlock {
        required {
            /// Where the result comes from (a URL or any identifier).
            source: String,
            /// The result's title.
            title: String,
            /// The result's text.
            content: Vec<TextBlock>,
        }
        optional {
            /// Whether the model may cite this result.
            citations: CitationsConfig,
            /// A prompt-cache breakpoint after this block.
            cache_control: CacheControl,
        }
    }
}

impl SearchResultBlock {
    /// A search result from its source, title and text.
    pub fn new(
        source: impl Into<String>,
        title: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        Self {
            source: source.into(),
            title: title.into(),
            content: vec![TextBlock::new(text)],
            citations: None,
            cache_control: None,
            extra: Extra::new(),
        }
    }
}
