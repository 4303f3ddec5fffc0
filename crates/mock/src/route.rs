//! [`Route`]: which API endpoint a request is for.

use http::Method;

/// An endpoint of the API that the mock serves.
///
/// Scripted replies, handlers and faults are attached per route, so a test
/// can, say, fail `count_tokens` while `messages` keeps answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Route {
    /// `POST /v1/messages`.
    Messages,
    /// `POST /v1/messages/count_tokens`.
    CountTokens,
    /// `POST /v1/messages/batches`.
    CreateBatch,
    /// `GET /v1/messages/batches`.
    ListBatches,
    /// `GET /v1/messages/batches/{id}`.
    GetBatch,
    /// `POST /v1/messages/batches/{id}/cancel`.
    CancelBatch,
    /// `DELETE /v1/messages/batches/{id}`.
    DeleteBatch,
    /// `GET /v1/messages/batches/{id}/results`.
    BatchResults,
    /// `GET /v1/models`.
    ListModels,
    /// `GET /v1/models/{id}`.
    GetModel,
    /// `POST /v1/files`.
    UploadFile,
    /// `GET /v1/files`.
    ListFiles,
    /// `GET /v1/files/{id}`.
    GetFile,
    /// `GET /v1/files/{id}/content`.
    FileContent,
    /// `DELETE /v1/files/{id}`.
    DeleteFile,
    /// `POST /v1/skills`.
    CreateSkill,
    /// `GET /v1/skills`.
    ListSkills,
    /// `GET /v1/skills/{id}`.
    GetSkill,
    /// `DELETE /v1/skills/{id}`.
    DeleteSkill,
    /// `POST /v1/skills/{id}/versions`.
    CreateSkillVersion,
    /// `GET /v1/skills/{id}/versions`.
    ListSkillVersions,
    /// `GET /v1/skills/{id}/versions/{version}` (the parameter is
    /// `{id}/{version}`).
    GetSkillVersion,
    /// `DELETE /v1/skills/{id}/versions/{version}`.
    DeleteSkillVersion,
    /// `GET /v1/skills/{id}/versions/{version}/content`.
    SkillVersionContent,
    /// Every call under `/v1/agents` (Managed Agents: agents and their
    /// versions); the parameter is the path after `/v1/`.
    Agents,
    /// Every call under `/v1/environments` but the work queue; the
    /// parameter is the path after `/v1/`.
    Environments,
    /// The work queue of a self-hosted environment,
    /// `/v1/environments/{id}/work...`; the parameter is the path after `/v1/`.
    EnvironmentWork,
    /// Every call under `/v1/sessions` (sessions, resources, threads) but
    /// events and streams; the parameter is the path after `/v1/`.
    Sessions,
    /// `GET` and `POST /v1/sessions/{id}/events`, and
    /// `GET /v1/sessions/{id}/threads/{thread_id}/events`; the parameter is
    /// the path after `/v1/`.
    SessionEvents,
    /// The event streams: `GET /v1/sessions/{id}/events/stream` and
    /// `GET /v1/sessions/{id}/threads/{thread_id}/stream`; the parameter is
    /// the path after `/v1/`.
    SessionStream,
    /// `GET /v1/organizations/me` (the Admin API; a minimal stand-in).
    GetOrganization,
}

/// Every route with its name in scripts and the control API, in the order
/// of the enum.
const NAMES: [(Route, &str); 31] = [
    (Route::Messages, "messages"),
    (Route::CountTokens, "count_tokens"),
    (Route::CreateBatch, "create_batch"),
    (Route::ListBatches, "list_batches"),
    (Route::GetBatch, "get_batch"),
    (Route::CancelBatch, "cancel_batch"),
    (Route::DeleteBatch, "delete_batch"),
    (Route::BatchResults, "batch_results"),
    (Route::ListModels, "list_models"),
    (Route::GetModel, "get_model"),
    (Route::UploadFile, "upload_file"),
    (Route::ListFiles, "list_files"),
    (Route::GetFile, "get_file"),
    (Route::FileContent, "file_content"),
    (Route::DeleteFile, "delete_file"),
    (Route::CreateSkill, "create_skill"),
    (Route::ListSkills, "list_skills"),
    (Route::GetSkill, "get_skill"),
    (Route::DeleteSkill, "delete_skill"),
    (Route::CreateSkillVersion, "create_skill_version"),
    (Route::ListSkillVersions, "list_skill_versions"),
    (Route::GetSkillVersion, "get_skill_version"),
    (Route::DeleteSkillVersion, "delete_skill_version"),
    (Route::SkillVersionContent, "skill_version_content"),
    (Route::Agents, "agents"),
    (Route::Environments, "environments"),
    (Route::EnvironmentWork, "environment_work"),
    (Route::Sessions, "sessions"),
    (Route::SessionEvents, "session_events"),
    (Route::SessionStream, "session_stream"),
    (Route::GetOrganization, "get_organization"),
];

