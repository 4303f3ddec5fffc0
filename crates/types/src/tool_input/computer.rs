//! The computer-use tool's input.

use serde::{Deserialize, Serialize};

/// A point on the screen: `[x, y]`, pixels from the left and top edges.
pub type Coordinate = [i64; 2];

/// What the model asks of the computer tool (`computer_*`), tagged by
/// `action`. Durations are in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ComputerInput {
    /// Press a key or combination (`Return`, `ctrl+s`, `alt+Tab`).
    Key {
        /// The key or combination, in xdotool syntax.
        text: String,
        /// How many times to press it (default 1).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        repeat: Option<u32>,
    },
    /// Hold a key or combination down for a while.
    HoldKey {
        /// The key or combination.
        text: String,
        /// How long to hold it, in seconds.
        duration: f64,
    },
    /// Type a string.
    Type {
        /// The text to type.
        text: String,
    },
    /// Report where the cursor is.
    CursorPosition {},
    /// Move the cursor without clicking.
    MouseMove {
        /// Where to move it.
        coordinate: Coordinate,
    },
    /// Press the left button down (and keep it down).
    LeftMouseDown {},
    /// Release the left button.
    LeftMouseUp {},
    /// Click the left button.
    LeftClick(ClickInput),
    /// Press at `start_coordinate`, drag to `coordinate`, release.
    LeftClickDrag {
        /// Where the drag starts.
        start_coordinate: Coordinate,
        /// Where the drag ends.
        coordinate: Coordinate,
    },
    /// Click the right button.
    RightClick(ClickInput),
    /// Click the middle button.
    MiddleClick(ClickInput),
    /// Double-click the left button.
    DoubleClick(ClickInput),
    /// Triple-click the left button.
    TripleClick(ClickInput),
    /// Turn the scroll wheel.
    Scroll {
        /// Where to scroll; the cursor's position if absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        coordinate: Option<Coordinate>,
        /// Which way.
        scroll_direction: ScrollDirection,
        /// How many wheel clicks.
        scroll_amount: u32,
        /// Keys to hold down while scrolling (`shift`, `ctrl`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// Do nothing for a while.
    Wait {
        /// How long, in seconds.
        duration: f64,
    },
    /// Take a screenshot of the whole screen.
    Screenshot {},
    /// Take a screenshot of a region, scaled up (needs `enable_zoom`).
    Zoom {
        /// `[x0, y0, x1, y1]`: the region's top-left and bottom-right corners.
        region: [i64; 4],
    },
}

/// Where and how to click.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ClickInput {
    /// Where to click; the cursor's position if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinate: Option<Coordinate>,
    /// Keys to hold down while clicking (`shift`, `ctrl+shift`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A scroll direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ScrollDirection {
    /// Up.
    Up,
    /// Down.
    Down,
    /// Left.
    Left,
    /// Right.
    Right,
}
