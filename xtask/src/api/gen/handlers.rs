//! Handlers: one struct per resource of the SDK (`sessions`,
//! `sessions.events`), one method per endpoint, built on the core's verbs
//! only; the query of an endpoint as a typed struct, its body as an
//! `object!`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use super::naming::{camel, snake_ident};
use super::plan::{Plan, Route, Target, is_cursor_param, module_of};
use super::types::{self, Types};

/// A handler: a node of the SDK's resource tree.
pub(crate) struct Handler {
    pub(crate) path: Vec<String>,
    pub(crate) name: String,
    pub(crate) module: String,
    pub(crate) children: BTreeSet<Vec<String>>,
    pub(crate) routes: Vec<usize>,
}

/// The resource tree of a plan; top-level handlers are those with a path of
/// one segment.
pub(crate) fn tree(
    plan: &Plan<'_>,
    target: &Target,
    types: &mut Types<'_>,
) -> BTreeMap<Vec<String>, Handler> {
    let mut nodes: BTreeMap<Vec<String>, Handler> = BTreeMap::new();
    for (i, route) in plan.routes.iter().enumerate() {
        for depth in 1..=route.handler.len() {
            let path = route.handler[..depth].to_vec();
            let node = nodes.entry(path.clone()).or_insert_with(|| Handler {
                path: path.clone(),
                name: String::new(),
                module: module_of(&route.endpoint.family, target),
                children: BTreeSet::new(),
                routes: Vec::new(),
            });
            if depth == route.handler.len() {
                if node.routes.is_empty() {
                    node.module = module_of(&route.endpoint.family, target);
                }
                node.routes.push(i);
            }
        }
    }
    let paths: Vec<Vec<String>> = nodes.keys().cloned().collect();
    for path in &paths {
        if path.len() > 1 {
            let parent = path[..path.len() - 1].to_vec();
            if let Some(node) = nodes.get_mut(&parent) {
                node.children.insert(path.clone());
            }
        }
        let base = camel(&path.join("_"));
        let name = if types.used.contains(&base) {
            format!("{base}Api")
        } else {
            base
        };
        types.used.insert(name.clone());
        if let Some(node) = nodes.get_mut(path) {
            node.name = name;
        }
    }
    nodes
}

/// The handler structs and their methods, into `types.code`.
pub(crate) fn write(
    plan: &Plan<'_>,
    nodes: &BTreeMap<Vec<String>, Handler>,
    types: &mut Types<'_>,
    streams: &str,
) {
    for node in nodes.values() {
        let name = &node.name;
        let mut out = format!(
            "/// The `{}` endpoints.\n#[derive(Debug, Clone, Copy)]\npub struct {name}<'a> {{\n    client: &'a Client,\n}}\n\nimpl<'a> {name}<'a> {{\n    pub(crate) fn new(client: &'a Client) -> Self {{\n        Self {{ client }}\n    }}\n",
            node.path.join(".")
        );
        for child in &node.children {
            let child = &nodes[child];
            let method = snake_ident(child.path.last().map_or("", String::as_str));
            let _ = write!(
                out,
                "\n    /// The `{}` endpoints.\n    pub fn {method}(&self) -> {}<'a> {{\n        {}::new(self.client)\n    }}\n",
                child.path.join("."),
                child.name,
                child.name
            );
        }
        let mut extra = String::new();
        for &i in &node.routes {
            out.push_str(&method(&plan.routes[i], node, types, streams, &mut extra));
        }
        out.push_str("}\n");
        out.push_str(&extra);
        types.push(&node.module, &out);
    }
}

