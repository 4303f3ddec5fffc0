//! The tower layers between the client and the transport.
//!
//! A call goes through `Retry -> (your layers) -> Timeout -> transport`:
//! the retry layer sees one logical call and repeats it, your layers and the
//! timeout see each attempt.

pub mod retry;
pub mod timeout;

pub use retry::{RetryLayer, RetryService};
pub use timeout::{BufferBody, TimeoutLayer, TimeoutService};

/// How many attempts a call took; set on the response's extensions by the
/// retry layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts(pub u32);
