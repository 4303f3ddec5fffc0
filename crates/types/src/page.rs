//! A page of a list endpoint (batches, models, files, skills).

use serde::{Deserialize, Serialize};

use crate::common::Extra;

/// One page of a list: `data` plus the cursors to the next one.
///
/// The API pages in two styles, and a page carries the fields of its own:
///
/// * **by id** (Models, Message Batches): `first_id`, `last_id` and
///   `has_more`; ask for `after_id = last_id` to go on, or
///   `before_id = first_id` to go backwards;
/// * **by token** (Files, Skills, Skill versions): an opaque `next_page`
///   token, sent back as `page`; `null` on the last page.
///
/// ```
/// use claude_rs_types::page::Page;
///
/// let by_token: Page<serde_json::Value> =
///     serde_json::from_str(r#"{"data": [], "next_page": "page_2"}"#)?;
/// assert_eq!(by_token.next_page.as_deref(), Some("page_2"));
/// let by_id: Page<serde_json::Value> = serde_json::from_str(
///     r#"{"data": [], "has_more": true, "first_id": "a", "last_id": "b"}"#,
/// )?;
/// assert!(by_id.has_more && by_id.next_page.is_none());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// Whether more items exist in the listing direction (id style; `false`
    /// when the page does not say).
    #[serde(default)]
    pub has_more: bool,
    /// The id of the first item (`null` on an empty page).
    #[serde(default)]
    pub first_id: Option<String>,
    /// The id of the last item (`null` on an empty page).
    #[serde(default)]
    pub last_id: Option<String>,
    /// The token of the next page (token style); `None` on the last page
    /// and on id-style pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    /// Fields not modelled by this crate.
    #[serde(flatten)]
    pub extra: Extra,
}
