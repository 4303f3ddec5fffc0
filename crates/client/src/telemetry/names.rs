//! Which SDK method a request is: its span name, route template and the
//! ids its path carries, as the official SDKs name them.

use http::Method;

/// What a request's path says about its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    /// `anthropic.<resource>.<method>`.
    pub(crate) name: &'static str,
    /// The templated path (`http.route`).
    pub(crate) route: &'static str,
    /// Ids from path parameters, by attribute.
    pub(crate) ids: Vec<(&'static str, String)>,
    /// The attribute that gets the created object's `id` from the response.
    pub(crate) created: Option<&'static str>,
}

const BATCH: &str = "anthropic.message.batch.id";
const FILE: &str = "anthropic.file.id";
const SKILL: &str = "anthropic.skill.id";
const VERSION: &str = "anthropic.skill.version.id";

/// The span of a request to `path` (without query), or `None` for a path
/// no SDK method calls (such requests get no span).
pub(crate) fn name(method: &Method, path: &str) -> Option<Named> {
    let rest = path.strip_prefix("/v1/")?;
    let segments: Vec<&str> = rest.split('/').collect();
    let m = method.as_str();
    let named = |name, route| Named {
        name,
        route,
        ids: Vec::new(),
        created: None,
    };
    let with = |mut named: Named, ids: &[(&'static str, &str)]| {
        named.ids = ids.iter().map(|(k, v)| (*k, decode(v))).collect();
        named
    };
    let created = |mut named: Named, attribute| {
        named.created = Some(attribute);
        named
    };
    Some(match (m, segments.as_slice()) {
        ("POST", ["messages"]) => named("anthropic.messages.create", "/v1/messages"),
        ("POST", ["messages", "count_tokens"]) => named(
            "anthropic.messages.count_tokens",
            "/v1/messages/count_tokens",
        ),
        ("POST", ["messages", "batches"]) => created(
            named("anthropic.messages.batches.create", "/v1/messages/batches"),
            BATCH,
        ),
        ("GET", ["messages", "batches"]) => {
            named("anthropic.messages.batches.list", "/v1/messages/batches")
        }
        (_, ["messages", "batches", id]) => {
            let name = match m {
                "GET" => "anthropic.messages.batches.retrieve",
                "DELETE" => "anthropic.messages.batches.delete",
                _ => return None,
            };
            with(
                named(name, "/v1/messages/batches/{message_batch_id}"),
                &[(BATCH, id)],
            )
        }
        ("POST", ["messages", "batches", id, "cancel"]) => with(
            named(
                "anthropic.messages.batches.cancel",
                "/v1/messages/batches/{message_batch_id}/cancel",
            ),
            &[(BATCH, id)],
        ),
        ("GET", ["messages", "batches", id, "results"]) => with(
            named(
                "anthropic.messages.batches.results",
                "/v1/messages/batches/{message_batch_id}/results",
            ),
            &[(BATCH, id)],
        ),
        ("GET", ["models"]) => named("anthropic.models.list", "/v1/models"),
        ("GET", ["models", id]) => with(
            named("anthropic.models.retrieve", "/v1/models/{model_id}"),
            &[("anthropic.model.id", id)],
        ),
        ("GET", ["files"]) => named("anthropic.files.list", "/v1/files"),
        ("POST", ["files"]) => created(named("anthropic.files.upload", "/v1/files"), FILE),
        (_, ["files", id]) => {
            let name = match m {
                "GET" => "anthropic.files.retrieve_metadata",
                "DELETE" => "anthropic.files.delete",
                _ => return None,
            };
            with(named(name, "/v1/files/{file_id}"), &[(FILE, id)])
        }
        ("GET", ["files", id, "content"]) => with(
            named("anthropic.files.download", "/v1/files/{file_id}/content"),
            &[(FILE, id)],
        ),
        ("GET", ["skills"]) => named("anthropic.skills.list", "/v1/skills"),
        ("POST", ["skills"]) => created(named("anthropic.skills.create", "/v1/skills"), SKILL),
        (_, ["skills", id]) => {
            let name = match m {
                "GET" => "anthropic.skills.retrieve",
                "DELETE" => "anthropic.skills.delete",
                _ => return None,
            };
            with(named(name, "/v1/skills/{skill_id}"), &[(SKILL, id)])
        }
        (_, ["skills", id, "versions"]) => {
            let route = "/v1/skills/{skill_id}/versions";
            match m {
                "GET" => with(
                    named("anthropic.skills.versions.list", route),
                    &[(SKILL, id)],
                ),
                "POST" => created(
                    with(
                        named("anthropic.skills.versions.create", route),
                        &[(SKILL, id)],
                    ),
                    VERSION,
                ),
                _ => return None,
            }
        }
        (_, ["skills", id, "versions", version]) => {
            let name = match m {
                "GET" => "anthropic.skills.versions.retrieve",
                "DELETE" => "anthropic.skills.versions.delete",
                _ => return None,
            };
            with(
                named(name, "/v1/skills/{skill_id}/versions/{version}"),
                &[(SKILL, id), (VERSION, version)],
            )
        }
        ("GET", ["skills", id, "versions", version, "content"]) => with(
            named(
                "anthropic.skills.versions.download",
                "/v1/skills/{skill_id}/versions/{version}/content",
            ),
            &[(SKILL, id), (VERSION, version)],
        ),
        ("POST", ["complete"]) => named("anthropic.completions.create", "/v1/complete"),
        _ => return None,
    })
}

/// A path segment as the application gave it (percent-decoded; a
/// malformed escape is kept as it is).
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_named_as_the_official_sdk_names_them() {
        let create = name(&Method::POST, "/v1/messages").unwrap();
        assert_eq!(create.name, "anthropic.messages.create");
        assert!(create.ids.is_empty());
        let cancel = name(&Method::POST, "/v1/messages/batches/msgbatch_1/cancel").unwrap();
        assert_eq!(cancel.name, "anthropic.messages.batches.cancel");
        assert_eq!(
            cancel.route,
            "/v1/messages/batches/{message_batch_id}/cancel"
        );
        assert_eq!(cancel.ids, [(BATCH, "msgbatch_1".to_owned())]);
        let version = name(&Method::DELETE, "/v1/skills/skill%2F1/versions/17").unwrap();
        assert_eq!(version.name, "anthropic.skills.versions.delete");
        assert_eq!(
            version.ids,
            [(SKILL, "skill/1".to_owned()), (VERSION, "17".to_owned())]
        );
        assert_eq!(
            name(&Method::POST, "/v1/files").unwrap().created,
            Some(FILE)
        );
        assert_eq!(
            name(&Method::GET, "/v1/files/file_1/content").unwrap().name,
            "anthropic.files.download"
        );
    }

    #[test]
    fn other_requests_have_no_span_name() {
        assert_eq!(name(&Method::GET, "/v1/messages"), None);
        assert_eq!(name(&Method::PUT, "/v1/models/claude"), None);
        assert_eq!(name(&Method::GET, "/health"), None);
    }
}
