//! claude-rs-bedrock's tests, one binary: botocore's signatures and the
//! eventstream vectors, the backend over the wire against a loopback
//! Bedrock, and the settings' resolution.

mod against_mock;
#[cfg(feature = "aws-config")]
mod aws_config;
mod config;
mod eventstream;
mod over_the_wire;
mod sigv4;
mod sigv4_suite;
mod support;
