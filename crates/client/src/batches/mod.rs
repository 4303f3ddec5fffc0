//! The Message Batches API: many Messages requests processed
//! asynchronously (within 24 hours, at half the price).
//!
//! ```
//! use claude_rs_types::batch::{BatchRequest, BatchResult};
//! use claude_rs_types::request::{CreateMessageRequest, MessageParam};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), claude_rs_client::Error> {
//! # let server = claude_rs_mock::MockServer::start().await;
//! # server.enqueue(claude_rs_mock::MockResponse::text("Hello! How can I help?"));
//! # server.enqueue(claude_rs_mock::MockResponse::text("Bonjour ! Comment puis-je vous aider ?"));
//! # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
//! let ask = |text: &str| {
//!     CreateMessageRequest::new("claude-sonnet-5", 256, vec![MessageParam::user(text)])
//! };
//! let batch = client
//!     .batches()
//!     .create(vec![
//!         BatchRequest::new("first", ask("Hello")),
//!         BatchRequest::new("second", ask("Bonjour")),
//!     ])
//!     .await?;
//! let ended = client.batches().wait(&batch.id).await?;
//! assert!(ended.is_ended());
//!
//! assert_eq!(ended.request_counts.succeeded, 2);
//!
//! let mut answers = Vec::new();
//! let mut results = client.batches().results(&batch.id).await?;
//! while let Some(line) = results.next().await {
//!     let line = line?;
//!     if let BatchResult::Succeeded(ok) = &line.result {
//!         answers.push(format!("{}: {}", line.custom_id, ok.message.text()));
//!     }
//! }
//! assert_eq!(answers, [
//!     "first: Hello! How can I help?",
//!     "second: Bonjour ! Comment puis-je vous aider ?",
//! ]);
//! # Ok(())
//! # }
//! ```

mod lines;
mod poll;
mod results;

use claude_rs_types::batch::{BatchRequest, CreateBatchRequest, DeletedMessageBatch, MessageBatch};
use http::Method;

use crate::core::api_call::ApiCall;
use crate::core::client::Client;
use crate::core::list::List;

pub use poll::{DEFAULT_POLL_INTERVAL, WaitBatch};
pub use results::{BatchResults, DEFAULT_MAX_LINE, GetBatchResults};

const BATCHES: &str = "/v1/messages/batches";
/// One batch's path.
const BATCH: &str = "/v1/messages/batches/{message_batch_id}";

/// The Message Batches API, from [`Client::batches`].
///
/// These endpoints are generally available: no `anthropic-beta` header is
/// sent for them (add one per call with `.beta(..)` if a feature used by the
/// batched requests needs it).
///
/// A batch that is no longer needed is canceled, then deleted (see the
/// [module docs](self) for a whole run):
///
/// ```
/// use claude_rs_types::batch::{BatchRequest, BatchResult, ProcessingStatus};
/// use claude_rs_types::request::{CreateMessageRequest, MessageParam};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), claude_rs_client::Error> {
/// # let server = claude_rs_mock::MockServer::builder()
/// #     .batch_completion(claude_rs_mock::BatchCompletion::Manual).start().await;
/// # let client = claude_rs_client::Client::builder().api_key("sk-ant-...").base_url(server.base_url()).build()?;
/// let request = CreateMessageRequest::new("claude-haiku-4-5", 64, vec![MessageParam::user("Hi")]);
/// let batch = client.batches().create(vec![BatchRequest::new("only", request)]).await?;
/// assert_eq!(batch.processing_status, ProcessingStatus::InProgress);
///
/// let canceling = client.batches().cancel(&batch.id).await?;
/// assert_eq!(canceling.processing_status, ProcessingStatus::Canceling);
/// let ended = client.batches().retrieve(&batch.id).await?;
/// assert_eq!(ended.request_counts.canceled, 1);
/// let mut results = client.batches().results(&batch.id).await?;
/// let line = results.next().await.expect("one line")?;
/// assert!(matches!(line.result, BatchResult::Canceled(_)));
///
/// client.batches().delete(&batch.id).await?;
/// assert!(client.batches().retrieve(&batch.id).await.unwrap_err().is_not_found());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Batches<'a> {
    client: &'a Client,
}

impl<'a> Batches<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// `POST /v1/messages/batches`: submits requests, each named by a
    /// `custom_id` unique within the batch. The batch starts `in_progress`.
    pub fn create(&self, requests: Vec<BatchRequest>) -> ApiCall<'a, MessageBatch> {
        let body = CreateBatchRequest {
            requests,
            extra: Default::default(),
        };
        self.create_from(&body)
    }

    /// Like [`create`](Self::create), from a whole request body (for fields
    /// this crate does not model, kept in `extra`).
    pub fn create_from(&self, body: &CreateBatchRequest) -> ApiCall<'a, MessageBatch> {
        let version = self.client.api_version();
        let refused = body
            .requests
            .iter()
            .find_map(|request| version.check_message(&request.params).err());
        self.client
            .post(BATCHES)
            .json(body)
            .fail_with(refused)
            .describe("message batch")
            .output()
    }

    /// `GET /v1/messages/batches/{id}`: the batch's current state.
    pub fn retrieve(&self, batch_id: &str) -> ApiCall<'a, MessageBatch> {
        self.on_batch(Method::GET, batch_id, "").output()
    }

    /// `GET /v1/messages/batches`: batches of the workspace, newest first.
    pub fn list(&self) -> List<'a, MessageBatch> {
        self.client
            .get(BATCHES)
            .describe("message batch list page")
            .paginate()
    }

    /// `POST /v1/messages/batches/{id}/cancel`: asks to stop processing.
    /// The batch becomes `canceling`, then `ended`; requests already done
    /// keep their results, the others end as `canceled`.
    pub fn cancel(&self, batch_id: &str) -> ApiCall<'a, MessageBatch> {
        self.on_batch(Method::POST, batch_id, "/cancel").output()
    }

    /// `DELETE /v1/messages/batches/{id}`: deletes an ended batch and its
    /// results (one in progress must be canceled first).
    pub fn delete(&self, batch_id: &str) -> ApiCall<'a, DeletedMessageBatch> {
        self.on_batch(Method::DELETE, batch_id, "")
            .describe("deleted message batch")
            .output()
    }

    /// The results of an ended batch as a stream of lines decoded as they
    /// arrive; see [`BatchResults`].
    pub fn results(&self, batch_id: &str) -> GetBatchResults<'a> {
        GetBatchResults::new(self.client, batch_id)
    }

    /// Polls a batch every [`DEFAULT_POLL_INTERVAL`] until it has ended,
    /// and returns it; [`WaitBatch::interval`] changes the interval.
    pub fn wait(&self, batch_id: &str) -> WaitBatch<'a> {
        WaitBatch::new(self.client, batch_id)
    }

    /// A call of `method` to one batch's path followed by `suffix`.
    pub(crate) fn on_batch(&self, method: Method, batch_id: &str, suffix: &str) -> ApiCall<'a> {
        self.client
            .request(method, &format!("{BATCH}{suffix}"))
            .path_param("message_batch_id", batch_id)
            .describe("message batch")
    }
}