/// One endpoint's method; its query struct and body object go to `extra`.
fn method(
    route: &Route<'_>,
    node: &Handler,
    types: &mut Types<'_>,
    streams: &str,
    extra: &mut String,
) -> String {
    let e = &route.endpoint.entry;
    let module = node.module.clone();
    let fn_name = snake_ident(&route.method);
    let base = format!(
        "{}{}",
        node.name.trim_end_matches("Api"),
        camel(&route.method)
    );
    let verb = route.endpoint.method().to_ascii_lowercase();
    let path = route.endpoint.path();
    let pagination = e["pagination"].as_str().unwrap_or("");
    let streaming = e["streaming"].as_str().unwrap_or("none") != "none";

    let mut args = String::new();
    let mut chain = format!("self.client.{verb}({path:?})");
    for param in path_params(path) {
        let ident = snake_ident(&param);
        let _ = write!(args, ", {ident}: &str");
        let _ = write!(chain, ".path_param({param:?}, {ident})");
    }
    // `bedrock` only tells the SDK to send the call to Bedrock's control
    // plane; the backend routes by path instead.
    for (key, value) in e["fixed_query"].as_object().into_iter().flatten() {
        if key == "bedrock" {
            continue;
        }
        let _ = write!(chain, ".query({key:?}, {:?})", value.as_str().unwrap_or(""));
    }
    let mut beta_doc = String::new();
    if let Some(beta) = e["beta"].as_str() {
        for b in beta.split(',') {
            let _ = write!(chain, ".beta({:?})", b.trim());
        }
        beta_doc = format!(" Sends `anthropic-beta: {beta}`.");
    }
    let query: Vec<&Value> = e["query"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|q| !is_cursor_param(pagination, q["name"].as_str().unwrap_or("")))
        .collect();
    if !query.is_empty() {
        let qname = unique(types, &format!("{base}Query"));
        extra.push_str(&query_struct(&qname, route, &query, types, &module));
        let _ = write!(args, ", query: &{qname}");
        chain = format!("query.apply({chain})");
    }
    let mut params_name = None;
    let mut events_name = None;
    let multipart = e.pointer("/body/encoding").and_then(Value::as_str) == Some("multipart");
    if let (true, Some(fields)) = (
        multipart,
        e.pointer("/body/fields").and_then(Value::as_array),
    ) {
        // A form is no `object!`: `api check` does not compare its fields
        // (as for the hand-written uploads), so no `request=` marker.
        let pname = unique(types, &format!("{base}Params"));
        let what = format!("[`{}::{fn_name}`]", node.name);
        extra.push_str(&form_struct(&pname, &what, fields, types, &module));
        let _ = write!(args, ", params: {pname}");
        chain.push_str(".multipart(params.into_form())");
    } else if let Some(fields) = e.pointer("/body/fields").and_then(Value::as_array) {
        let pname = unique(types, &format!("{base}Params"));
        let doc = format!(
            "`{pname}`: the body of [`{}::{fn_name}`]; sent as JSON.",
            node.name
        );
        extra.push('\n');
        extra.push_str(&types.object(&module, &pname, &pname, &doc, fields, (false, true)));
        let _ = write!(args, ", params: &{pname}");
        chain.push_str(".json(params)");
        params_name = Some(pname);
    }
    let response = types.rust_ty(&module, &base, "", &e["response"]);
    let headers: Vec<&str> = e["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["name"].as_str())
        .collect();
    let header_doc = if headers.is_empty() {
        String::new()
    } else {
        format!(
            "\n    ///\n    /// Optional headers, set on the returned call: {}.",
            headers
                .iter()
                .map(|h| format!("`{h}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let (ret, body, what) = if streaming {
        let events = types.rust_ty(&module, &base, "", &e["events"]);
        events_name = Some(events.clone());
        (
            format!("{streams}<'a, {events}>"),
            format!("{streams}::new({chain})"),
            format!("opens the stream of [`{events}`]s (await the returned call)"),
        )
    } else if !pagination.is_empty() {
        (
            format!("List<'a, {response}>"),
            format!("{chain}.paginate()"),
            format!("lists [`{response}`]s, page by page (`{pagination}` pagination)"),
        )
    } else if e["response"] == "binary" {
        (
            "ApiCall<'a>".to_owned(),
            chain,
            "returns a binary body: read it with `ApiCall::response`".to_owned(),
        )
    } else {
        (
            format!("ApiCall<'a, {response}>"),
            format!("{chain}.output()"),
            format!("returns a [`{response}`]"),
        )
    };
    // What `api check` compares, read back from the generated file.
    let mut marker = String::new();
    if let Some(params) = params_name {
        let _ = write!(marker, " request={params}");
    }
    if e["response"].get("ref").is_some() {
        let _ = write!(marker, " response={response}");
    }
    if let Some(events) = events_name {
        let _ = write!(marker, " events={events}");
    }
    format!(
        "\n    // endpoint: {route}\n    // types:{marker}\n    /// `{route}`: {what}.{beta_doc}{header_doc}\n    pub fn {fn_name}(&self{args}) -> {ret} {{\n        {body}\n    }}\n",
        route = route.endpoint.route()
    )
}

fn unique(types: &mut Types<'_>, base: &str) -> String {
    let name = (1..)
        .map(|n| {
            if n == 1 {
                base.to_owned()
            } else {
                format!("{base}{n}")
            }
        })
        .find(|n| !types.used.contains(n))
        .unwrap_or_else(|| base.to_owned());
    types.used.insert(name.clone());
    name
}

/// The `{name}` placeholders of a path, in order.
fn path_params(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// A plain struct of the query parameters with the function that adds them
/// to a call: arrays as `name[]=` repeated, names such as `created_at[gte]`
/// exactly as on the wire.
fn query_struct(
    name: &str,
    route: &Route<'_>,
    query: &[&Value],
    types: &mut Types<'_>,
    module: &str,
) -> String {
    let mut fields = String::new();
    let mut apply = String::new();
    for q in query {
        let wire = q["name"].as_str().unwrap_or("");
        let ident = snake_ident(wire);
        let required = if q["required"] == Value::Bool(true) {
            " Required."
        } else {
            ""
        };
        if let Some(inner) = q["type"].get("array") {
            let ty = query_ty(types, module, name, wire, inner);
            let _ = write!(
                fields,
                "    /// `{wire}[]`, once per value.{required}\n    pub {ident}: Vec<{ty}>,\n"
            );
            let _ = writeln!(
                apply,
                "        call = call.query_all(\"{wire}[]\", &self.{ident});"
            );
        } else {
            let ty = query_ty(types, module, name, wire, &q["type"]);
            let _ = write!(
                fields,
                "    /// `{wire}`.{required}\n    pub {ident}: Option<{ty}>,\n"
            );
            let _ = write!(
                apply,
                "        if let Some(value) = &self.{ident} {{\n            call = call.query({wire:?}, value);\n        }}\n"
            );
        }
    }
    format!(
        "\n/// The query of `{route}`; every field unset by default.\n#[derive(Debug, Clone, Default, PartialEq)]\n#[non_exhaustive]\npub struct {name} {{\n{fields}}}\n\nimpl {name} {{\n    fn apply<'c, T>(&self, mut call: ApiCall<'c, T>) -> ApiCall<'c, T> {{\n{apply}        call\n    }}\n}}\n",
        route = route.endpoint.route()
    )
}

/// A query value's type: something `Display` writes as on the wire.
fn query_ty(types: &mut Types<'_>, module: &str, owner: &str, field: &str, t: &Value) -> String {
    match t.as_str() {
        Some("integer") => return "i64".to_owned(),
        Some("number") => return "f64".to_owned(),
        Some("boolean") => return "bool".to_owned(),
        _ => {}
    }
    if types::text_type(t).is_some() {
        return types.rust_ty(module, owner, field, t);
    }
    if let Some(r) = t["ref"].as_str()
        && types.modules.contains_key(r)
        && types
            .description
            .types
            .get(r)
            .is_some_and(|d| d.kind() == "enum")
    {
        let ty = types.rust_ty(module, owner, field, t);
        if !ty.contains("::") {
            return ty;
        }
    }
    "String".to_owned()
}

/// The form of a `multipart/form-data` endpoint: a struct of its fields
/// (files as `FileUpload`s, the rest as text), `new` taking the required
/// ones, and the `Form` it makes: a file array sent as `name[]` once per
/// file, as the official SDKs send it.
fn form_struct(
    name: &str,
    what: &str,
    fields: &[Value],
    types: &mut Types<'_>,
    module: &str,
) -> String {
    const FILE: &str = "claude_rs_client::files::FileUpload";
    let mut decl = String::new();
    let mut args = Vec::new();
    let mut init = Vec::new();
    let mut parts = String::new();
    for f in fields {
        let wire = f["name"].as_str().unwrap_or("");
        let ident = snake_ident(wire);
        let required = f["required"] == Value::Bool(true);
        let (ty, doc, part) = if let Some(inner) = f["type"].get("array") {
            let (item, add) = if inner == "file" {
                (
                    FILE.to_owned(),
                    format!("form = form.file(\"{wire}[]\", value);"),
                )
            } else {
                let item = query_ty(types, module, name, wire, inner);
                let add = text_part(&format!("{wire}[]"), "value", &item);
                (item, add)
            };
            (
                format!("Vec<{item}>"),
                format!("`{wire}[]`, one part per value"),
                format!("        for value in self.{ident} {{\n            {add}\n        }}\n"),
            )
        } else {
            let (ty, add) = if f["type"] == "file" {
                (
                    FILE.to_owned(),
                    format!("form = form.file({wire:?}, value);"),
                )
            } else {
                let ty = query_ty(types, module, name, wire, &f["type"]);
                let add = text_part(wire, "value", &ty);
                (ty, add)
            };
            if required {
                (
                    ty,
                    format!("`{wire}`"),
                    format!("        let value = self.{ident};\n        {add}\n"),
                )
            } else {
                (
                    format!("Option<{ty}>"),
                    format!("`{wire}`"),
                    format!(
                        "        if let Some(value) = self.{ident} {{\n            {add}\n        }}\n"
                    ),
                )
            }
        };
        let note = if required { " Required." } else { "" };
        let _ = write!(decl, "    /// {doc}.{note}\n    pub {ident}: {ty},\n");
        if required {
            args.push(format!("{ident}: {ty}"));
            init.push(ident.clone());
        } else if ty.starts_with("Vec<") {
            init.push(format!("{ident}: Vec::new()"));
        } else {
            init.push(format!("{ident}: None"));
        }
        parts.push_str(&part);
    }
    let default = if args.is_empty() { ", Default" } else { "" };
    format!(
        "\n/// `{name}`: the body of {what}; sent as `multipart/form-data`.\n#[derive(Debug{default})]\n#[non_exhaustive]\npub struct {name} {{\n{decl}}}\n\nimpl {name} {{\n    /// A form with its required fields; the optional ones unset.\n    pub fn new({args}) -> Self {{\n        Self {{ {init} }}\n    }}\n\n    fn into_form(self) -> claude_rs_client::Form {{\n        let mut form = claude_rs_client::Form::new();\n{parts}        form\n    }}\n}}\n",
        args = args.join(", "),
        init = init.join(", "),
    )
}

/// Adds a text part of `value` (of Rust type `ty`) to `form`.
fn text_part(wire: &str, value: &str, ty: &str) -> String {
    if ty == "String" {
        format!("form = form.text({wire:?}, &{value});")
    } else {
        format!("form = form.text({wire:?}, &{value}.to_string());")
    }
}
