//! The resource store (every Managed Agents and Admin endpoint served from
//! the API description) and the Admin API's organization.

#[path = "../common/mod.rs"]
mod common;

mod admin;
mod every_endpoint;
mod families;
mod support;
