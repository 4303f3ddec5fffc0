//! The Claude API's data model: requests, responses, content blocks, tools,
//! streaming events, errors, batches, models and files.
//!
//! ```
//! use claude_rs_types::content::ContentBlock;
//! use claude_rs_types::message::Message;
//! use claude_rs_types::model::Model;
//! use claude_rs_types::request::{CreateMessageRequest, MessageParam};
//!
//! // A request: serialize it and send it with any HTTP client.
//! let request = CreateMessageRequest::new(
//!     Model::CLAUDE_OPUS_4_5,
//!     1024,
//!     vec![MessageParam::user("Hello, Claude")],
//! )
//! .with_system("Answer in one word.");
//! let body = serde_json::to_string(&request)?;
//! assert!(body.starts_with(r#"{"model":"claude-opus-4-5","max_tokens":1024"#));
//!
//! // A response, including a block type this version has never heard of.
//! let reply: Message = serde_json::from_str(r#"{
//!     "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-opus-4-5",
//!     "content": [
//!         {"type": "text", "text": "Hello"},
//!         {"type": "hologram", "frames": 3}
//!     ],
//!     "stop_reason": "end_turn", "stop_sequence": null,
//!     "usage": {"input_tokens": 12, "output_tokens": 2}
//! }"#)?;
//! assert_eq!(reply.text(), "Hello");
//! assert!(matches!(reply.content[1], ContentBlock::Unknown(_)));
//!
//! // The reply goes back as the next turn with nothing lost.
//! let next = reply.to_param();
//! assert_eq!(serde_json::to_value(&next)?["content"][1]["frames"], 3);
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! # Why it is built this way
//!
//! The API adds block types, delta types, event types, stop reasons and fields
//! without notice, and a client that fails on them fails its users on a
//! successful response. So, throughout the crate:
//!
//! * every union tagged by `"type"` has an `Unknown(serde_json::Value)` arm that
//!   keeps the raw object and writes it back unchanged;
//! * every string enum has an `Unknown(String)` arm;
//! * every object keeps fields it does not model, and fields received as an
//!   explicit `null`, in its `extra` map, so a response re-serializes to the
//!   same JSON and can be sent back as the next turn without loss;
//! * a *known* member with malformed fields is an error that names the path
//!   (`invalid ContentBlock of type "tool_use": missing field "input"`),
//!   never a silent fallback to `Unknown`.
//!
//! One [`ContentBlock`](content::ContentBlock) type serves requests and
//! responses, since every response block may be sent back;
//! [`Message::to_param`](message::Message::to_param) is therefore a plain
//! move of the blocks.
//!
//! Every item has one public path, in the module of its family
//! (`claude_rs_types::message::Message`, `claude_rs_types::request::MessageParam`);
//! only [`Secret`], whose module is private, is at the root.
//!
//! The crate depends on `serde` and `serde_json` only, does no I/O and is
//! meant to be reused by other clients.
//!
//! # Features
//!
//! | Feature | Default | Pulls in | Adds |
//! |---|---|---|---|
//! | `schemars` | off | `schemars` 1.x | `tool::CustomTool::for_input` and the `tool_schema` module, which derive a tool's input schema (or a structured output format) from a Rust type; `JsonSchema` for the typed inputs of the Anthropic-defined tools ([`tool_input`]) |
//!
//! `claude-rs-client` turns `schemars` on by default.

#[doc(hidden)]
pub mod decode;
mod macros;

pub mod batch;
pub mod citation;
pub mod common;
pub mod config;
pub mod content;
pub mod context_management;
pub mod datetime;
pub mod error;
pub mod error_code;
pub mod fallback;
pub mod files;
pub mod message;
pub mod model;
pub mod models;
pub mod page;
pub mod request;
mod request_setters;
mod secret;
pub mod skills;
pub mod stream;
pub mod tool;
mod tool_choice;
pub mod tool_input;
#[cfg(feature = "schemars")]
pub mod tool_schema;
pub mod usage;

pub use secret::Secret;
