//! Error bodies of the API, and the `error` stream event.

use crate::error_code::ErrorDetails;
use crate::macros::{object, string_enum};

string_enum! {
    /// The kind of an API error (`error.type`).
    pub enum ErrorType {
        /// 400: the request is malformed.
        InvalidRequest => "invalid_request_error",
        /// 401: the API key is missing or wrong.
        Authentication => "authentication_error",
        /// 402: a billing problem.
        Billing => "billing_error",
        /// 403: the key may not use this resource.
        Permission => "permission_error",
        /// 404: no such resource.
        NotFound => "not_found_error",
        /// 409: the request conflicts with the resource's current state.
        Conflict => "conflict_error",
        /// A memory store path conflicts with an existing one.
        MemoryPathConflict => "memory_path_conflict_error",
        /// A precondition of a memory store operation failed.
        MemoryPreconditionFailed => "memory_precondition_failed_error",
        /// 413: the request is too large.
        RequestTooLarge => "request_too_large",
        /// 429: rate limited.
        RateLimit => "rate_limit_error",
        /// 500: an error inside the API.
        Api => "api_error",
        /// 504: the request timed out inside the API.
        Timeout => "timeout_error",
        /// 529: the API is overloaded.
        Overloaded => "overloaded_error",
    }
}

object! {
    /// An error body (`{"type": "error", "error": {...}, "request_id": ...}`),
    /// also the payload of the `error` stream event.
    pub struct ErrorResponse {
        required {
            /// What went wrong.
            error: ApiErrorObject,
        }
        optional {
            /// `error` in a response body; absent inside a stream event, whose
            /// tag the event union writes.
            kind: String = "type",
            /// The request's id, for support.
            request_id: String,
        }
    }
}

object! {
    /// The `error` object of an error body.
    pub struct ApiErrorObject {
        required {
            /// The kind of error.
            kind: ErrorType = "type",
            /// A human-readable message.
            message: String,
        }
        optional {
            /// Structured detail, for some errors: its `error_code` names the cause.
            details: ErrorDetails,
        }
    }
}
