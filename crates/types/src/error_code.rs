//! The cause of an API error (`error.details.error_code`): branch on it
//! rather than on the message. An error without a code, or with a code this
//! version does not know, is still its `type` ([`ErrorType`](crate::ErrorType)).

use crate::macros::{object, string_enum};

object! {
    /// Structured detail of an API error (`error.details`). The fields
    /// beside `error_code` depend on the code and are kept in `extra`.
    #[derive(Default)]
    pub struct ErrorDetails {
        required {}
        optional {
            /// What caused the error.
            error_code: ErrorCode,
        }
    }
}

string_enum! {
    /// The cause of an API error (`error.details.error_code`).
    pub enum ErrorCode {
        /// Approval required.
        ApprovalRequired => "approval_required",
        /// Authorization check unavailable.
        AuthorizationCheckUnavailable => "authorization_check_unavailable",
        /// Available tools limit exceeded.
        AvailableToolsLimitExceeded => "available_tools_limit_exceeded",
        /// Change outcome unknown.
        ChangeOutcomeUnknown => "change_outcome_unknown",
        /// Claude Code key creator not member.
        ClaudeCodeKeyCreatorNotMember => "claude_code_key_creator_not_member",
        /// Claude Code version too old.
        ClaudeCodeVersionTooOld => "claude_code_version_too_old",
        /// CMEK context unavailable.
        CmekContextUnavailable => "cmek_context_unavailable",
        /// CMEK key disabled.
        CmekKeyDisabled => "cmek_key_disabled",
        /// CMEK key network blocked.
        CmekKeyNetworkBlocked => "cmek_key_network_blocked",
        /// CMEK key unreachable.
        CmekKeyUnreachable => "cmek_key_unreachable",
        /// CMEK not approved.
        CmekNotApproved => "cmek_not_approved",
        /// Compaction block ambiguous.
        CompactionBlockAmbiguous => "compaction_block_ambiguous",
        /// Compaction block misplaced.
        CompactionBlockMisplaced => "compaction_block_misplaced",
        /// Compaction content mismatch.
        CompactionContentMismatch => "compaction_content_mismatch",
        /// Compaction incomplete turn.
        CompactionIncompleteTurn => "compaction_incomplete_turn",
        /// Compaction nothing to summarize.
        CompactionNothingToSummarize => "compaction_nothing_to_summarize",
        /// Compaction signature invalid.
        CompactionSignatureInvalid => "compaction_signature_invalid",
        /// Compaction too many tool references.
        CompactionTooManyToolReferences => "compaction_too_many_tool_references",
        /// Compaction tool changes mismatch.
        CompactionToolChangesMismatch => "compaction_tool_changes_mismatch",
        /// Compaction unavailable.
        CompactionUnavailable => "compaction_unavailable",
        /// Concurrent membership change.
        ConcurrentMembershipChange => "concurrent_membership_change",
        /// Contract spend limit reached.
        ContractSpendLimitReached => "contract_spend_limit_reached",
        /// Enforced spend limit reached.
        EnforcedSpendLimitReached => "enforced_spend_limit_reached",
        /// Environment archived.
        EnvironmentArchived => "environment_archived",
        /// Environment create disabled.
        EnvironmentCreateDisabled => "environment_create_disabled",
        /// Environment not found.
        EnvironmentNotFound => "environment_not_found",
        /// Environment update disabled.
        EnvironmentUpdateDisabled => "environment_update_disabled",
        /// External key not found.
        ExternalKeyNotFound => "external_key_not_found",
        /// External key provider mismatch.
        ExternalKeyProviderMismatch => "external_key_provider_mismatch",
        /// File expired.
        FileExpired => "file_expired",
        /// File not downloadable.
        FileNotDownloadable => "file_not_downloadable",
        /// GCP project controlled by another organization.
        GcpProjectControlledByAnotherOrganization => "gcp_project_controlled_by_another_organization",
        /// GCP project not verified.
        GcpProjectNotVerified => "gcp_project_not_verified",
        /// Human review not available.
        HumanReviewNotAvailable => "human_review_not_available",
        /// Image dimensions too large.
        ImageDimensionsTooLarge => "image_dimensions_too_large",
        /// Invalid config type change.
        InvalidConfigTypeChange => "invalid_config_type_change",
        /// Invalid metadata.
        InvalidMetadata => "invalid_metadata",
        /// Linked organization billing unavailable.
        LinkedOrganizationBillingUnavailable => "linked_organization_billing_unavailable",
        /// Linked organization spend limit reached.
        LinkedOrganizationSpendLimitReached => "linked_organization_spend_limit_reached",
        /// Organization member limit exceeded.
        OrgMemberLimitExceeded => "org_member_limit_exceeded",
        /// Organization not eligible.
        OrganizationNotEligible => "organization_not_eligible",
        /// Organization not enrolled in beta.
        OrganizationNotEnrolledInBeta => "organization_not_enrolled_in_beta",
        /// Organization on hold.
        OrganizationOnHold => "organization_on_hold",
        /// Organization type not supported.
        OrganizationTypeNotSupported => "organization_type_not_supported",
        /// Parent organization required.
        ParentOrganizationRequired => "parent_organization_required",
        /// Ramp limit exceeded.
        RampLimitExceeded => "ramp_limit_exceeded",
        /// RBAC role not found.
        RbacRoleNotFound => "rbac_role_not_found",
        /// Region not supported.
        RegionNotSupported => "region_not_supported",
        /// Request body encoding invalid.
        RequestBodyEncodingInvalid => "request_body_encoding_invalid",
        /// Request body encoding unsupported.
        RequestBodyEncodingUnsupported => "request_body_encoding_unsupported",
        /// Request body timeout.
        RequestBodyTimeout => "request_body_timeout",
        /// Request body too large after decoding.
        RequestBodyTooLargeAfterDecoding => "request_body_too_large_after_decoding",
        /// Sandbox egress restricted.
        SandboxEgressRestricted => "sandbox_egress_restricted",
        /// Skill read blocked undecryptable.
        SkillReadBlockedUndecryptable => "skill_read_blocked_undecryptable",
        /// Storage in use.
        StorageInUse => "storage_in_use",
        /// Storage not approved.
        StorageNotApproved => "storage_not_approved",
        /// Storage quota exceeded.
        StorageQuotaExceeded => "storage_quota_exceeded",
        /// Thread already continued.
        ThreadAlreadyContinued => "thread_already_continued",
        /// Thread continue in flight.
        ThreadContinueInFlight => "thread_continue_in_flight",
        /// Thread fingerprint mismatch.
        ThreadFingerprintMismatch => "thread_fingerprint_mismatch",
        /// Thread not found.
        ThreadNotFound => "thread_not_found",
        /// Thread unsupported request.
        ThreadUnsupportedRequest => "thread_unsupported_request",
        /// Tool name conflict.
        ToolNameConflict => "tool_name_conflict",
        /// Tool reference unresolved.
        ToolReferenceUnresolved => "tool_reference_unresolved",
        /// Unsupported charset.
        UnsupportedCharset => "unsupported_charset",
        /// User profile billing not authorized.
        UserProfileBillingNotAuthorized => "user_profile_billing_not_authorized",
        /// User profile not billable.
        UserProfileNotBillable => "user_profile_not_billable",
        /// User profile not found.
        UserProfileNotFound => "user_profile_not_found",
        /// User profile required.
        UserProfileRequired => "user_profile_required",
        /// Workspace human review disabled.
        WorkspaceHumanReviewDisabled => "workspace_human_review_disabled",
    }
}
