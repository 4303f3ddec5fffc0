//! Per-request overrides of the client's settings.

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};

/// Settings for one call that override the client's defaults.
///
/// Every resource call has builder methods that fill this in
/// (`.timeout(..)`, `.max_retries(..)`, `.beta(..)`, `.header(..)`), or
/// takes a whole value with `.options(..)`.
///
/// ```
/// use std::time::Duration;
/// use claude_rs_client::RequestOptions;
/// use claude_rs_client::http::{HeaderName, HeaderValue};
/// # use claude_rs_types::request::{CreateMessageRequest, MessageParam};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::start().await;
/// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url())
/// #     .max_retries(0).beta("files-api-2025-04-14").build()?;
/// # let request = CreateMessageRequest::new("claude-sonnet-5", 64, vec![MessageParam::user("Hi")]);
/// // The first attempt gets a 529; the client makes no retries, this call one.
/// server.fail_next(claude_rs_mock::Fault::overloaded().retry_after_ms(10));
/// let reply = client
///     .messages()
///     .create(request)
///     .timeout(Duration::from_secs(30))
///     .max_retries(1)
///     .beta("context-management-2025-06-27")
///     .header(HeaderName::from_static("x-trace-id"), HeaderValue::from_static("t-42"))
///     .await?;
/// let sent = server.requests();
/// assert_eq!(sent.len(), 2);
/// assert_eq!(sent[1].header("anthropic-beta"), Some("files-api-2025-04-14,context-management-2025-06-27"));
/// assert_eq!(sent[1].header("x-trace-id"), Some("t-42"));
///
/// // The same as a value, for many calls.
/// let options = RequestOptions::default().workspace_id(HeaderValue::from_static("wrkspc_01"));
/// client.models().list().options(options.clone()).await?;
/// assert_eq!(server.last_request().unwrap().header("anthropic-workspace-id"), Some("wrkspc_01"));
/// # let _ = reply;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Per-attempt deadline; also switches off the long-request guard of
    /// non-streaming `create`, as in the official SDKs.
    pub timeout: Option<Duration>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// `anthropic-beta` values added to the client's.
    pub betas: Vec<String>,
    /// Extra headers; they replace the client's headers of the same name.
    pub headers: HeaderMap,
}

impl RequestOptions {
    /// `anthropic-user-profile-id`: the user profile a call acts for.
    pub const USER_PROFILE_ID: HeaderName = HeaderName::from_static("anthropic-user-profile-id");

    /// `anthropic-workspace-id`: the workspace a call is made in.
    pub const WORKSPACE_ID: HeaderName = HeaderName::from_static("anthropic-workspace-id");

    /// Sets the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the number of retries.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Adds an `anthropic-beta` value.
    pub fn beta(mut self, beta: impl Into<String>) -> Self {
        self.betas.push(beta.into());
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Sends the call for a user profile ([`Self::USER_PROFILE_ID`]); with
    /// `billing_policy.bill_to: "user_profile"` it is billed to it.
    pub fn user_profile_id(self, id: HeaderValue) -> Self {
        self.header(Self::USER_PROFILE_ID, id)
    }

    /// Sends the call in a workspace ([`Self::WORKSPACE_ID`]).
    pub fn workspace_id(self, id: HeaderValue) -> Self {
        self.header(Self::WORKSPACE_ID, id)
    }
}

/// The retry and timeout settings of one logical call, read by the retry
/// loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AttemptPolicy {
    /// Deadline of each attempt (until the response headers arrive).
    pub(crate) timeout: Duration,
    /// Retries after the first attempt.
    pub(crate) max_retries: u32,
}

/// Generates the builder methods that fill a call's [`RequestOptions`].
macro_rules! request_option_methods {
    () => {
        /// Overrides the per-attempt timeout for this call. On a streamed
        /// answer it also bounds the silence between chunks (in place of
        /// the stream idle timeout), never the stream's whole length.
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options.timeout = Some(timeout);
            self
        }

        /// Overrides the number of retries for this call.
        pub fn max_retries(mut self, max_retries: u32) -> Self {
            self.options.max_retries = Some(max_retries);
            self
        }

        /// Adds an `anthropic-beta` value for this call, merged with the client's.
        pub fn beta(mut self, beta: impl Into<String>) -> Self {
            self.options.betas.push(beta.into());
            self
        }

        /// Adds a header for this call.
        pub fn header(mut self, name: http::HeaderName, value: http::HeaderValue) -> Self {
            self.options.headers.insert(name, value);
            self
        }

        /// Sends this call for a user profile (`anthropic-user-profile-id`).
        pub fn user_profile_id(mut self, id: http::HeaderValue) -> Self {
            self.options
                .headers
                .insert($crate::RequestOptions::USER_PROFILE_ID, id);
            self
        }

        /// Sends this call in a workspace (`anthropic-workspace-id`).
        pub fn workspace_id(mut self, id: http::HeaderValue) -> Self {
            self.options
                .headers
                .insert($crate::RequestOptions::WORKSPACE_ID, id);
            self
        }

        /// Replaces this call's options.
        pub fn options(mut self, options: $crate::RequestOptions) -> Self {
            self.options = options;
            self
        }
    };
}

pub(crate) use request_option_methods;
