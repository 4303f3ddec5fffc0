//! `claude-types`: work in progress.
mod macros;

pub mod batch;
pub mod citation;
pub mod common;
pub mod config;
pub mod content;
pub mod error;
pub mod files;
pub mod message;
pub mod model;
pub mod models;
pub mod page;
pub mod request;
pub mod stream;
pub mod tool;
