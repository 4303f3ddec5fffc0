//! The part of the API description the store serves from: the Managed
//! Agents and Admin endpoints with their pagination, response types and
//! required body fields, and the types those responses reach. The data is
//! `src/generated/api.json`, generated from the repository's `api/` by
//! `cargo xtask api mock-data` (and checked current in CI).
//!
//! Bedrock's control plane serves some of the same paths with its own
//! types (a memory store names its store backend); its endpoints are kept
//! under the platform's base path (`/anthropic/v1/memory_stores`), where its
//! requests arrive, so its objects live apart from the first-party ones.

use std::collections::HashMap;
use std::sync::OnceLock;

use http::Method;
use serde_json::Value;

use crate::vocab::Platform;

/// The generated data, compiled in.
const DATA: &str = include_str!("../generated/api.json");

/// How an endpoint pages its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pagination {
    /// `after_id`/`before_id`; `{data, has_more, first_id, last_id}`.
    Page,
    /// `page`; `{data, next_page}`.
    Cursor,
    /// `page`; `{data, next_page, prev_page}`.
    Bidirectional,
    /// `page`; `{data, has_more, next_page}`, items are time buckets.
    Report,
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    Param(String),
}

/// One endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) segments: Vec<Segment>,
    pub(crate) pagination: Option<Pagination>,
    /// The response type (the item type of a list).
    pub(crate) response: Value,
    /// The body is JSON (not multipart, not none).
    pub(crate) json_body: bool,
    /// The body is `multipart/form-data`.
    pub(crate) multipart: bool,
    /// The body fields a request must have.
    pub(crate) required: Vec<String>,
    /// A list's filters: each query parameter's name and type (the cursor
    /// and page size left out).
    pub(crate) query: Vec<(String, Value)>,
    /// Who serves it: the first-party API or Bedrock's control plane.
    pub(crate) platform: Platform,
}

impl Endpoint {
    /// Whether the template ends with a parameter (`.../{id}`).
    pub(crate) fn ends_with_param(&self) -> bool {
        matches!(self.segments.last(), Some(Segment::Param(_)))
    }

    /// The template's base: `/anthropic` on Bedrock's control plane, else
    /// empty.
    pub(crate) fn base(&self) -> &'static str {
        self.platform.base_path()
    }

    /// The name of the template's last parameter, if it ends with one.
    pub(crate) fn last_param(&self) -> Option<&str> {
        match self.segments.last() {
            Some(Segment::Param(name)) => Some(name),
            _ => None,
        }
    }
}

/// The description: endpoints and types.
#[derive(Debug, Default)]
pub(crate) struct Api {
    pub(crate) endpoints: Vec<Endpoint>,
    pub(crate) types: HashMap<String, Value>,
}

/// The description, parsed once.
pub(crate) fn api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    API.get_or_init(|| parse(DATA).unwrap_or_default())
}

fn parse(text: &str) -> Option<Api> {
    let file: Value = serde_json::from_str(text).ok()?;
    let mut api = Api::default();
    for entry in file["endpoints"].as_array()? {
        let method = Method::from_bytes(entry["method"].as_str()?.as_bytes()).ok()?;
        let platform = match entry["platform"].as_str() {
            None => Platform::Anthropic,
            Some("bedrock") => Platform::BedrockControlPlane,
            Some(_) => return None,
        };
        let path = format!("{}{}", platform.base_path(), entry["path"].as_str()?);
        let segments = split(&path)
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Param(name.to_owned()),
                    None => Segment::Literal(s.to_owned()),
                },
            )
            .collect();
        let pagination = match entry["pagination"].as_str() {
            Some("page") => Some(Pagination::Page),
            Some("page_cursor") => Some(Pagination::Cursor),
            Some("page_cursor_bidirectional") => Some(Pagination::Bidirectional),
            Some("report_cursor") => Some(Pagination::Report),
            _ => None,
        };
        let required = entry["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        api.endpoints.push(Endpoint {
            method,
            path,
            segments,
            pagination,
            response: entry["response"].clone(),
            json_body: entry["encoding"] == "json",
            multipart: entry["encoding"] == "multipart",
            required,
            query: entry["query"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|q| Some((q["name"].as_str()?.to_owned(), q["type"].clone())))
                .collect(),
            platform,
        });
    }
    for (id, def) in file["types"].as_object()? {
        api.types.insert(id.clone(), def.clone());
    }
    Some(api)
}

/// The segments of a path after the leading `/`.
pub(crate) fn split(path: &str) -> impl Iterator<Item = &str> {
    path.trim_end_matches('/').split('/').skip(1)
}

