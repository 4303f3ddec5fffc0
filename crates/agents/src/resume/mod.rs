//! Session and thread event streams that survive reconnects, and the
//! previews of messages being written.
//!
//! [`ResumableStream::session`] (or [`ResumableStream::thread`]) reads a
//! session's events as one stream for as long as the session lives: every
//! persisted event exactly once and in order, whatever happens to the
//! connections underneath. With the `bedrock` feature,
//! `ResumableStream::bedrock_session` and `ResumableStream::bedrock_thread`
//! do the same for the sessions of Bedrock's control plane. [`MessagePreview`] folds the `event_start` /
//! `event_delta` previews into the `agent.message` being written.

mod engine;
mod preview;
mod sources;

pub use engine::{BoxEvents, Opening, Persisted, ResumableStream, ResumeOptions, Source};
pub use preview::{MessagePreview, PreviewError, UNPROCESSED};
