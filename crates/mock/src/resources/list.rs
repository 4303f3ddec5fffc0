//! One page of a list, in the endpoint's own pagination style: `limit`
//! (1 to 1000, default 20), then `after_id`/`before_id` (the `page` style)
//! or the `page` cursor of the last response's `next_page` (or
//! `prev_page`). Lists are read through [`Sequence`], so a large generated
//! collection is paged without being built.

use serde_json::{Map, Value, json};

use super::description::Pagination;
use super::invalid;
use crate::record::RecordedRequest;
use crate::response::MockResponse;

/// The default and largest page sizes.
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 1000;

/// How the mock's cursors start: forwards and backwards.
const NEXT: &str = "page_";
const PREV: &str = "prev_";

/// The items of a list, in list order.
pub(crate) trait Sequence {
    /// How many positions there are (hidden ones included).
    fn len(&self) -> usize;
    /// The key (id) at a position.
    fn key(&self, at: usize) -> String;
    /// The item at a position; `None` when it is not listed (archived,
    /// removed).
    fn item(&self, at: usize) -> Option<Value>;
    /// The position of a key.
    fn position(&self, key: &str) -> Option<usize>;
}

/// `limit`, checked as the API does.
pub(crate) fn limit(
    request: &RecordedRequest,
    default: usize,
    max: usize,
) -> Result<usize, String> {
    match request.query_param("limit") {
        None => Ok(default),
        Some(raw) => match raw.parse::<i64>() {
            Err(_) => Err("limit: Input should be a valid integer".to_owned()),
            Ok(n) if n < 1 => Err("limit: Input should be greater than or equal to 1".to_owned()),
            Ok(n) if n > max as i64 => Err(format!(
                "limit: Input should be less than or equal to {max}"
            )),
            Ok(n) => Ok(usize::try_from(n).unwrap_or(default)),
        },
    }
}

/// Where a page starts: after a key, before a key, or at the top.
enum From {
    Top,
    After(usize),
    Before(usize),
    Nowhere,
}

