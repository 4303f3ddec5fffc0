//! The platforms' wire shapes: Bedrock InvokeModel (eventstream streams,
//! its errors and count-tokens), Mantle, Vertex and Foundry, their
//! credential checks, and the mock's faults on each.

#[path = "../common/mod.rs"]
mod common;

mod bedrock;
mod foundry;
mod vertex;
mod wire;
