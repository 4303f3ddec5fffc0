//! `claude-types`: work in progress.
