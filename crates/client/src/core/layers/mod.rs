//! The tower layers of each attempt.
//!
//! An attempt goes through `(your layers) -> Authorize -> transport`, inside
//! the retry loop ([`crate::core::retry`]), which also holds the attempt's
//! deadline: your layers and the backend's credentials see every attempt,
//! and credentials come last so that a signature covers the request as
//! sent. The span of the whole call (with the `tracing` feature) is the
//! client's, around the loop (the `telemetry` module).

mod authorize;

pub(crate) use authorize::AuthorizeLayer;
