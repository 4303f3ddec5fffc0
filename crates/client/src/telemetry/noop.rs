//! Without the `tracing` feature: call spans that record nothing and cost
//! nothing.

use std::future::Future;

use claude_rs_transport::RequestBody;
use claude_rs_types::message::Message;
use claude_rs_types::stream::MessageStreamEvent;
use http::{HeaderMap, Request, StatusCode};

use crate::core::call::Call;
use crate::core::error::Error;

/// Nothing to know of the client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin;

/// No span.
#[derive(Debug, Default)]
pub(crate) struct CallSpan;

impl CallSpan {
    #[inline]
    pub(crate) fn start(_: Origin, _: &Call<'_>) -> Self {
        Self
    }
    #[inline]
    pub(crate) fn instrument<F: Future>(&self, future: F) -> F {
        future
    }
    #[inline]
    pub(crate) fn sending(&self, _: &mut Request<RequestBody>) {}
    #[inline]
    pub(crate) fn answered(&self, _: StatusCode, _: &HeaderMap) {}
    #[inline]
    pub(crate) fn resent(&self, _: u32) {}
    #[inline]
    pub(crate) fn failed(&self, _: &Error) {}
    #[inline]
    pub(crate) fn succeeded_json(&self, _: &[u8]) {}
    #[inline]
    pub(crate) fn ok(&self) {}
}

/// No stream span.
#[derive(Debug, Default)]
pub(crate) struct StreamTrace;

impl StreamTrace {
    #[inline]
    pub(crate) fn new(_: CallSpan) -> Self {
        Self
    }
    #[inline]
    pub(crate) fn event(&mut self, _: &MessageStreamEvent, _: Option<&Message>) {}
    #[inline]
    pub(crate) fn end(&mut self, _: Option<&Error>, _: Option<&Message>) {}
}

/// No tool runner span.
#[derive(Debug, Default)]
pub(crate) struct RunnerTrace;

impl RunnerTrace {
    #[inline]
    pub(crate) fn start(_: Origin, _: &claude_rs_types::request::CreateMessageRequest) -> Self {
        Self
    }
    #[inline]
    pub(crate) fn instrument<F: Future>(&self, future: F) -> F {
        future
    }
    #[inline]
    pub(crate) fn is_active(&self) -> bool {
        false
    }
    #[inline]
    pub(crate) fn end(&mut self, _: Option<&Error>) {}
    #[inline]
    pub(crate) fn tool(
        &self,
        _: &claude_rs_types::content::ToolUseBlock,
        _: Option<String>,
    ) -> ToolTrace {
        ToolTrace
    }
}

/// No tool span.
#[derive(Debug)]
pub(crate) struct ToolTrace;

impl ToolTrace {
    #[inline]
    pub(crate) fn instrument<F: Future>(&self, future: F) -> F {
        future
    }
    #[inline]
    pub(crate) fn finish(self, _: &claude_rs_types::content::ToolResultBlock) {}
}
