//! The `claude-examples` package holds the workspace's runnable examples
//! (`examples/`) and its cross-crate integration tests (`tests/`).
//!
//! It is not published and exports nothing: the SDK itself lives in the
//! `claude-types`, `claude-sse`, `claude-transport` and `claude-client` crates.
