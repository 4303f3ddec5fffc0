//! A claimed work item with its lease.

use claude_rs_types::Secret;

use super::{Lease, WorkError, secret};
use crate::environments::SelfHostedWork;

/// A work item the poller claimed (polled and acknowledged), with its
/// [`Lease`] and its work secret.
///
/// The work secret and the sessions token it carries are held as
/// [`Secret`]s, never shown by `Debug` or `Display`; [`work`](Self::work)
/// is the acknowledged item with its `secret` field emptied. Dropping the
/// item ends its background heartbeats without stopping it: call
/// [`finish`](Self::finish) (or [`Lease::stop`]) when done.
#[derive(Debug)]
pub struct WorkItem {
    work: SelfHostedWork,
    secret: Option<Secret>,
    lease: Lease,
}

impl WorkItem {
    pub(super) fn new(mut work: SelfHostedWork, secret: Option<Secret>, lease: Lease) -> Self {
        work.secret = None;
        Self {
            work,
            secret,
            lease,
        }
    }

    /// The item as the acknowledgement returned it, without its secret.
    pub fn work(&self) -> &SelfHostedWork {
        &self.work
    }

    /// The item's id.
    pub fn id(&self) -> &str {
        &self.work.id
    }

    /// The id of the session to run (`data.id`).
    pub fn session_id(&self) -> &str {
        &self.work.data.id
    }

    /// The work secret as handed out by the poll (opaque), if any.
    pub fn secret(&self) -> Option<&Secret> {
        self.secret.as_ref()
    }

    /// The sessions token of the work secret, which authenticates the
    /// item's session calls (as a bearer token): `None` when the item has
    /// no secret or the secret no token, [`WorkError::Secret`] when the
    /// secret does not decode.
    pub fn sessions_token(&self) -> Result<Option<Secret>, WorkError> {
        match &self.secret {
            None => Ok(None),
            Some(raw) => secret::sessions_token(&self.work.id, raw),
        }
    }

    /// The item's lease.
    pub fn lease(&self) -> &Lease {
        &self.lease
    }

    /// Ends the heartbeats and stops the item with `force` (straight to
    /// `stopped`), as a worker does when it is done with it.
    pub async fn finish(self) -> Result<SelfHostedWork, WorkError> {
        self.lease.stop(true).await
    }
}

impl Drop for WorkItem {
    fn drop(&mut self) {
        self.lease.stop_heartbeats();
    }
}
