//! `claude-client`: not implemented yet.
//!
//! This crate is a placeholder in the workspace so that its place in the
//! dependency graph is fixed from the start; it exports nothing yet.
