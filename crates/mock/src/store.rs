//! What the mock keeps between requests: batches and files.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use claude_rs_types::batch::{BatchCanceled, BatchResult, RequestCounts};
use claude_rs_types::files::FileMetadata;
use serde::Serialize;

use crate::time::rfc3339;

/// Where a mock batch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    InProgress,
    Canceling,
    Ended,
}

/// A batch held by the mock, with the results it will reveal once ended.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    pub(crate) id: String,
    pub(crate) status: Status,
    pub(crate) polls: u32,
    pub(crate) created_at: SystemTime,
    pub(crate) ended_at: Option<SystemTime>,
    pub(crate) cancel_initiated_at: Option<SystemTime>,
    /// `(custom_id, result)` per request, computed at creation.
    pub(crate) results: Vec<(String, BatchResult)>,
    pub(crate) canceled: bool,
}

/// A batch as the API writes it, fields in the API's order.
#[derive(Serialize)]
pub(crate) struct BatchJson<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    processing_status: &'static str,
    request_counts: RequestCounts,
    ended_at: Option<String>,
    created_at: String,
    expires_at: String,
    archived_at: Option<String>,
    cancel_initiated_at: Option<String>,
    results_url: Option<String>,
}

impl Batch {
    /// Ends the batch now, if it has not ended yet.
    pub(crate) fn end(&mut self) {
        if self.status != Status::Ended {
            self.status = Status::Ended;
            self.ended_at = Some(SystemTime::now());
        }
    }

    /// What a request's result is once the batch has ended.
    pub(crate) fn result_of(&self, result: &BatchResult) -> BatchResult {
        if self.canceled {
            BatchResult::Canceled(BatchCanceled::default())
        } else {
            result.clone()
        }
    }

    /// The batch as the API writes it.
    pub(crate) fn to_json(&self, base_url: &str) -> BatchJson<'_> {
        let mut counts = RequestCounts::default();
        for (_, result) in &self.results {
            let count = if self.status != Status::Ended {
                &mut counts.processing
            } else {
                match self.result_of(result) {
                    BatchResult::Succeeded(_) => &mut counts.succeeded,
                    BatchResult::Canceled(_) => &mut counts.canceled,
                    BatchResult::Expired(_) => &mut counts.expired,
                    _ => &mut counts.errored,
                }
            };
            *count += 1;
        }
        let time = |t: SystemTime| rfc3339(t, "+00:00");
        BatchJson {
            id: &self.id,
            kind: "message_batch",
            processing_status: match self.status {
                Status::InProgress => "in_progress",
                Status::Canceling => "canceling",
                Status::Ended => "ended",
            },
            request_counts: counts,
            ended_at: self.ended_at.map(time),
            created_at: time(self.created_at),
            expires_at: time(self.created_at + Duration::from_secs(86_400)),
            archived_at: None,
            cancel_initiated_at: self.cancel_initiated_at.map(time),
            results_url: (self.status == Status::Ended)
                .then(|| format!("{base_url}/v1/messages/batches/{}/results", self.id)),
        }
    }
}

/// A file held by the mock.
#[derive(Debug, Clone)]
pub(crate) struct StoredFile {
    pub(crate) id: String,
    pub(crate) filename: String,
    pub(crate) mime_type: String,
    pub(crate) bytes: Bytes,
    pub(crate) created_at: String,
    /// Whether the content can be downloaded: only files a tool made can.
    pub(crate) downloadable: bool,
}

impl StoredFile {
    /// The file's metadata, as the Files API returns it.
    pub(crate) fn metadata(&self) -> FileMetadata {
        FileMetadata {
            id: self.id.clone(),
            kind: "file".to_owned(),
            filename: self.filename.clone(),
            mime_type: self.mime_type.clone(),
            size_bytes: self.bytes.len() as u64,
            created_at: self.created_at.clone(),
            downloadable: Some(self.downloadable),
            expires_at: None,
            scope: None,
            extra: Default::default(),
        }
    }
}

/// A skill held by the mock, with its versions (oldest first).
#[derive(Debug, Clone)]
pub(crate) struct StoredSkill {
    pub(crate) id: String,
    pub(crate) display_name: String,
    pub(crate) latest_version_id: String,
    pub(crate) created_at: String,
    pub(crate) versions: Vec<StoredSkillVersion>,
}

/// One version of a skill: what its `SKILL.md` says, and its files packed
/// one after the other (`path\n` then the bytes) as the downloadable content.
#[derive(Debug, Clone)]
pub(crate) struct StoredSkillVersion {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) created_at: String,
    pub(crate) content: bytes::Bytes,
}

impl StoredSkillVersion {
    /// The version as the Skills API returns it.
    pub(crate) fn to_json(&self, skill_id: &str) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "type": "skill_version",
            "skill_id": skill_id,
            "name": self.name,
            "description": self.description,
            "created_at": self.created_at,
        })
    }
}

/// A skill's origin as the API writes it (`{"type": "custom"}`).
#[derive(Serialize)]
pub(crate) struct SourceJson {
    #[serde(rename = "type")]
    kind: &'static str,
}

/// A skill as the API writes it.
#[derive(Serialize)]
pub(crate) struct SkillJson<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    display_name: &'a str,
    source: SourceJson,
    latest_version_id: &'a str,
    created_at: &'a str,
    updated_at: &'a str,
}

impl StoredSkill {
    /// The skill as the Skills API returns it.
    pub(crate) fn to_json(&self) -> SkillJson<'_> {
        SkillJson {
            id: &self.id,
            kind: "skill",
            display_name: &self.display_name,
            source: SourceJson { kind: "custom" },
            latest_version_id: &self.latest_version_id,
            created_at: &self.created_at,
            updated_at: &self.created_at,
        }
    }
}