impl Route {
    /// The route's name in JSON scripts and the control API: the variant
    /// in snake case (`messages`, `count_tokens`, `list_files`, ...).
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(route, _)| *route == self)
            .map_or("unknown", |(_, name)| name)
    }

    /// The route named `name` (see [`Route::name`]).
    pub fn from_name(name: &str) -> Option<Route> {
        NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(route, _)| *route)
    }

    /// Every route's name, for messages that list the choices.
    pub(crate) fn names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().map(|(_, name)| *name)
    }

    /// The route of a method and path, with the path's id parameter if any;
    /// `None` for anything the API does not serve.
    pub fn resolve(method: &Method, path: &str) -> Option<(Route, Option<String>)> {
        let path = path.strip_suffix('/').unwrap_or(path);
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        let id = |s: &str| Some(s.to_owned());
        let (route, param) = match (method, segments.as_slice()) {
            (&Method::POST, ["v1", "messages"]) => (Route::Messages, None),
            (&Method::POST, ["v1", "messages", "count_tokens"]) => (Route::CountTokens, None),
            (&Method::POST, ["v1", "messages", "batches"]) => (Route::CreateBatch, None),
            (&Method::GET, ["v1", "messages", "batches"]) => (Route::ListBatches, None),
            (&Method::GET, ["v1", "messages", "batches", b]) => (Route::GetBatch, id(b)),
            (&Method::POST, ["v1", "messages", "batches", b, "cancel"]) => {
                (Route::CancelBatch, id(b))
            }
            (&Method::DELETE, ["v1", "messages", "batches", b]) => (Route::DeleteBatch, id(b)),
            (&Method::GET, ["v1", "messages", "batches", b, "results"]) => {
                (Route::BatchResults, id(b))
            }
            (&Method::GET, ["v1", "models"]) => (Route::ListModels, None),
            (&Method::GET, ["v1", "models", m]) => (Route::GetModel, id(m)),
            (&Method::POST, ["v1", "files"]) => (Route::UploadFile, None),
            (&Method::GET, ["v1", "files"]) => (Route::ListFiles, None),
            (&Method::GET, ["v1", "files", f]) => (Route::GetFile, id(f)),
            (&Method::GET, ["v1", "files", f, "content"]) => (Route::FileContent, id(f)),
            (&Method::DELETE, ["v1", "files", f]) => (Route::DeleteFile, id(f)),
            (&Method::POST, ["v1", "skills"]) => (Route::CreateSkill, None),
            (&Method::GET, ["v1", "skills"]) => (Route::ListSkills, None),
            (&Method::GET, ["v1", "skills", s]) => (Route::GetSkill, id(s)),
            (&Method::DELETE, ["v1", "skills", s]) => (Route::DeleteSkill, id(s)),
            (&Method::POST, ["v1", "skills", s, "versions"]) => (Route::CreateSkillVersion, id(s)),
            (&Method::GET, ["v1", "skills", s, "versions"]) => (Route::ListSkillVersions, id(s)),
            (&Method::GET, ["v1", "skills", s, "versions", v]) if !s.is_empty() => {
                (Route::GetSkillVersion, Some(format!("{s}/{v}")))
            }
            (&Method::DELETE, ["v1", "skills", s, "versions", v]) if !s.is_empty() => {
                (Route::DeleteSkillVersion, Some(format!("{s}/{v}")))
            }
            (&Method::GET, ["v1", "skills", s, "versions", v, "content"]) if !s.is_empty() => {
                (Route::SkillVersionContent, Some(format!("{s}/{v}")))
            }
            (
                _,
                [
                    "v1",
                    family @ ("agents" | "environments" | "sessions"),
                    rest @ ..,
                ],
            ) => {
                if rest.iter().any(|s| s.is_empty()) {
                    return None;
                }
                let route = match (*family, rest) {
                    ("agents", _) => Route::Agents,
                    ("environments", [_, "work", ..]) => Route::EnvironmentWork,
                    ("environments", _) => Route::Environments,
                    (_, [_, "events", "stream"] | [_, "threads", _, "stream"]) => {
                        Route::SessionStream
                    }
                    (_, [_, "events"] | [_, "threads", _, "events"]) => Route::SessionEvents,
                    _ => Route::Sessions,
                };
                (route, Some(segments[1..].join("/")))
            }
            (&Method::GET, ["v1", "organizations", "me"]) => (Route::GetOrganization, None),
            _ => return None,
        };
        if param.as_deref() == Some("") {
            return None;
        }
        Some((route, param))
    }

    /// Whether a reply on this route is a Messages reply (a message served
    /// as JSON or SSE), which is what [`crate::MockResponse::text`] and its
    /// siblings build.
    pub fn is_messages(self) -> bool {
        self == Route::Messages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_with_ids() {
        let r = Route::resolve(&Method::GET, "/v1/messages/batches/msgbatch_1/results");
        assert_eq!(
            r,
            Some((Route::BatchResults, Some("msgbatch_1".to_owned())))
        );
        assert_eq!(
            Route::resolve(&Method::POST, "/v1/messages/"),
            Some((Route::Messages, None))
        );
        assert_eq!(Route::resolve(&Method::GET, "/v1/messages"), None);
        assert_eq!(Route::resolve(&Method::GET, "/v1/files//content"), None);
        assert_eq!(Route::resolve(&Method::GET, "/nope"), None);
        assert_eq!(
            Route::resolve(&Method::GET, "/v1/sessions/sesn_1/events/stream"),
            Some((
                Route::SessionStream,
                Some("sessions/sesn_1/events/stream".to_owned())
            ))
        );
        assert_eq!(
            Route::resolve(&Method::POST, "/v1/environments/env_1/work/w_1/ack"),
            Some((
                Route::EnvironmentWork,
                Some("environments/env_1/work/w_1/ack".to_owned())
            ))
        );
        assert_eq!(
            Route::resolve(&Method::GET, "/v1/agents"),
            Some((Route::Agents, Some("agents".to_owned())))
        );
        assert_eq!(Route::resolve(&Method::GET, "/v1/agents//versions"), None);
    }

    #[test]
    fn names_round_trip() {
        for (route, name) in NAMES {
            assert_eq!(route.name(), name);
            assert_eq!(Route::from_name(name), Some(route));
        }
        assert_eq!(Route::from_name("Messages"), None);
    }
}
