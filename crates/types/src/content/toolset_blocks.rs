//! Blocks of the advisor and the toolsets: the advisor's answer
//! (`advisor_tool_result`), an MCP server's tool listing
//! (`mcp_tool_listing`), a tool named by reference (`tool_reference`) and a
//! browser toolset's state after a call (`browser_state`, inside a
//! `tool_result`).

use crate::common::CacheControl;
use crate::content::server_results::ServerToolError;
use crate::macros::{object, tagged_union};
use crate::tool::McpToolDefinition;

object! {
    /// The advisor's answer to a `server_tool_use` of the advisor tool
    /// (`advisor_tool_result`).
    pub struct AdvisorToolResultBlock {
        required {
            /// The id of the advisor call.
            tool_use_id: String,
            /// The advice, redacted advice, or an error.
            content: AdvisorToolResultContent,
        }
        optional {
            /// A prompt-cache breakpoint after this block (requests only).
            cache_control: CacheControl,
        }
    }
}

tagged_union! {
    /// The content of an [`AdvisorToolResultBlock`].
    pub enum AdvisorToolResultContent {
        /// The advice as text.
        "advisor_result" => Result(AdvisorResult),
        /// The advice, encrypted: send it back unchanged.
        "advisor_redacted_result" => RedactedResult(AdvisorRedactedResult),
        /// The advisor could not answer.
        "advisor_tool_result_error" => Error(ServerToolError),
    }
}

object! {
    /// Advice as text (`advisor_result`).
    pub struct AdvisorResult {
        required {
            /// The advice.
            text: String,
        }
        optional {
            /// Why the advisor stopped.
            stop_reason: String,
        }
    }
}

object! {
    /// Encrypted advice (`advisor_redacted_result`).
    pub struct AdvisorRedactedResult {
        required {
            /// The advice, opaque.
            encrypted_content: String,
        }
        optional {
            /// Why the advisor stopped.
            stop_reason: String,
        }
    }
}

object! {
    /// The tools an MCP server offers (`mcp_tool_listing`).
    pub struct McpToolListingBlock {
        required {
            /// The server's name.
            mcp_server_name: String,
            /// Its tools.
            tools: Vec<McpToolDefinition>,
        }
        optional {
            /// A prompt-cache breakpoint after this block (requests only).
            cache_control: CacheControl,
        }
    }
}

object! {
    /// A tool named by reference (`tool_reference`), e.g. in a tool search
    /// result or a `tool_result`.
    pub struct ToolReferenceBlock {
        required {
            /// The tool's name.
            tool_name: String,
        }
        optional {
            /// A prompt-cache breakpoint after this block.
            cache_control: CacheControl,
        }
    }
}

object! {
    /// A browser's state after a browser toolset call (`browser_state`, at
    /// most one per `tool_result`): every open tab, and what the call changed.
    pub struct BrowserStateBlock {
        required {
            /// All open tabs (not a delta); exactly one is active when any is open.
            tabs: Vec<BrowserTab>,
        }
        optional {
            /// Tabs opened and downloads started, finished or failed by the call.
            state_changes: Vec<BrowserStateChange>,
            /// A prompt-cache breakpoint after this block.
            cache_control: CacheControl,
        }
    }
}

object! {
    /// One open tab of a [`BrowserStateBlock`].
    pub struct BrowserTab {
        required {
            /// The tab's id.
            tab_id: String,
            /// Its title.
            title: String,
            /// Its URL.
            url: String,
        }
        optional {
            /// Whether it is the active tab.
            active: bool,
        }
    }
}

tagged_union! {
    /// A change a browser call made.
    pub enum BrowserStateChange {
        /// A tab was opened.
        "tab_opened" => TabOpened(TabOpened),
        /// A download started.
        "download_started" => DownloadStarted(DownloadStarted),
        /// A download finished.
        "download_completed" => DownloadCompleted(DownloadCompleted),
        /// A download failed.
        "download_failed" => DownloadFailed(DownloadFailed),
    }
}

object! {
    /// `tab_opened`.
    pub struct TabOpened {
        required {
            /// The new tab's id.
            tab_id: String,
        }
        optional {}
    }
}

object! {
    /// `download_started`.
    pub struct DownloadStarted {
        required {
            /// The download's id.
            download_id: String,
            /// What is downloaded.
            url: String,
        }
        optional {}
    }
}

object! {
    /// `download_completed`.
    pub struct DownloadCompleted {
        required {
            /// The download's id.
            download_id: String,
            /// What was downloaded.
            url: String,
        }
        optional {
            /// Where the file is.
            path: String,
            /// Its size.
            size_bytes: u64,
        }
    }
}

object! {
    /// `download_failed`.
    pub struct DownloadFailed {
        required {
            /// The download's id.
            download_id: String,
            /// What was being downloaded.
            url: String,
        }
        optional {
            /// Why it failed.
            error: String,
        }
    }
}
