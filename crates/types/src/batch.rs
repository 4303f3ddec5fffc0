//! Message Batches: many Messages requests processed asynchronously.

use crate::error::ErrorResponse;
use crate::macros::{object, string_enum, tagged_union};
use crate::message::Message;
use crate::request::CreateMessageRequest;

object! {
    /// The body of `POST /v1/messages/batches`.
    pub struct CreateBatchRequest {
        required {
            /// The requests, each with an id unique within the batch.
            requests: Vec<BatchRequest>,
        }
        optional {}
    }
}

object! {
    /// One request of a batch.
    pub struct BatchRequest {
        required {
            /// The id that names this request's result.
            custom_id: String,
            /// The Messages request (not streaming).
            params: CreateMessageRequest,
        }
        optional {}
    }
}

impl BatchRequest {
    /// A batch request from its id and parameters.
    pub fn new(custom_id: impl Into<String>, params: CreateMessageRequest) -> Self {
        Self::from_required(custom_id.into(), params)
    }
}

string_enum! {
    /// Where a batch is in its life.
    pub enum ProcessingStatus {
        /// Requests are being processed.
        InProgress => "in_progress",
        /// Cancellation was asked for and is under way.
        Canceling => "canceling",
        /// Every request has a result.
        Ended => "ended",
    }
}

object! {
    /// A Message Batch (`type: "message_batch"`).
    pub struct MessageBatch {
        required {
            /// The batch id (`msgbatch_...`).
            id: String,
            /// `message_batch`.
            kind: String = "type",
            /// Where the batch is in its life.
            processing_status: ProcessingStatus,
            /// Requests by state.
            request_counts: RequestCounts,
            /// When it was created (RFC 3339).
            created_at: String,
            /// When it expires if not ended (RFC 3339).
            expires_at: String,
        }
        optional {
            /// When it ended.
            ended_at: String,
            /// When it was archived.
            archived_at: String,
            /// When cancellation was asked for.
            cancel_initiated_at: String,
            /// Where the results are, once ended.
            results_url: String,
        }
    }
}

impl MessageBatch {
    /// Whether every request has a result.
    pub fn is_ended(&self) -> bool {
        self.processing_status == ProcessingStatus::Ended
    }
}

object! {
    /// Requests of a batch by state.
    #[derive(Default)]
    pub struct RequestCounts {
        required {
            /// Still processing.
            processing: u64,
            /// Succeeded.
            succeeded: u64,
            /// Failed.
            errored: u64,
            /// Canceled.
            canceled: u64,
            /// Expired before processing.
            expired: u64,
        }
        optional {}
    }
}

object! {
    /// One line of a batch's results (JSONL).
    pub struct BatchResultLine {
        required {
            /// The request's `custom_id`.
            custom_id: String,
            /// What became of it.
            result: BatchResult,
        }
        optional {}
    }
}

tagged_union! {
    /// What became of one request of a batch.
    pub enum BatchResult {
        /// It succeeded.
        "succeeded" => Succeeded(BatchSucceeded),
        /// It failed.
        "errored" => Errored(BatchErrored),
        /// The batch was canceled first.
        "canceled" => Canceled(BatchCanceled),
        /// The batch expired first.
        "expired" => Expired(BatchExpired),
    }
}

object! {
    /// A request that succeeded.
    pub struct BatchSucceeded {
        required {
            /// The reply.
            message: Message,
        }
        optional {}
    }
}

object! {
    /// A request that failed.
    pub struct BatchErrored {
        required {
            /// The error.
            error: ErrorResponse,
        }
        optional {}
    }
}

object! {
    /// A request not processed because the batch was canceled.
    #[derive(Default)]
    pub struct BatchCanceled {
        required {}
        optional {}
    }
}

object! {
    /// A request not processed because the batch expired.
    #[derive(Default)]
    pub struct BatchExpired {
        required {}
        optional {}
    }
}

object! {
    /// The answer of deleting a batch.
    pub struct DeletedMessageBatch {
        required {
            /// The deleted batch's id.
            id: String,
        }
        optional {
            /// `message_batch_deleted`.
            kind: String = "type",
        }
    }
}