/// The page of `items` the request asks for, as `style` writes it.
pub(crate) fn page(
    items: &dyn Sequence,
    style: Pagination,
    request: &RecordedRequest,
) -> MockResponse {
    let limit = match limit(request, DEFAULT_LIMIT, MAX_LIMIT) {
        Ok(limit) => limit,
        Err(message) => return invalid(message),
    };
    let query = |name| request.query_param(name).filter(|s| !s.is_empty());
    let at = |key: &str| items.position(key).map_or(From::Nowhere, From::After);
    let before = |key: &str| items.position(key).map_or(From::Nowhere, From::Before);
    let from = match style {
        Pagination::Page => match (query("after_id"), query("before_id")) {
            (Some(_), Some(_)) => return invalid("Cannot specify both after_id and before_id"),
            (Some(after), None) => at(after),
            (None, Some(id)) => before(id),
            (None, None) => From::Top,
        },
        _ => match query("page") {
            None => From::Top,
            Some(cursor) => match (cursor.strip_prefix(NEXT), cursor.strip_prefix(PREV)) {
                (Some(key), _) => at(key),
                (_, Some(key)) => before(key),
                _ => From::Nowhere,
            },
        },
    };
    let mut taken: Vec<(usize, Value)> = Vec::new();
    let mut more = false;
    match from {
        From::Nowhere => {}
        From::Top | From::After(_) => {
            let start = match from {
                From::After(at) => at + 1,
                _ => 0,
            };
            for i in start..items.len() {
                if let Some(item) = items.item(i) {
                    if taken.len() == limit {
                        more = true;
                        break;
                    }
                    taken.push((i, item));
                }
            }
        }
        From::Before(end) => {
            for i in (0..end).rev() {
                if let Some(item) = items.item(i) {
                    if taken.len() == limit {
                        more = true;
                        break;
                    }
                    taken.push((i, item));
                }
            }
            taken.reverse();
        }
    }
    let backwards = matches!(from, From::Before(_));
    let first = taken.first().map(|(i, _)| items.key(*i));
    let last = taken.last().map(|(i, _)| items.key(*i));
    // Forwards, `more` says whether items follow; backwards, whether
    // items precede.
    let follows = if backwards {
        last.is_some()
            && taken
                .last()
                .is_some_and(|(i, _)| (i + 1..items.len()).any(|j| items.item(j).is_some()))
    } else {
        more
    };
    let precedes = if backwards {
        more
    } else {
        taken
            .first()
            .is_some_and(|(i, _)| (0..*i).rev().any(|j| items.item(j).is_some()))
    };
    let data: Vec<Value> = taken.into_iter().map(|(_, item)| item).collect();
    let mut out = Map::new();
    out.insert("data".into(), data.into());
    match style {
        Pagination::Page => {
            out.insert("has_more".into(), more.into());
            out.insert("first_id".into(), json!(first));
            out.insert("last_id".into(), json!(last));
        }
        Pagination::Cursor | Pagination::Report => {
            if style == Pagination::Report {
                out.insert("has_more".into(), follows.into());
            }
            let next = last.filter(|_| follows).map(|k| format!("{NEXT}{k}"));
            out.insert("next_page".into(), json!(next));
        }
        Pagination::Bidirectional => {
            let next = last.filter(|_| follows).map(|k| format!("{NEXT}{k}"));
            let prev = first.filter(|_| precedes).map(|k| format!("{PREV}{k}"));
            out.insert("next_page".into(), json!(next));
            out.insert("prev_page".into(), json!(prev));
        }
    }
    MockResponse::json(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Platform;

    /// `n` items `k1`..`kn`, `k2` hidden.
    struct Items(usize);

    impl Sequence for Items {
        fn len(&self) -> usize {
            self.0
        }
        fn key(&self, at: usize) -> String {
            format!("k{}", at + 1)
        }
        fn item(&self, at: usize) -> Option<Value> {
            (at != 1).then(|| json!(self.key(at)))
        }
        fn position(&self, key: &str) -> Option<usize> {
            let n: usize = key.strip_prefix('k')?.parse().ok()?;
            (1..=self.0).contains(&n).then(|| n - 1)
        }
    }

    fn get(query: &str, items: &Items, style: Pagination) -> Value {
        let request = RecordedRequest {
            method: http::Method::GET,
            path: "/v1/things".to_owned(),
            query: Some(query.to_owned()),
            headers: http::HeaderMap::new(),
            body: bytes::Bytes::new(),
            json: None,
            route: None,
            platform: Platform::Anthropic,
            route_index: 0,
        };
        match page(items, style, &request).body {
            crate::response::ReplyBody::Json(value) => value,
            crate::response::ReplyBody::Error { error_type, .. } => {
                json!({"error": {"type": error_type}})
            }
            _ => Value::Null,
        }
    }

    #[test]
    fn cursor_pages_skip_hidden_items_and_end_with_null() {
        let items = Items(5);
        let first = get("limit=2", &items, Pagination::Cursor);
        assert_eq!(first, json!({"data": ["k1", "k3"], "next_page": "page_k3"}));
        let second = get("limit=2&page=page_k3", &items, Pagination::Cursor);
        assert_eq!(second, json!({"data": ["k4", "k5"], "next_page": null}));
        let unknown = get("page=page_k9", &items, Pagination::Cursor);
        assert_eq!(unknown["data"], json!([]));
    }

    #[test]
    fn bidirectional_pages_go_both_ways() {
        let items = Items(6);
        let middle = get("limit=2&page=page_k3", &items, Pagination::Bidirectional);
        assert_eq!(middle["data"], json!(["k4", "k5"]));
        assert_eq!(middle["next_page"], "page_k5");
        assert_eq!(middle["prev_page"], "prev_k4");
        let back = get("limit=2&page=prev_k4", &items, Pagination::Bidirectional);
        assert_eq!(back["data"], json!(["k1", "k3"]));
        assert_eq!(back["prev_page"], Value::Null);
        assert_eq!(back["next_page"], "page_k3");
    }

    #[test]
    fn id_pages_and_their_limits() {
        let items = Items(4);
        let before = get("limit=1&before_id=k4", &items, Pagination::Page);
        assert_eq!(
            before,
            json!({"data": ["k3"], "has_more": true, "first_id": "k3", "last_id": "k3"})
        );
        let both = get("after_id=k1&before_id=k4", &items, Pagination::Page);
        assert_eq!(both["error"]["type"], "invalid_request_error");
        for bad in ["limit=0", "limit=1001", "limit=x"] {
            let refused = get(bad, &items, Pagination::Page);
            assert_eq!(refused["error"]["type"], "invalid_request_error", "{bad}");
        }
    }
}
