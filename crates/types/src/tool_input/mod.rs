//! Typed inputs of the Anthropic-defined client tools: what the model sends
//! in `tool_use.input` when it calls `bash`, the text editor, `memory` or
//! `computer`, which the application then carries out.
//!
//! Decode `tool_use.input` with `serde_json::from_value::<TextEditorInput>(..)`
//! and `match` on the command: the compiler then makes sure every command is
//! handled, and a misspelt field is a decoding error instead of a silent
//! `None`.
//!
//! # Unknown commands are errors, not a catch-all
//!
//! Elsewhere in this crate unknown members are kept (`Unknown(..)`), because
//! data must survive a round trip. These inputs are different: they are
//! orders the application *executes*, and an order it does not understand
//! cannot be executed anyway. So an unknown `command` / `action` fails to
//! decode, with serde's message naming it and listing the known ones
//! (``unknown variant `paste`, expected one of `view`, `create`, ...``);
//! a tool runner sends that message back as an `is_error` result, which
//! tells the model exactly what to do instead. The enums are
//! `#[non_exhaustive]`, so new commands can be added without breaking users.
//!
//! With the `schemars` feature every input type also derives
//! `schemars::JsonSchema`; the project checks the generated schemas in.

mod bash;
mod computer;
mod memory;
mod text_editor;

pub use bash::BashInput;
pub use computer::{ClickInput, ComputerInput, Coordinate, ScrollDirection};
pub use memory::MemoryInput;
pub use text_editor::{TextEditorInput, ViewRange};
