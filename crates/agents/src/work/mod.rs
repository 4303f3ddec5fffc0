//! The work queue of a self-hosted environment, from the worker's side.
//!
//! Each session created on a self-hosted environment queues a work item.
//! A worker — a process of yours that runs sessions — takes items from the
//! queue with a [`WorkPoller`]: it long-polls (`GET .../work/poll`),
//! acknowledges the item it gets (`POST .../ack`), and holds a [`Lease`]
//! on it by heartbeats (`POST .../heartbeat`), each echoing the last one
//! (`expected_last_heartbeat`). A heartbeat refused with 412 means another
//! worker may hold the item: [`WorkError::HeartbeatPreconditionFailed`].
//! When done, the worker stops the item (`POST .../stop`, with `force`
//! straight to `stopped`).
//!
//! The worker endpoints take the environment's key as a bearer token, not
//! an API key. An item comes with a work secret whose sessions token
//! authenticates the item's own calls, as the official SDKs' worker does:
//! its lease's heartbeats and stop, and its session's calls through
//! [`WorkItem::session_client`], a client built from the poller's client
//! settings with that token as `Authorization: Bearer`. An item whose
//! secret carries no token uses the environment key. The key, the secret
//! and the token are [`Secret`](claude_rs_types::Secret)s: never shown by `Debug`,
//! `Display` or the errors.
//!
//! See the API reference at <https://docs.claude.com/en/api/overview>.

mod error;
mod item;
mod lease;
mod poller;
mod secret;

pub use error::WorkError;
pub use item::WorkItem;
pub use lease::{Lease, LeaseState};
pub use poller::{WorkPoller, WorkPollerBuilder};
