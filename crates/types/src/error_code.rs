//! The cause of an API error (`error.details.error_code`): branch on it
//! rather than on the message. An error without a code, or with a code this
//! version does not know, is still its `type` ([`ErrorType`](crate::error::ErrorType)).

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
        /// Already member.
        AlreadyMember => "already_member",
        /// API key requester unconfirmed.
        ApiKeyRequesterUnconfirmed => "api_key_requester_unconfirmed",
        /// API key scope missing.
        ApiKeyScopeMissing => "api_key_scope_missing",
        /// Approval required.
        ApprovalRequired => "approval_required",
        /// Authorization check unavailable.
        AuthorizationCheckUnavailable => "authorization_check_unavailable",
        /// Available tools limit exceeded.
        AvailableToolsLimitExceeded => "available_tools_limit_exceeded",
        /// Bundle attachment not supported.
        BundleAttachmentNotSupported => "bundle_attachment_not_supported",
        /// Bundle on call.
        BundleOnCall => "bundle_on_call",
        /// Cannot invite emails with unverified domains.
        CannotInviteEmailsWithUnverifiedDomains => "cannot_invite_emails_with_unverified_domains",
        /// Cannot remove last member.
        CannotRemoveLastMember => "cannot_remove_last_member",
        /// Cannot sign out managed member.
        CannotSignOutManagedMember => "cannot_sign_out_managed_member",
        /// Cannot sign out membership admin.
        CannotSignOutMembershipAdmin => "cannot_sign_out_membership_admin",
        /// Cannot sign out owner.
        CannotSignOutOwner => "cannot_sign_out_owner",
        /// Cannot sign out primary owner.
        CannotSignOutPrimaryOwner => "cannot_sign_out_primary_owner",
        /// Cannot sign out privileged member.
        CannotSignOutPrivilegedMember => "cannot_sign_out_privileged_member",
        /// Cannot sign out self.
        CannotSignOutSelf => "cannot_sign_out_self",
        /// Change outcome unknown.
        ChangeOutcomeUnknown => "change_outcome_unknown",
        /// Claude Code key creator not member.
        ClaudeCodeKeyCreatorNotMember => "claude_code_key_creator_not_member",
        /// Claude Code version too old.
        ClaudeCodeVersionTooOld => "claude_code_version_too_old",
        /// Claude Tag writes not enabled.
        ClaudeTagWritesNotEnabled => "claude_tag_writes_not_enabled",
        /// CMEK context unavailable.
        CmekContextUnavailable => "cmek_context_unavailable",
        /// CMEK feature unsupported.
        CmekFeatureUnsupported => "cmek_feature_unsupported",
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
        /// Compliance configuration restricted.
        ComplianceConfigurationRestricted => "compliance_configuration_restricted",
        /// Concurrent membership change.
        ConcurrentMembershipChange => "concurrent_membership_change",
        /// Contract spend limit reached.
        ContractSpendLimitReached => "contract_spend_limit_reached",
        /// Email domain not allowed.
        EmailDomainNotAllowed => "email_domain_not_allowed",
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
        /// External key changed.
        ExternalKeyChanged => "external_key_changed",
        /// External key in workspace policy.
        ExternalKeyInWorkspacePolicy => "external_key_in_workspace_policy",
        /// External key not found.
        ExternalKeyNotFound => "external_key_not_found",
        /// External key provider mismatch.
        ExternalKeyProviderMismatch => "external_key_provider_mismatch",
        /// External key validation failed.
        ExternalKeyValidationFailed => "external_key_validation_failed",
        /// External key validation timed out.
        ExternalKeyValidationTimedOut => "external_key_validation_timed_out",
        /// External storage in use.
        ExternalStorageInUse => "external_storage_in_use",
        /// External storage in workspace policy.
        ExternalStorageInWorkspacePolicy => "external_storage_in_workspace_policy",
        /// External storage not available.
        ExternalStorageNotAvailable => "external_storage_not_available",
        /// File expired.
        FileExpired => "file_expired",
        /// File not downloadable.
        FileNotDownloadable => "file_not_downloadable",
        /// GCP project controlled by another organization.
        GcpProjectControlledByAnotherOrganization => "gcp_project_controlled_by_another_organization",
        /// GCP project not verified.
        GcpProjectNotVerified => "gcp_project_not_verified",
        /// Grant required.
        GrantRequired => "grant_required",
        /// Heartbeat precondition failed.
        HeartbeatPreconditionFailed => "heartbeat_precondition_failed",
        /// Human review not available.
        HumanReviewNotAvailable => "human_review_not_available",
        /// Human review on with external storage.
        HumanReviewOnWithExternalStorage => "human_review_on_with_external_storage",
        /// Image dimensions too large.
        ImageDimensionsTooLarge => "image_dimensions_too_large",
        /// Invalid config type change.
        InvalidConfigTypeChange => "invalid_config_type_change",
        /// Invalid metadata.
        InvalidMetadata => "invalid_metadata",
        /// Invalid storage ARN.
        InvalidStorageArn => "invalid_storage_arn",
        /// Invite already exists.
        InviteAlreadyExists => "invite_already_exists",
        /// Key profile mismatch.
        KeyProfileMismatch => "key_profile_mismatch",
        /// Linked organization billing unavailable.
        LinkedOrganizationBillingUnavailable => "linked_organization_billing_unavailable",
        /// Linked organization spend limit reached.
        LinkedOrganizationSpendLimitReached => "linked_organization_spend_limit_reached",
        /// Org API key limit exceeded.
        OrgApiKeyLimitExceeded => "org_api_key_limit_exceeded",
        /// Organization member limit exceeded.
        OrgMemberLimitExceeded => "org_member_limit_exceeded",
        /// Organization level scoped API key required.
        OrganizationLevelScopedApiKeyRequired => "organization_level_scoped_api_key_required",
        /// Organization not eligible.
        OrganizationNotEligible => "organization_not_eligible",
        /// Organization not enrolled in beta.
        OrganizationNotEnrolledInBeta => "organization_not_enrolled_in_beta",
        /// Organization on hold.
        OrganizationOnHold => "organization_on_hold",
        /// Organization type not supported.
        OrganizationTypeNotSupported => "organization_type_not_supported",
        /// Organization URL fetch disabled.
        OrganizationUrlFetchDisabled => "organization_url_fetch_disabled",
        /// Parent organization required.
        ParentOrganizationRequired => "parent_organization_required",
        /// Plugin name taken.
        PluginNameTaken => "plugin_name_taken",
        /// Provider not allowed.
        ProviderNotAllowed => "provider_not_allowed",
        /// Ramp limit exceeded.
        RampLimitExceeded => "ramp_limit_exceeded",
        /// RBAC group grants owner access.
        RbacGroupGrantsOwnerAccess => "rbac_group_grants_owner_access",
        /// RBAC group managed settings not found.
        RbacGroupManagedSettingsNotFound => "rbac_group_managed_settings_not_found",
        /// RBAC group not found.
        RbacGroupNotFound => "rbac_group_not_found",
        /// RBAC group order limit exceeded.
        RbacGroupOrderLimitExceeded => "rbac_group_order_limit_exceeded",
        /// RBAC group owner access unconfirmed.
        RbacGroupOwnerAccessUnconfirmed => "rbac_group_owner_access_unconfirmed",
        /// RBAC role not found.
        RbacRoleNotFound => "rbac_role_not_found",
        /// Region not supported.
        RegionNotSupported => "region_not_supported",
        /// Registration pending.
        RegistrationPending => "registration_pending",
        /// Report page too large.
        ReportPageTooLarge => "report_page_too_large",
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
        /// Scan failed.
        ScanFailed => "scan_failed",
        /// Scan pending.
        ScanPending => "scan_pending",
        /// Settings document limit exceeded.
        SettingsDocumentLimitExceeded => "settings_document_limit_exceeded",
        /// Settings history limit exceeded.
        SettingsHistoryLimitExceeded => "settings_history_limit_exceeded",
        /// Skill name taken.
        SkillNameTaken => "skill_name_taken",
        /// Skill read blocked undecryptable.
        SkillReadBlockedUndecryptable => "skill_read_blocked_undecryptable",
        /// Slack channel set up environment not found.
        SlackChannelSetUpEnvironmentNotFound => "slack_channel_set_up_environment_not_found",
        /// Slack channel set up settings conflict.
        SlackChannelSetUpSettingsConflict => "slack_channel_set_up_settings_conflict",
        /// Slack channel set up settings refused.
        SlackChannelSetUpSettingsRefused => "slack_channel_set_up_settings_refused",
        /// Spend limits admin API writes not enabled.
        SpendLimitsAdminApiWritesNotEnabled => "spend_limits_admin_api_writes_not_enabled",
        /// Storage already registered.
        StorageAlreadyRegistered => "storage_already_registered",
        /// Storage attach limit reached.
        StorageAttachLimitReached => "storage_attach_limit_reached",
        /// Storage attached during archive.
        StorageAttachedDuringArchive => "storage_attached_during_archive",
        /// Storage changed concurrently.
        StorageChangedConcurrently => "storage_changed_concurrently",
        /// Storage in use.
        StorageInUse => "storage_in_use",
        /// Storage not approved.
        StorageNotApproved => "storage_not_approved",
        /// Storage not attachable.
        StorageNotAttachable => "storage_not_attachable",
        /// Storage not ready.
        StorageNotReady => "storage_not_ready",
        /// Storage profile mismatch.
        StorageProfileMismatch => "storage_profile_mismatch",
        /// Storage profile still required.
        StorageProfileStillRequired => "storage_profile_still_required",
        /// Storage quota exceeded.
        StorageQuotaExceeded => "storage_quota_exceeded",
        /// Storage verification failed.
        StorageVerificationFailed => "storage_verification_failed",
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
        /// Too many report groups.
        TooManyReportGroups => "too_many_report_groups",
        /// Tool name conflict.
        ToolNameConflict => "tool_name_conflict",
        /// Tool reference unresolved.
        ToolReferenceUnresolved => "tool_reference_unresolved",
        /// Transcripts storage required.
        TranscriptsStorageRequired => "transcripts_storage_required",
        /// Unsupported charset.
        UnsupportedCharset => "unsupported_charset",
        /// Unsupported region.
        UnsupportedRegion => "unsupported_region",
        /// User profile billing not authorized.
        UserProfileBillingNotAuthorized => "user_profile_billing_not_authorized",
        /// User profile cleared.
        UserProfileCleared => "user_profile_cleared",
        /// User profile not billable.
        UserProfileNotBillable => "user_profile_not_billable",
        /// User profile not found.
        UserProfileNotFound => "user_profile_not_found",
        /// User profile required.
        UserProfileRequired => "user_profile_required",
        /// Workspace API key limit exceeded.
        WorkspaceApiKeyLimitExceeded => "workspace_api_key_limit_exceeded",
        /// Workspace changed concurrently.
        WorkspaceChangedConcurrently => "workspace_changed_concurrently",
        /// Workspace created incomplete.
        WorkspaceCreatedIncomplete => "workspace_created_incomplete",
        /// Workspace human review disabled.
        WorkspaceHumanReviewDisabled => "workspace_human_review_disabled",
        /// Workspace member limit exceeded.
        WorkspaceMemberLimitExceeded => "workspace_member_limit_exceeded",
        /// Workspace policy violation.
        WorkspacePolicyViolation => "workspace_policy_violation",
    }
}
