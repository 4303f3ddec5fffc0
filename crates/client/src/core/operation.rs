//! [`Operation`]: which call of the API a request is.

use std::fmt;

/// Which call of the API a request is, so that a [`Backend`]
/// can route it or refuse it.
///
/// [`Backend`]: crate::backend::Backend
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /v1/messages`, answered whole.
    CreateMessage,
    /// `POST /v1/messages` with `stream: true`.
    StreamMessage,
    /// `POST /v1/messages/count_tokens`.
    CountTokens,
    /// Any call of the Message Batches API (`/v1/messages/batches...`).
    Batches,
    /// Any call of the Models API (`/v1/models...`).
    Models,
    /// Any call of the Files API (`/v1/files...`).
    Files,
    /// Any call of the Skills API (`/v1/skills...`).
    Skills,
    /// `POST /v1/complete`, the legacy Text Completions API.
    Complete,
    /// Any call of the Admin API (`/v1/organizations...`), which only
    /// Anthropic's own API serves; sent with the admin key (see
    /// [`credentials`](crate::credentials#the-admin-key)).
    Admin,
    /// Any call of a Managed Agents resource (`/v1/agents...`,
    /// `/v1/sessions...`, `/v1/environments...`, ...), made through the
    /// generic verbs ([`Client::get`](crate::Client::get), ...).
    ManagedAgents {
        /// The resource's path segment under `/v1/` (`sessions`, `vaults`).
        resource: &'static str,
    },
    /// Any other call, made through the generic verbs
    /// ([`Client::get`](crate::Client::get), ...): whatever the API adds.
    Other,
}

/// The Managed Agents resources, by their path segment under `/v1/`.
const MANAGED_AGENTS: &[&str] = &[
    "agents",
    "compliance",
    "deployment_runs",
    "deployments",
    "dreams",
    "environments",
    "memory_stores",
    "sessions",
    "tunnels",
    "user_profiles",
    "vaults",
];

impl Operation {
    /// Which call a request to `path` is: the one rule that maps the
    /// verbs' calls to the operations a backend routes. `streamed` is true
    /// for a call answered with an event stream.
    pub(crate) fn of(method: &http::Method, path: &str, streamed: bool) -> Self {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        match path {
            "/v1/messages" if method == http::Method::POST && streamed => Operation::StreamMessage,
            "/v1/messages" if method == http::Method::POST => Operation::CreateMessage,
            "/v1/messages/count_tokens" => Operation::CountTokens,
            "/v1/complete" => Operation::Complete,
            _ if under("/v1/messages/batches") => Operation::Batches,
            _ if under("/v1/models") => Operation::Models,
            _ if under("/v1/files") => Operation::Files,
            _ if under("/v1/skills") => Operation::Skills,
            _ if under("/v1/organizations") => Operation::Admin,
            _ => {
                let segment = path
                    .strip_prefix("/v1/")
                    .and_then(|rest| rest.split(['/', '?']).next());
                match MANAGED_AGENTS.iter().find(|r| Some(**r) == segment) {
                    Some(resource) => Operation::ManagedAgents { resource },
                    None => Operation::Other,
                }
            }
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::CreateMessage => "creating a message",
            Operation::StreamMessage => "streaming a message",
            Operation::CountTokens => "token counting",
            Operation::Batches => "the Message Batches API",
            Operation::Models => "the Models API",
            Operation::Files => "the Files API",
            Operation::Skills => "the Skills API",
            Operation::Complete => "the Text Completions API",
            Operation::Admin => "the Admin API",
            Operation::ManagedAgents { resource } => {
                return write!(f, "the Managed Agents resource /v1/{resource}");
            }
            Operation::Other => "a call outside the Messages family",
        })
    }
}

#[cfg(test)]
mod tests {
    use http::Method;

    use super::Operation;

    #[test]
    fn paths_map_to_the_operations_backends_route() {
        let post = Method::POST;
        let get = Method::GET;
        for (method, path, streamed, expected) in [
            (&post, "/v1/messages", false, Operation::CreateMessage),
            (&post, "/v1/messages", true, Operation::StreamMessage),
            (
                &post,
                "/v1/messages/count_tokens",
                false,
                Operation::CountTokens,
            ),
            (&post, "/v1/complete", false, Operation::Complete),
            (&post, "/v1/messages/batches", false, Operation::Batches),
            (
                &get,
                "/v1/messages/batches/b_1/results",
                false,
                Operation::Batches,
            ),
            (&get, "/v1/models", false, Operation::Models),
            (&get, "/v1/models/claude-sonnet-5", false, Operation::Models),
            (&get, "/v1/files/f_1/content", false, Operation::Files),
            (&get, "/v1/skills/s_1/versions", false, Operation::Skills),
            (&get, "/v1/messages", false, Operation::Other),
            (&get, "/v1/modelsx", false, Operation::Other),
            (
                &get,
                "/v1/agents",
                false,
                Operation::ManagedAgents { resource: "agents" },
            ),
            (
                &get,
                "/v1/sessions/s_1/events/stream",
                true,
                Operation::ManagedAgents {
                    resource: "sessions",
                },
            ),
            (
                &post,
                "/v1/environments/e_1/archive",
                false,
                Operation::ManagedAgents {
                    resource: "environments",
                },
            ),
            (&get, "/v1/agentsx", false, Operation::Other),
            (&get, "/v1/unknown", false, Operation::Other),
            (&get, "/v1/organizations/me", false, Operation::Admin),
            (&get, "/v1/organizations", false, Operation::Admin),
            (&get, "/v1/organizationsx", false, Operation::Other),
        ] {
            assert_eq!(
                Operation::of(method, path, streamed),
                expected,
                "{method} {path}"
            );
        }
    }
}
