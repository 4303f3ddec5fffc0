//! A page of a list endpoint (batches, models, files).

use serde::{Deserialize, Serialize};

use crate::common::Extra;

/// One page of a list: `data` plus the cursors of its ends.
///
/// To get the next page ask for `after_id = last_id`; to go backwards,
/// `before_id = first_id`. `has_more` says whether there is more in the
/// direction being listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// Whether more items exist in the listing direction.
    pub has_more: bool,
    /// The id of the first item (`null` on an empty page).
    #[serde(default)]
    pub first_id: Option<String>,
    /// The id of the last item (`null` on an empty page).
    #[serde(default)]
    pub last_id: Option<String>,
    /// Fields not modelled by this crate.
    #[serde(flatten)]
    pub extra: Extra,
}
