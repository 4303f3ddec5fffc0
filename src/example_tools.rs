//! Input types of the example tools (`examples/tools.rs`). Their JSON
//! schemas are checked in under `schemas/` by `cargo xtask schemas`, so a
//! change to a doc comment or a field shows up in review as a schema diff.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Get the current weather in a given location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GetWeather {
    /// The city and country, e.g. "Paris, France".
    pub location: String,
    /// The temperature unit; Celsius when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<TemperatureUnit>,
}

/// A temperature unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TemperatureUnit {
    /// Degrees Celsius.
    Celsius,
    /// Degrees Fahrenheit.
    Fahrenheit,
}
