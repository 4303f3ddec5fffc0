//! A list's filters, read from the description: a query parameter of the
//! list endpoint that names a field of the listed objects keeps the
//! objects whose field matches. The name is the field's (`email`,
//! `workspace_id`), its plural for a list of allowed values (`roles[]`
//! for `role`, `statuses[]` for `status`, `ids[]` for `id`), or the field
//! with a bound (`created_at[gte]`, `[gt]`, `[lte]`, `[lt]`). A value
//! outside the values the parameter's type or the field's type allows
//! (a closed enum or a literal), or a bound that is not a date-time, is a
//! 400 `invalid_request_error` naming the parameter, as the API answers.
//! A parameter that names no field of the described type filters only the
//! objects that carry a key of its name (the beta and GA shapes differ: the
//! beta API key has no `workspace_id`, the mock's seeded keys do); those
//! without it, and every object for parameters such as `order` or
//! `include_default`, are kept. `include_archived` is the store's own.

use serde_json::Value;

use super::admin::parse_time;
use super::description::{Api, Endpoint};
use super::list::Sequence;
use crate::query::Query;

/// What one filter asks of a field.
#[derive(Debug)]
enum Test {
    /// The field's value (as text) is one of these.
    OneOf(Vec<String>),
    /// The field's date-time is after (`gt`) ... a bound, in seconds.
    Bound(&'static str, u64),
}

/// One filter: the keys it reads (the first an object has), whether an
/// object without any of them fails it, and its test.
#[derive(Debug)]
struct Condition {
    keys: Vec<String>,
    strict: bool,
    test: Test,
}

/// The filters of one request.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    conditions: Vec<Condition>,
}

impl Filter {
    /// The filters `query` sets on the list `endpoint`, or what is wrong
    /// with one of them.
    pub(crate) fn new(api: &Api, endpoint: &Endpoint, query: &Query) -> Result<Self, String> {
        let fields = api.fields(&endpoint.response).cloned().unwrap_or_default();
        let field = |name: &str| fields.iter().find(|f| f["name"] == name);
        let mut conditions = Vec::new();
        for (name, t) in &endpoint.query {
            if name == "include_archived" {
                continue;
            }
            if let Some((base, op)) = name.strip_suffix(']').and_then(|n| n.split_once('[')) {
                let op = match op {
                    "gt" => "gt",
                    "gte" => "gte",
                    "lt" => "lt",
                    "lte" => "lte",
                    _ => continue,
                };
                let (Some(_), Some(raw)) = (field(base), query.get(name)) else {
                    continue;
                };
                let at = parse_time(raw).ok_or_else(|| {
                    format!("{name}: Input should be a valid datetime, got {raw:?}")
                })?;
                conditions.push(Condition {
                    keys: vec![base.to_owned()],
                    strict: true,
                    test: Test::Bound(op, at),
                });
                continue;
            }
            let (values, item_type) = match t.get("array") {
                Some(inner) => (query.all(name), inner),
                None => (query.get(name).into_iter().collect(), t),
            };
            if values.is_empty() {
                continue;
            }
            let names = [name.as_str(), singular(name, "es"), singular(name, "s")];
            let target = names.into_iter().find_map(field);
            let field_type = target.map_or(&Value::Null, |f| &f["type"]);
            let allowed = allowed(api, item_type).or_else(|| allowed(api, field_type));
            let boolean = item_type == "boolean" || field_type == "boolean";
            for value in &values {
                let fits = match &allowed {
                    Some(allowed) => allowed.iter().any(|a| a == value),
                    None => !boolean || matches!(*value, "true" | "false"),
                };
                if !fits {
                    let expected = match &allowed {
                        Some(allowed) => allowed.join("', '"),
                        None => "true', 'false".to_owned(),
                    };
                    return Err(format!(
                        "{name}: Input should be '{expected}', got {value:?}"
                    ));
                }
            }
            let keys = match target.and_then(|f| f["name"].as_str()) {
                Some(key) => vec![key.to_owned()],
                None => names.iter().map(|n| (*n).to_owned()).collect(),
            };
            let values = values.into_iter().map(str::to_owned).collect();
            conditions.push(Condition {
                keys,
                strict: target.is_some(),
                test: Test::OneOf(values),
            });
        }
        Ok(Self { conditions })
    }

