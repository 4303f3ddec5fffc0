//! Constructors and option setters of the server tools (run by the API), so
//! that a tool definition reads as what it does:
//! `WebSearchTool::new().with_max_uses(3).with_allowed_domains(["docs.rs"])`.
//!
//! Every tool starts at its family's default dated version;
//! `with_version` pins another one (`"web_search_20260209"`) without waiting
//! for a release of this crate.

use super::{CodeExecutionTool, ToolSearchTool, WebFetchTool, WebSearchTool};
use crate::citation::CitationsConfig;
use crate::macros::object;

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
    #[derive(Default)]
    pub struct UserLocation {
        required {}
        optional {
            /// `approximate`.
            kind: String = "type",
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
        Self {
            kind: Some("approximate".to_owned()),
            ..Self::default()
        }
    }
}
