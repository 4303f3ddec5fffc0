//! The tower layers between the client and the transport.
//!
//! A call goes through
//! `Trace -> Retry -> (your layers) -> Timeout -> Authorize -> transport`:
//! the retry layer sees one logical call and repeats it; your layers, the
//! timeout and the backend's credentials see each attempt, and credentials
//! come last so that a signature covers the request as sent. The span of
//! the whole call (with the `tracing` feature) is the client's, around the
//! stack (the `telemetry` module).

mod authorize;
mod retry;
mod timeout;

pub(crate) use authorize::AuthorizeLayer;
pub use retry::{RetryLayer, RetryService};
pub use timeout::{TimeoutLayer, TimeoutService};

pub use crate::core::call::ResponseMode;

/// How many attempts a call took; set on the response's extensions by the
/// retry layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts(pub u32);
