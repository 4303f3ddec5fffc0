//! The `claude-rs-examples` package holds the workspace's runnable examples
//! (`examples/`) and its cross-crate integration tests (`tests/`).
//!
//! It is not published. The SDK itself lives in the `claude-rs-types`,
//! `claude-rs-sse`, `claude-rs-transport` and `claude-rs-client` crates; this library
//! only holds the input types of the example tools, so that the examples,
//! the tests and `cargo xtask schemas` share one definition.

pub mod example_tools;
