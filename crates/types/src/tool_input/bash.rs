//! The `bash` tool's input.

use serde::{Deserialize, Serialize};

/// What the model asks of the `bash` tool (`bash_*`): run a command in a
/// persistent shell session, or restart that session.
//
// On the wire this is `{"command": "ls -la"}` or `{"restart": true}`; the
// enum makes the two cases exclusive, so an input with neither (or both) is
// a decoding error rather than a guess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BashWire", into = "BashWire")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum BashInput {
    /// Run this command in the session.
    Run {
        /// The shell command.
        command: String,
    },
    /// Kill the session and start a fresh one.
    Restart,
}

/// The bash tool's input as sent: a command, or a restart flag.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct BashWire {
    /// The bash command to run. Required unless `restart` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    command: Option<String>,
    /// Set to true to restart the bash session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    restart: Option<bool>,
}

impl TryFrom<BashWire> for BashInput {
    type Error = String;

    fn try_from(wire: BashWire) -> Result<Self, String> {
        match (wire.command, wire.restart) {
            (None, Some(true)) => Ok(Self::Restart),
            (Some(command), None | Some(false)) => Ok(Self::Run { command }),
            (Some(_), Some(true)) => {
                Err("`command` and `restart: true` cannot be sent together".to_owned())
            }
            (None, _) => Err("missing field `command` (or `restart: true`)".to_owned()),
        }
    }
}

impl From<BashInput> for BashWire {
    fn from(input: BashInput) -> Self {
        match input {
            BashInput::Run { command } => Self {
                command: Some(command),
                restart: None,
            },
            BashInput::Restart => Self {
                command: None,
                restart: Some(true),
            },
        }
    }
}