    /// Whether the filter keeps `item`.
    pub(crate) fn keeps(&self, item: &Value) -> bool {
        self.conditions.iter().all(|condition| {
            let Some(value) = condition.keys.iter().find_map(|k| item.get(k.as_str())) else {
                return !condition.strict;
            };
            match &condition.test {
                Test::OneOf(values) => {
                    let text = match value {
                        Value::String(s) => s.clone(),
                        Value::Bool(_) | Value::Number(_) => value.to_string(),
                        _ => return false,
                    };
                    values.contains(&text)
                }
                Test::Bound(op, bound) => {
                    let Some(at) = value.as_str().and_then(parse_time) else {
                        return false;
                    };
                    match *op {
                        "gt" => at > *bound,
                        "gte" => at >= *bound,
                        "lt" => at < *bound,
                        _ => at <= *bound,
                    }
                }
            }
        })
    }

    /// Whether the filter keeps everything.
    pub(crate) fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }
}

/// `name` without its plural `suffix` (`statuses` → `status`).
fn singular<'n>(name: &'n str, suffix: &str) -> &'n str {
    name.strip_suffix(suffix).unwrap_or(name)
}

/// The values a type allows, when it is closed (a literal, an enum).
fn allowed(api: &Api, t: &Value) -> Option<Vec<String>> {
    let strings = |values: &Value| -> Option<Vec<String>> {
        values.as_array().map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
    };
    if let Some(values) = t.get("literal") {
        return strings(values);
    }
    let def = api.def(t.get("ref")?.as_str()?)?;
    match def["kind"].as_str()? {
        "enum" if def["open"] != true => strings(&def["values"]),
        "alias" => allowed(api, &def["type"]),
        _ => None,
    }
}

/// A list seen through a filter: the items it does not keep are hidden.
pub(crate) struct Filtered<'a> {
    pub(crate) items: &'a dyn Sequence,
    pub(crate) filter: &'a Filter,
}

impl Sequence for Filtered<'_> {
    fn len(&self) -> usize {
        self.items.len()
    }

    fn key(&self, at: usize) -> String {
        self.items.key(at)
    }

    fn item(&self, at: usize) -> Option<Value> {
        self.items.item(at).filter(|item| self.filter.keeps(item))
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.items.position(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::description::api;
    use http::Method;
    use serde_json::json;

    fn query(raw: &str) -> Query {
        Query::parse(Some(raw))
    }

    fn filter(path: &str, raw: &str) -> Result<Filter, String> {
        let api = api();
        let endpoint = api.at(&Method::GET, path).expect("a list");
        Filter::new(api, endpoint, &query(raw))
    }

    #[test]
    fn fields_plurals_and_bounds_filter() {
        let users = filter(
            "/v1/organizations/users",
            "email=ada%40example.com&roles%5B%5D=admin&roles%5B%5D=developer",
        )
        .unwrap();
        let ada = json!({"email": "ada@example.com", "role": "developer"});
        assert!(users.keeps(&ada));
        assert!(!users.keeps(&json!({"email": "ada@example.com", "role": "user"})));
        assert!(!users.keeps(&json!({"email": "bob@example.com", "role": "admin"})));

        let plugins = filter(
            "/v1/organizations/plugins",
            "created_at%5Bgte%5D=2026-02-01T00%3A00%3A00Z&created_at[lt]=2026-03-01T00:00:00Z",
        )
        .unwrap();
        assert!(plugins.keeps(&json!({"created_at": "2026-02-01T00:00:00Z"})));
        assert!(!plugins.keeps(&json!({"created_at": "2026-01-31T23:59:59Z"})));
        assert!(!plugins.keeps(&json!({"created_at": "2026-03-01T00:00:00Z"})));

        // Not a field of the described type: only objects with that key.
        let order = filter("/v1/organizations/webhooks", "order=asc").unwrap();
        assert!(order.keeps(&json!({"id": "whep_1"})));
        let keys = filter("/v1/organizations/api_keys", "workspace_id=wrkspc_1").unwrap();
        assert!(keys.keeps(&json!({"workspace_id": "wrkspc_1"})));
        assert!(!keys.keeps(&json!({"workspace_id": "wrkspc_2"})));
        assert!(keys.keeps(&json!({"id": "apikey_1"})));
        assert!(filter("/v1/organizations/webhooks", "").unwrap().is_empty());
    }

    #[test]
    fn values_outside_a_closed_type_are_refused() {
        let role = filter("/v1/organizations/users", "roles[]=astronaut").unwrap_err();
        assert!(role.starts_with("roles: Input should be"), "{role}");
        let status = filter("/v1/organizations/api_keys", "status=sleeping").unwrap_err();
        assert!(status.contains("'active'"), "{status}");
        let bound = filter("/v1/organizations/plugins", "created_at[gte]=yesterday").unwrap_err();
        assert!(bound.starts_with("created_at[gte]:"), "{bound}");
        assert!(filter("/v1/organizations/api_keys", "status=active").is_ok());
    }
}
