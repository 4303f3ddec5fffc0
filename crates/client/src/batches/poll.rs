//! [`WaitBatch`]: polls a batch until it has ended.

use std::future::IntoFuture;
use std::time::Duration;

use claude_rs_types::batch::MessageBatch;

use futures_util::future::BoxFuture;

use super::Batches;
use crate::core::client::Client;
use crate::core::error::Error;
use crate::core::options::{RequestOptions, request_option_methods};

/// How often [`Batches::wait`] asks by default. Batches take minutes to
/// hours, so asking more often only spends rate limit.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(30);

/// A pending wait for a batch to end; await it for the ended batch.
///
/// The batch is retrieved at once, then after every `interval` until its
/// `processing_status` is `ended`. Each retrieval is an ordinary call with
/// the usual retries; an error that survives them ends the wait. Wrap the
/// await in `tokio::time::timeout` to bound the total time.
#[derive(Debug)]
#[must_use = "a wait does nothing until awaited"]
pub struct WaitBatch<'a> {
    client: &'a Client,
    batch_id: String,
    interval: Duration,
    options: RequestOptions,
}

impl<'a> WaitBatch<'a> {
    pub(crate) fn new(client: &'a Client, batch_id: &str) -> Self {
        Self {
            client,
            batch_id: batch_id.to_owned(),
            interval: DEFAULT_POLL_INTERVAL,
            options: RequestOptions::default(),
        }
    }

    /// The time between two retrievals.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    request_option_methods!();

    /// Polls until the batch has ended.
    pub async fn send(self) -> Result<MessageBatch, Error> {
        let batches = Batches::new(self.client);
        loop {
            let batch = batches
                .retrieve(&self.batch_id)
                .options(self.options.clone())
                .await?;
            if batch.is_ended() {
                return Ok(batch);
            }
            tokio::time::sleep(self.interval).await;
        }
    }
}

impl<'a> IntoFuture for WaitBatch<'a> {
    type Output = Result<MessageBatch, Error>;
    type IntoFuture = BoxFuture<'a, Result<MessageBatch, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
