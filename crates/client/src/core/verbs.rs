//! The generic verbs: a call to any path of the API.

use http::Method;

use crate::core::api_call::ApiCall;
use crate::core::client::Client;

impl Client {
    /// A call of `method` to `path`, a path of the API (`/v1/agents`), with
    /// `{name}` placeholders for its parameters
    /// (`/v1/agents/{agent_id}`, filled with [`ApiCall::path_param`]).
    /// The path is checked when the call is built: it must start with `/`
    /// and hold no query (use [`ApiCall::query`]), no `.` or `..` segment
    /// and no character that cannot stand in a URL as it is.
    ///
    /// Every handler of this crate is built on these verbs, so a call made
    /// here goes through the same core: credentials, API version, betas,
    /// retries, timeouts and the backend.
    ///
    /// ```
    /// use claude_rs_client::Client;
    /// use claude_rs_client::http::Method;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), claude_rs_client::Error> {
    /// # let server = claude_rs_mock::MockServer::start().await;
    /// # let client = Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
    /// let count: serde_json::Value = client
    ///     .request(Method::POST, "/v1/messages/count_tokens")
    ///     .json(&serde_json::json!({
    ///         "model": "claude-sonnet-5",
    ///         "messages": [{"role": "user", "content": "Hello"}],
    ///     }))
    ///     .await?;
    /// assert!(count["input_tokens"].as_u64().unwrap_or_default() > 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn request(&self, method: Method, path: &str) -> ApiCall<'_> {
        ApiCall::new(self, method, path)
    }

    /// A `GET` of `path`; see [`request`](Self::request) and [`ApiCall`].
    pub fn get(&self, path: &str) -> ApiCall<'_> {
        self.request(Method::GET, path)
    }

    /// A `POST` to `path`; see [`request`](Self::request) and [`ApiCall`].
    pub fn post(&self, path: &str) -> ApiCall<'_> {
        self.request(Method::POST, path)
    }

    /// A `PUT` to `path`; see [`request`](Self::request) and [`ApiCall`].
    pub fn put(&self, path: &str) -> ApiCall<'_> {
        self.request(Method::PUT, path)
    }

    /// A `PATCH` of `path`; see [`request`](Self::request) and [`ApiCall`].
    pub fn patch(&self, path: &str) -> ApiCall<'_> {
        self.request(Method::PATCH, path)
    }

    /// A `DELETE` of `path`; see [`request`](Self::request) and [`ApiCall`].
    pub fn delete(&self, path: &str) -> ApiCall<'_> {
        self.request(Method::DELETE, path)
    }
}
