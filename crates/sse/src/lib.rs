//! `claude-sse`: work in progress.
