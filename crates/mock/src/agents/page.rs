//! The cursor pages of the Managed Agents lists: `{data, next_page}`, and
//! `prev_page` too on the sessions list. The next request sends
//! `page=<next_page>` (or `page=<prev_page>` to go back).

use serde_json::{Value, json};

use crate::query::Query;

const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 1000;

/// How the mock's cursors start; what follows names the item the page
/// starts after (`page_a…`) or ends before (`page_b…`).
const AFTER: &str = "page_a";
const BEFORE: &str = "page_b";

/// Which cursors a list has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cursor {
    /// `next_page` only.
    Forward,
    /// `next_page` and `prev_page`.
    Bidirectional,
}

/// One page of `items` (already filtered and in the list's order, each
/// with its id) for the query's `limit` and `page`; an unreadable `limit`
/// or cursor is an error message.
pub(crate) fn page(
    items: Vec<(String, Value)>,
    query: &Query,
    cursor: Cursor,
) -> Result<Value, String> {
    let limit = match query.get("limit") {
        None | Some("") => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(format!(
                    "limit: Input should be an integer from 1 to {MAX_LIMIT}"
                ));
            }
        },
    };
    let position = |id: &str| items.iter().position(|(item, _)| item == id);
    let (start, end) = match query.get("page").filter(|p| !p.is_empty()) {
        None => (0, limit.min(items.len())),
        Some(token) => {
            if let Some(id) = token.strip_prefix(AFTER) {
                let start = position(id).map_or(items.len(), |at| at + 1);
                (start, (start + limit).min(items.len()))
            } else if let Some(id) = token.strip_prefix(BEFORE) {
                let end = position(id).unwrap_or(0);
                (end.saturating_sub(limit), end)
            } else {
                return Err(format!("page: {token:?} is not a page cursor of this list"));
            }
        }
    };
    let next = (end < items.len())
        .then(|| {
            items
                .get(end.wrapping_sub(1))
                .map(|(id, _)| format!("{AFTER}{id}"))
        })
        .flatten();
    let prev = (start > 0)
        .then(|| items.get(start).map(|(id, _)| format!("{BEFORE}{id}")))
        .flatten();
    let data: Vec<Value> = items
        .into_iter()
        .skip(start)
        .take(end - start)
        .map(|(_, item)| item)
        .collect();
    Ok(match cursor {
        Cursor::Forward => json!({"data": data, "next_page": next}),
        Cursor::Bidirectional => json!({"data": data, "next_page": next, "prev_page": prev}),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: usize) -> Vec<(String, Value)> {
        (0..n).map(|i| (format!("x{i}"), json!(i))).collect()
    }

    #[test]
    fn forward_and_back() {
        let q = |s: &str| Query::parse(Some(s));
        let first = page(items(5), &q("limit=2"), Cursor::Bidirectional).unwrap();
        assert_eq!(first["data"], json!([0, 1]));
        assert_eq!(first["prev_page"], Value::Null);
        let next = first["next_page"].as_str().unwrap().to_owned();
        let second = page(
            items(5),
            &q(&format!("limit=2&page={next}")),
            Cursor::Bidirectional,
        )
        .unwrap();
        assert_eq!(second["data"], json!([2, 3]));
        let prev = second["prev_page"].as_str().unwrap().to_owned();
        let back = page(
            items(5),
            &q(&format!("limit=2&page={prev}")),
            Cursor::Bidirectional,
        )
        .unwrap();
        assert_eq!(back["data"], json!([0, 1]));
        let last_token = second["next_page"].as_str().unwrap().to_owned();
        let last = page(
            items(5),
            &q(&format!("limit=2&page={last_token}")),
            Cursor::Forward,
        )
        .unwrap();
        assert_eq!(last, json!({"data": [4], "next_page": null}));
        assert!(page(items(1), &q("limit=0"), Cursor::Forward).is_err());
        assert!(page(items(1), &q("page=nope"), Cursor::Forward).is_err());
    }
}
