//! Constructors and option setters of the server tools (run by the API), so
//! that a tool definition reads as what it does:
//! `WebSearchTool::new().with_max_uses(3).with_allowed_domains(["docs.rs"])`.
//!
//! Every tool starts at its family's default dated version;
//! `with_version` pins another one (`"web_search_20260209"`) without waiting
//! for a release of this crate.

use super::{CodeExecutionTool, ToolSearchTool, WebFetchTool, WebSearchTool};
use crate::citation::CitationsConfig;
use crate::macros::{object, tagged_union};

/// `new()` and `with_version` for a server tool.
macro_rules! versioned {
    ($($tool:ident),+) => {$(
        impl $tool {
            /// The tool at its family's default dated version.
            pub fn new() -> Self {
                Self::default()
            }

            /// Uses another dated version of the tool (its `type`).
            pub fn with_version(mut self, dated_type: impl Into<String>) -> Self {
                self.kind = dated_type.into();
                self
            }
        }
    )+};
}

versioned!(
    WebSearchTool,
    WebFetchTool,
    CodeExecutionTool,
    ToolSearchTool
);

/// Domain and usage limits shared by web search and web fetch.
macro_rules! domain_limits {
    ($($tool:ident),+) => {$(
        impl $tool {
            /// At most this many uses per request.
            pub fn with_max_uses(mut self, max_uses: u32) -> Self {
                self.max_uses = Some(max_uses);
                self
            }

            /// Only these domains.
            pub fn with_allowed_domains<S: Into<String>>(
                mut self,
                domains: impl IntoIterator<Item = S>,
            ) -> Self {
                self.allowed_domains = Some(domains.into_iter().map(Into::into).collect());
                self
            }

            /// Never these domains.
            pub fn with_blocked_domains<S: Into<String>>(
                mut self,
                domains: impl IntoIterator<Item = S>,
            ) -> Self {
                self.blocked_domains = Some(domains.into_iter().map(Into::into).collect());
                self
            }
        }
    )+};
}

domain_limits!(WebSearchTool, WebFetchTool);

impl WebSearchTool {
    /// Localises results to where the user is.
    pub fn with_user_location(mut self, location: UserLocation) -> Self {
        self.user_location = Some(location);
        self
    }
}

impl WebFetchTool {
    /// Lets the model cite the fetched pages.
    pub fn with_citations(mut self) -> Self {
        self.citations = Some(CitationsConfig::enabled());
        self
    }

    /// Truncates fetched content to this many tokens.
    pub fn with_max_content_tokens(mut self, max_content_tokens: u64) -> Self {
        self.max_content_tokens = Some(max_content_tokens);
        self
    }
}

impl ToolSearchTool {
    /// Tool search by BM25 over natural-language queries (the default).
    pub fn bm25() -> Self {
        Self::default()
    }

    /// Tool search by regular expressions over tool names and descriptions.
    pub fn regex() -> Self {
        Self::from_required(
            "tool_search_tool_regex_20251119".to_owned(),
            "tool_search_tool_regex".to_owned(),
        )
    }
}

object! {
    /// The user's approximate location, for web search.
    pub struct UserLocation {
        required {
            /// `approximate`.
            kind: String = "type",
        }
        optional {
            /// City.
            city: String,
            /// Region or state.
            region: String,
            /// ISO country code.
            country: String,
            /// IANA time zone.
            timezone: String,
        }
    }
}

impl UserLocation {
    /// An approximate location (the only kind the API knows); set the
    /// fields that are known.
    pub fn approximate() -> Self {
        Self::from_required("approximate".to_owned())
    }
}

object! {
    /// Where the URLs a web fetch may open can come from (`url_sources`):
    /// per origin of the URL, which sources count. An origin left `None`
    /// keeps the API's default.
    #[derive(Default)]
    pub struct WebFetchUrlSources {
        required {}
        optional {
            /// URLs in results of tools the application runs.
            client_tool_results: WebFetchUrlSource,
            /// URLs in results of server tools.
            server_tool_results: WebFetchUrlSource,
            /// URLs the user wrote (`all` or `none`).
            user_input: WebFetchUrlSource,
        }
    }
}

tagged_union! {
    /// Which sources of one origin count (`all`, `none`, `only`, `except`).
    pub enum WebFetchUrlSource {
        /// Every source.
        "all" => All(WebFetchUrlSourceAll),
        /// No source.
        "none" => None(WebFetchUrlSourceNone),
        /// Only the results of these tools.
        "only" => Only(WebFetchUrlSourceTools),
        /// The results of every tool but these.
        "except" => Except(WebFetchUrlSourceExcept),
    }
}

object! {
    /// The body of an `all` [`WebFetchUrlSource`]: nothing but its tag.
    #[derive(Default)]
    pub struct WebFetchUrlSourceAll {
        required {}
        optional {}
    }
}

object! {
    /// The body of a `none` [`WebFetchUrlSource`]: nothing but its tag.
    #[derive(Default)]
    pub struct WebFetchUrlSourceNone {
        required {}
        optional {}
    }
}

object! {
    /// The tools of an `only` [`WebFetchUrlSource`].
    pub struct WebFetchUrlSourceTools {
        required {
            /// The tools, by name.
            tools: Vec<WebFetchUrlSourceTool>,
        }
        optional {}
    }
}

object! {
    /// The tools of an `except` [`WebFetchUrlSource`].
    pub struct WebFetchUrlSourceExcept {
        required {
            /// The tools, by name.
            tools: Vec<WebFetchUrlSourceTool>,
        }
        optional {}
    }
}

tagged_union! {
    /// A tool of a [`WebFetchUrlSourceTools`].
    pub enum WebFetchUrlSourceTool {
        /// A tool by name (`tool_reference`).
        "tool_reference" => Reference(WebFetchUrlSourceToolName),
    }
}

object! {
    /// A tool named in a [`WebFetchUrlSourceTools`].
    pub struct WebFetchUrlSourceToolName {
        required {
            /// The tool's name.
            name: String,
        }
        optional {}
    }
}
