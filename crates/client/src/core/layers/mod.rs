//! The tower layers of each attempt.
//!
//! An attempt goes through `(your layers) -> Authorize -> transport`, inside
//! the retry loop ([`crate::core::retry`]), which also holds the attempt's
//! deadline: your layers and the backend's credentials see every attempt,
//! and credentials come last so that a signature covers the request as
//! sent. With the `tracing` feature the loop records one span per call.

mod authorize;
#[cfg(feature = "tracing")]
pub(crate) mod trace;

pub(crate) use authorize::AuthorizeLayer;
