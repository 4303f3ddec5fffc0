//! The matchable kinds of the client's own (non-API) errors.

/// Which time limit an [`Error::Timeout`](crate::Error::Timeout) hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The per-attempt request deadline.
    Request,
    /// No bytes arrived on a stream for the idle timeout.
    StreamIdle,
    /// Connecting took longer than the connect timeout.
    Connect,
}

/// What was wrong with an answer, in an [`Error::Protocol`](crate::Error::Protocol).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProtocolKind {
    /// The body ended too soon: a stream before `message_stop` (or before
    /// any event).
    EndedEarly,
    /// An event did not fit the stream so far: a delta for a block that
    /// does not exist, or an event before `message_start`.
    OutOfOrder,
    /// The answer's `content-type` is not the one the call needs (JSON
    /// where an event stream was asked for, HTML from a proxy, ...).
    UnexpectedContentType,
    /// The answer is compressed with an encoding the client did not ask for.
    UnexpectedEncoding,
    /// A listing answered `has_more` without moving its cursor.
    CursorStuck,
    /// A line of a JSONL body is longer than the configured limit.
    LineTooLong,
    /// A backend's own stream framing is corrupt (an Amazon eventstream
    /// frame whose checksum does not match, or whose length is out of
    /// bounds).
    Framing,
}

/// Why a request was refused before it was sent, in an
/// [`Error::InvalidRequest`](crate::Error::InvalidRequest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidRequestKind {
    /// The body could not be serialized, or a file to upload could not be read.
    Body,
    /// An empty id was given where one item is addressed.
    EmptyId,
    /// A header value (beta flag, content type) is not valid in HTTP.
    Header,
    /// A non-streaming call whose `max_tokens` may outlast the deadline.
    NeedsStreaming,
    /// The resource is not in a state that allows the call (batch results
    /// before the batch has ended).
    NotReady,
    /// A helper was used in a way that cannot work (a tool runner polled
    /// after it failed, or with no iteration allowed).
    Usage,
    /// A path or path segment cannot address anything (`.`, `..`, a
    /// control character, a placeholder left unfilled); see
    /// [`encode`](crate::encode).
    PathSegment,
    /// The request uses something the client's API version refuses
    /// (`temperature` under `2026-10-21`); the error's source is a
    /// [`VersionRefusal`](crate::VersionRefusal) naming the field and the
    /// version.
    RefusedByVersion,
}

/// What is wrong with the client's settings, in an
/// [`Error::Config`](crate::Error::Config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigKind {
    /// No credentials were given or found in the environment.
    MissingCredentials,
    /// An Admin API call ([`Credential::Admin`](crate::credentials::Credential::Admin))
    /// on a client without an admin key: neither
    /// [`ClientBuilder::admin_key`](crate::ClientBuilder::admin_key) nor
    /// `ANTHROPIC_ADMIN_KEY` was given. The API key is never used in its
    /// place.
    MissingAdminKey,
    /// A setting a backend needs was neither given nor found in the
    /// environment (a cloud region, a project).
    MissingSetting,
    /// A credential holds characters that cannot go in an HTTP header.
    InvalidCredentials,
    /// A setting has a value that cannot work: a region that is not a
    /// host name label, a project id that is not a path segment, a header
    /// value with characters HTTP does not allow.
    InvalidSetting,
    /// The base URL cannot be used (not http(s), a query, a fragment or
    /// user info in it).
    InvalidBaseUrl,
    /// The `anthropic-version` value is not a valid header value.
    InvalidApiVersion,
    /// The HTTP transport could not be set up (TLS roots, proxy settings).
    Transport,
}
