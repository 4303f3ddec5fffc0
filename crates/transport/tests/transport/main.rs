//! Integration tests of `claude-rs-transport` against loopback servers.
//!
//! One test binary with modules, rather than one per file, to keep link time
//! down.

mod http;
mod proxy;
mod support;
mod timeouts;
mod tls;
