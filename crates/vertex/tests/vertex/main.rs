//! claude-rs-vertex's tests, one binary: the backend over the wire against a
//! loopback Vertex, and Google token providers against loopback token
//! endpoints (the JWT's RS256 signature verified by the endpoint).

mod against_mock;
mod over_the_wire;
mod support;
mod tokens;
