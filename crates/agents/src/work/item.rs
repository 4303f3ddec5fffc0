//! A claimed work item with its lease.

use std::sync::OnceLock;

use claude_rs_client::Client;
use claude_rs_types::Secret;

use super::poller::MakeClient;
use super::{Lease, WorkError, secret};
use crate::environments::SelfHostedWork;

/// A work item the poller claimed (polled and acknowledged), with its
/// [`Lease`], its work secret, and a client for its session
/// ([`session_client`](Self::session_client)).
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
    clients: ItemClients,
    /// The session client, built on first use.
    session: OnceLock<Client>,
}

/// What an item builds its session client from.
pub(super) struct ItemClients {
    /// The poller's client settings.
    pub(super) make: MakeClient,
    /// The poller's client (the environment key).
    pub(super) poller: Client,
}

impl ItemClients {
    /// A client authenticated by the sessions token of `secret`, if it has
    /// one and the client builds; `None` otherwise (the item's calls then
    /// carry the environment key, and
    /// [`WorkItem::session_client`] reports why there is no token client).
    pub(super) fn with_token(&self, work_id: &str, secret: Option<&Secret>) -> Option<Client> {
        let token = secret::sessions_token(work_id, secret?).ok()??;
        (self.make)().auth_token(token.expose()).build().ok()
    }
}

impl std::fmt::Debug for ItemClients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemClients").finish_non_exhaustive()
    }
}

impl WorkItem {
    pub(super) fn new(
        mut work: SelfHostedWork,
        secret: Option<Secret>,
        lease: Lease,
        clients: ItemClients,
        session: Option<Client>,
    ) -> Self {
        work.secret = None;
        Self {
            work,
            secret,
            lease,
            clients,
            session: session.map(OnceLock::from).unwrap_or_default(),
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

    /// The client for the item's session calls (reading and streaming the
    /// session, posting its events, running a
    /// [`SessionToolRunner`](crate::runner::SessionToolRunner) on it): the
    /// poller's client settings authenticated by the item's sessions token
    /// as `Authorization: Bearer` (no API key), as the official SDKs' worker
    /// does. An item whose secret carries no sessions token gets the
    /// poller's client (the environment key). The item's [`Lease`]
    /// (heartbeats and stop) uses the same credential. Built when the item
    /// is claimed; each call returns a clone of it (clones share one
    /// connection pool).
    ///
    /// [`WorkError::Secret`] when the secret does not decode,
    /// [`WorkError::Client`] when the client cannot be built. The token
    /// never shows in its `Debug` or in an error.
    pub fn session_client(&self) -> Result<Client, WorkError> {
        if let Some(client) = self.session.get() {
            return Ok(client.clone());
        }
        let client = match self.sessions_token()? {
            None => self.clients.poller.clone(),
            Some(token) => (self.clients.make)()
                .auth_token(token.expose())
                .build()
                .map_err(|e| WorkError::Client(Box::new(e)))?,
        };
        Ok(self.session.get_or_init(|| client).clone())
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
