//! The client's behaviour tests, one binary: requests on the wire, streams,
//! retries, faults, resources and tools against the embedded mock.

mod accumulate;
mod api_error_details;
mod backend;
mod batches;
mod config;
mod count_tokens;
mod credentials;
mod errors;
mod files;
mod hardening;
mod layers;
mod live_input;
mod managed_agents;
mod messages;
mod mock_replay;
mod models;
mod pagination;
mod profile_headers;
mod reliability;
mod retry;
mod skills;
mod stream_newer_api;
mod stream_retry;
#[cfg(feature = "schemars")]
mod structured;
mod support;
#[cfg(feature = "tracing")]
mod telemetry;
#[cfg(feature = "schemars")]
mod tool_runner;
mod transport_settings;
mod verbs;
