//! Citations: where a piece of generated text comes from.
//!
//! A response text block carries [`Citation`]s when citations were enabled on
//! a document or search result ([`CitationsConfig`]); while streaming they
//! arrive one by one in `citations_delta` events.

use crate::common::Extra;
use crate::macros::{object, tagged_union};

tagged_union! {
    /// One citation of a text block.
    pub enum Citation {
        /// A character range of a plain-text document.
        "char_location" => CharLocation(CharLocation),
        /// A page range of a PDF document.
        "page_location" => PageLocation(PageLocation),
        /// A range of blocks of a custom-content document.
        "content_block_location" => ContentBlockLocation(ContentBlockLocation),
        /// A web search result.
        "web_search_result_location" => WebSearchResultLocation(WebSearchResultLocation),
        /// A range of blocks of a `search_result` block.
        "search_result_location" => SearchResultLocation(SearchResultLocation),
    }
}

object! {
    /// A character range of a plain-text document (`char_location`).
    pub struct CharLocation {
        required {
            /// The cited text.
            cited_text: String,
            /// Index of the document among the request's documents.
            document_index: u32,
            /// First character of the range (0-based).
            start_char_index: u64,
            /// One past the last character of the range.
            end_char_index: u64,
        }
        optional {
            /// Title of the document, if it had one.
            document_title: String,
            /// The file the document came from, when it was a file reference.
            file_id: String,
        }
    }
}

object! {
    /// A page range of a PDF document (`page_location`).
    pub struct PageLocation {
        required {
            /// The cited text.
            cited_text: String,
            /// Index of the document among the request's documents.
            document_index: u32,
            /// First page of the range (1-based).
            start_page_number: u64,
            /// One past the last page of the range.
            end_page_number: u64,
        }
        optional {
            /// Title of the document, if it had one.
            document_title: String,
            /// The file the document came from, when it was a file reference.
            file_id: String,
        }
    }
}

object! {
    /// A range of content blocks of a custom-content document (`content_block_location`).
    pub struct ContentBlockLocation {
        required {
            /// The cited text.
            cited_text: String,
            /// Index of the document among the request's documents.
            document_index: u32,
            /// First block of the range (0-based).
            start_block_index: u64,
            /// One past the last block of the range.
            end_block_index: u64,
        }
        optional {
            /// Title of the document, if it had one.
            document_title: String,
            /// The file the document came from, when it was a file reference.
            file_id: String,
        }
    }
}

object! {
    /// A web search result (`web_search_result_location`).
    pub struct WebSearchResultLocation {
        required {
            /// The cited text.
            cited_text: String,
            /// Opaque reference to the result; send it back unchanged.
            encrypted_index: String,
            /// Address of the page.
            url: String,
        }
        optional {
            /// Title of the page.
            title: String,
        }
    }
}

object! {
    /// A range of blocks of a `search_result` block (`search_result_location`).
    pub struct SearchResultLocation {
        required {
            /// The cited text.
            cited_text: String,
            /// Index of the search result among the request's search results.
            search_result_index: u32,
            /// The search result's source.
            source: String,
            /// First block of the range (0-based).
            start_block_index: u64,
            /// One past the last block of the range.
            end_block_index: u64,
        }
        optional {
            /// The search result's title.
            title: String,
        }
    }
}

object! {
    /// Whether citations are enabled for a document or search result (`citations`).
    #[derive(Default)]
    pub struct CitationsConfig {
        required {}
        optional {
            /// `true` to let the model cite this source.
            enabled: bool,
        }
    }
}

impl CitationsConfig {
    /// Citations enabled.
    pub fn enabled() -> Self {
        Self {
            enabled: Some(true),
            extra: Extra::new(),
        }
    }
}
