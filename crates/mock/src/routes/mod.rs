//! The built-in behaviour of each route, and list pagination.

pub(crate) mod batches;
pub(crate) mod files;
pub(crate) mod messages;
pub(crate) mod models;
pub(crate) mod skills;

use std::sync::Arc;

use claude_rs_types::{error::ErrorType, page::Page};
use serde::Serialize;

use crate::record::RecordedRequest;
use crate::response::MockResponse;
use crate::response::error;
use crate::route::Route;
use crate::state::State;
use crate::wire;

/// What a route does when nothing is scripted for it.
pub(crate) fn builtin(
    state: &Arc<State>,
    route: Route,
    param: Option<&str>,
    request: &RecordedRequest,
) -> MockResponse {
    let id = param.unwrap_or_default();
    match route {
        Route::Messages => MockResponse::default_reply(),
        Route::CountTokens => messages::count_tokens(request),
        Route::CreateBatch => batches::create(state, request),
        Route::ListBatches => batches::list(state, request),
        Route::GetBatch => batches::get(state, id),
        Route::CancelBatch => batches::cancel(state, id),
        Route::DeleteBatch => batches::delete(state, id),
        Route::BatchResults => batches::results(state, id),
        Route::ListModels => models::list(state, request),
        Route::GetModel => models::get(state, id),
        Route::UploadFile => files::upload(state, request),
        Route::ListFiles => files::list(state, request),
        Route::GetFile => files::get(state, id),
        Route::FileContent => files::content(state, id),
        Route::DeleteFile => files::delete(state, id),
        Route::CreateSkill => skills::create(state, request),
        Route::ListSkills => skills::list(state, request),
        Route::GetSkill => skills::get(state, id),
        Route::DeleteSkill => skills::delete(state, id),
        Route::CreateSkillVersion => skills::create_version(state, id, request),
        Route::ListSkillVersions => skills::list_versions(state, id, request),
        Route::GetSkillVersion => skills::get_version(state, id),
        Route::DeleteSkillVersion => skills::delete_version(state, id),
        Route::SkillVersionContent => skills::version_content(state, id),
        Route::Agents
        | Route::Environments
        | Route::EnvironmentWork
        | Route::Sessions
        | Route::SessionEvents
        | Route::SessionStream => crate::agents::handle(state, route, id, request),
        Route::GetOrganization => {
            let mut inner = state.lock();
            crate::resources::serve(state.config.validate, &mut inner.resources, request)
                .unwrap_or_else(|| not_found("Not Found"))
        }
    }
}

/// The default and largest page sizes of the API's lists.
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 1000;

/// One page of `items` (newest first) as the API pages lists:
/// `limit` (1 to 1000, default 20), then `after_id` (the items after it)
/// or `before_id` (the items just before it). An id that is not in the list
/// gives an empty page.
pub(crate) fn paginate<T: Serialize>(
    items: Vec<(String, T)>,
    request: &RecordedRequest,
) -> MockResponse {
    match page(items, request) {
        Ok(page) => typed_json(&page),
        Err(failure) => *failure,
    }
}

/// Like [`paginate`], for the lists the API pages with an opaque cursor
/// (Files, Skills): `page=<next_page of the last response>` asks for the next page,
/// and every page says `next_page` (`null` on the last one) besides the id
/// cursors.
pub(crate) fn paginate_cursor<T: Serialize>(
    items: Vec<(String, T)>,
    request: &RecordedRequest,
) -> MockResponse {
    match page(items, request) {
        Ok(mut page) => {
            let next = page
                .last_id
                .as_ref()
                .filter(|_| page.has_more)
                .map(|id| format!("{PAGE_PREFIX}{id}"));
            page.extra.insert("next_page".to_owned(), next.into());
            typed_json(&page)
        }
        Err(failure) => *failure,
    }
}

/// How the mock's `next_page` cursors start (the API's are `page_...` too).
const PAGE_PREFIX: &str = "page_";

fn page<T>(
    items: Vec<(String, T)>,
    request: &RecordedRequest,
) -> Result<Page<T>, Box<MockResponse>> {
    let limit = match request.query_param("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<i64>() {
            Err(_) => return Err(Box::new(invalid("limit: Input should be a valid integer"))),
            Ok(n) if n < 1 => {
                return Err(Box::new(invalid(
                    "limit: Input should be greater than or equal to 1",
                )));
            }
            Ok(n) if n > MAX_LIMIT as i64 => {
                return Err(Box::new(invalid(
                    "limit: Input should be less than or equal to 1000",
                )));
            }
            Ok(n) => usize::try_from(n).unwrap_or(DEFAULT_LIMIT),
        },
    };
    let cursor = request
        .query_param("page")
        .filter(|s| !s.is_empty())
        .map(|page| page.strip_prefix(PAGE_PREFIX).unwrap_or(page));
    let after = request
        .query_param("after_id")
        .filter(|s| !s.is_empty())
        .or(cursor);
    let before = request.query_param("before_id").filter(|s| !s.is_empty());
    let position = |id: &str| items.iter().position(|(item, _)| item == id);
    let (start, end, has_more) = match (after, before) {
        (Some(_), Some(_)) => {
            return Err(Box::new(invalid(
                "Cannot specify both after_id and before_id",
            )));
        }
        (Some(after), None) => match position(after) {
            None => (0, 0, false),
            Some(at) => {
                let start = at + 1;
                let end = (start + limit).min(items.len());
                (start, end, end < items.len())
            }
        },
        (None, Some(before)) => match position(before) {
            None => (0, 0, false),
            Some(end) => {
                let start = end.saturating_sub(limit);
                (start, end, start > 0)
            }
        },
        (None, None) => {
            let end = limit.min(items.len());
            (0, end, end < items.len())
        }
    };
    let page: Vec<(String, T)> = items.into_iter().skip(start).take(end - start).collect();
    Ok(Page {
        first_id: page.first().map(|(id, _)| id.clone()),
        last_id: page.last().map(|(id, _)| id.clone()),
        data: page.into_iter().map(|(_, item)| item).collect(),
        has_more,
        next_page: None,
        extra: Default::default(),
    })
}

/// A JSON reply serialized from a typed value, keeping its field order.
pub(crate) fn typed_json<T: Serialize + ?Sized>(value: &T) -> MockResponse {
    MockResponse::raw("application/json", wire::to_vec(value))
}

/// A 400 `invalid_request_error`.
pub(crate) fn invalid(message: impl Into<String>) -> MockResponse {
    error(ErrorType::InvalidRequest, message)
}

/// A 404 `not_found_error`.
pub(crate) fn not_found(message: impl Into<String>) -> MockResponse {
    error(ErrorType::NotFound, message)
}