/// A template without the base of Bedrock's control plane: the first-party
/// template it stands for.
pub(crate) fn unbased(template: &str) -> &str {
    template
        .strip_prefix(Platform::BedrockControlPlane.base_path())
        .unwrap_or(template)
}

impl Api {
    /// The endpoint serving `method path`, with the path's parameter values;
    /// where templates overlap, the one with literals earliest wins
    /// (`/work/poll` before `/work/{work_id}`).
    pub(crate) fn find(&self, method: &Method, path: &str) -> Option<(&Endpoint, Vec<String>)> {
        let parts: Vec<&str> = split(path).collect();
        if parts.iter().any(|p| p.is_empty()) {
            return None;
        }
        let mut best: Option<(u64, &Endpoint)> = None;
        for endpoint in self.endpoints.iter().filter(|e| e.method == method) {
            if endpoint.segments.len() != parts.len() {
                continue;
            }
            let mut score = 0u64;
            let fits =
                endpoint
                    .segments
                    .iter()
                    .zip(&parts)
                    .enumerate()
                    .all(|(i, (s, p))| match s {
                        Segment::Literal(l) => {
                            score |= 1 << (63 - i.min(63));
                            l == p
                        }
                        Segment::Param(_) => true,
                    });
            if fits && best.is_none_or(|(b, _)| score > b) {
                best = Some((score, endpoint));
            }
        }
        let (_, endpoint) = best?;
        let params = endpoint
            .segments
            .iter()
            .zip(&parts)
            .filter(|(s, _)| matches!(s, Segment::Param(_)))
            .map(|(_, p)| (*p).to_owned())
            .collect();
        Some((endpoint, params))
    }

    /// The endpoint of `method` at exactly `template`.
    pub(crate) fn at(&self, method: &Method, template: &str) -> Option<&Endpoint> {
        self.endpoints
            .iter()
            .find(|e| e.method == method && e.path == template)
    }

    /// A type definition.
    pub(crate) fn def(&self, id: &str) -> Option<&Value> {
        self.types.get(id)
    }

    /// The fields of an object type (following aliases), if it is one.
    pub(crate) fn fields(&self, t: &Value) -> Option<&Vec<Value>> {
        let def = self.def(t.get("ref")?.as_str()?)?;
        match def["kind"].as_str()? {
            "object" => def["fields"].as_array(),
            "alias" => self.fields(&def["type"]),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_data_parses() {
        let api = parse(DATA).expect("the generated data parses");
        assert!(api.endpoints.len() > 200, "{}", api.endpoints.len());
        for endpoint in &api.endpoints {
            if let Some(id) = endpoint.response.get("ref").and_then(Value::as_str) {
                assert!(api.types.contains_key(id), "{id}");
            }
        }
    }

    #[test]
    fn literals_win_over_parameters() {
        let api = api();
        let (e, params) = api
            .find(
                &Method::POST,
                "/v1/organizations/plugin_marketplaces/validate_repository",
            )
            .expect("found");
        assert_eq!(
            e.path,
            "/v1/organizations/plugin_marketplaces/validate_repository"
        );
        assert!(params.is_empty());
        let (e, params) = api
            .find(&Method::GET, "/v1/vaults/vlt_1/credentials/vcrd_2")
            .expect("found");
        assert_eq!(e.path, "/v1/vaults/{vault_id}/credentials/{credential_id}");
        assert_eq!(params, ["vlt_1", "vcrd_2"]);
        assert!(api.find(&Method::GET, "/v1/vaults//credentials").is_none());
        assert!(api.find(&Method::PUT, "/v1/vaults").is_none());
    }

    #[test]
    fn bedrock_endpoints_sit_under_the_control_plane_base() {
        let api = api();
        let first_party = api
            .at(&Method::POST, "/v1/memory_stores")
            .expect("first party");
        assert_eq!(first_party.platform, Platform::Anthropic);
        assert_eq!(first_party.response["ref"], "BetaManagedAgentsMemoryStore");
        let (bedrock, params) = api
            .find(&Method::GET, "/anthropic/v1/memory_stores/memstore_1")
            .expect("found");
        assert_eq!(bedrock.platform, Platform::BedrockControlPlane);
        assert_eq!(bedrock.base(), "/anthropic");
        assert_eq!(
            bedrock.response["ref"],
            "BetaManagedAgentsBedrockMemoryStore"
        );
        assert_eq!(params, ["memstore_1"]);
        assert_eq!(
            unbased(&bedrock.path),
            "/v1/memory_stores/{memory_store_id}"
        );
        assert_eq!(unbased("/v1/vaults"), "/v1/vaults");
    }
}
