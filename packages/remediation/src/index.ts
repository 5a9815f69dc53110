// Plans: pure data, made from triage (and impact) reports, reviewed as text, validated before use.
export {
  PLAN_SCHEMA_VERSION,
  type AccessPolicyEntrySnapshot,
  type CutOffCaller,
  type IrreversibleStep,
  type ListedAssignment,
  type PlanEvidence,
  type PlanSignature,
  type JsonValue,
  type NetworkAclsSnapshot,
  type NotificationTaskParameters,
  type PlanWarning,
  type RemediationPlan,
  type RemediationStep,
  type RoleAssignmentSnapshot,
  type StepKind,
  type StepOfKind,
  type StepPrecondition,
  type StepRisk,
  type StepTarget,
  type TaskRecipient,
  type VaultTarget as PlanVaultTarget,
} from "./plan/remediation-plan.js";
// A plan's targets are core's (checked both ways in test/plan-targets.test.ts); a plan's vault also carries its vaultUri.
export type { AlertTarget, ObjectTarget, PermissionSet, PrincipalTarget } from "@keywarden/core";
export { planResponse, type PlanResponseOptions } from "./plan/plan-response.js";
export type { ObservedObjectVersions, ObservedVaultVersions, ObservedVersion, RecordedObjectVersions, RecordedVersions } from "./plan/recorded-versions.js";
export { readObjectVersions, type ReadObjectVersionsOptions } from "./azure/read-object-versions.js";
export {
  DEFAULT_VERSION_READ_BUDGET,
  planWithRecordedVersions,
  type PlanWithRecordedVersionsOptions,
  type PlanWithVersions,
  type VersionReadBudget,
} from "./azure/plan-with-recorded-versions.js";
export { IncidentHistory, describeIncidentActions, isOncePerIncident, type IncidentAction, type IncidentMatch } from "./engine/incident-history.js";
export type { RemediationPolicy } from "./plan/remediation-policy.js";
export type { ImpactInput } from "./plan/impact-input.js";
export { formatPlan, formatStep } from "./plan/format-plan.js";
export { isValidPlan, validatePlan } from "./plan/validate-plan.js";
export { canonicalJson, stepDigest, withPlanId } from "./plan/plan-id.js";
export { checkPlanConsistency, KEY_VAULT_DNS_SUFFIXES, vaultTargetProblem } from "./plan/plan-consistency.js";
export {
  ed25519PlanKey,
  generateEd25519PlanKeyPem,
  hmacPlanKey,
  keyVaultPlanKey,
  loadPlanKey,
  parsePlanKey,
  PLAN_KEY_FILE_VARIABLE,
  PLAN_KEY_VARIABLE,
  planSigningPayload,
  signPlan,
  verifyPlanSignature,
  type KeyVaultSigningClient,
  type PlanKey,
  type PlanSigner,
  type PlanVerifier,
} from "./plan/plan-signing.js";

// Applying.
export {
  applyPlan,
  type ApplyPlanOptions,
  type ApplyResult,
  type ApprovalDecision,
  type ApprovalHold,
  type ApprovalRequest,
  type DryRunVerdict,
  type RetryOptions,
  type StepResult,
  type StepStatus,
} from "./engine/apply-plan.js";
export { assessStep, type ApplyPolicy, type LiveStepFacts, type StepAssessment } from "./engine/step-assessment.js";
export type { AzureCall, ExecutionContext, ExecutorRegistry, ProgressNote, StepExecutor, StepInspection, StepOutcome, SubWrite } from "./engine/step-executor.js";
export { RestartStepSignal } from "./engine/step-executor.js";
export {
  keyVaultDocumentedLimits,
  RateBudgets,
  scaleLimits,
  type BudgetKind,
  type BudgetSpec,
  type RateLimits,
} from "./engine/rate-budget.js";

// Rollback.
export { planRollback, type PlanRollbackOptions } from "./rollback/plan-rollback.js";

// Azure executors.
export { createAzureExecutors, type AzureExecutorsOptions } from "./azure/create-azure-executors.js";
export { RemediationClients, type RemediationClientsOptions } from "./azure/remediation-clients.js";
export { GraphClient, type GraphClientOptions } from "./azure/graph-client.js";
export { logger } from "./log.js";
export type { AlertStateClient } from "./azure/people-executors.js";
export { AlertStateError, alertStateClientFrom } from "./azure/alert-state-client.js";
export { ROTATION_TAG } from "./azure/rotate-executors.js";

// Firewall and access-policy helpers (pure).
export {
  containsAllRules,
  ipRuleKey,
  MAX_IP_RULES,
  MAX_VIRTUAL_NETWORK_RULES,
  networkAclsEqual,
  planFirewallChange,
  subnetKey,
  type FirewallChange,
  type FirewallRequest,
} from "./firewall/network-rules.js";
export { consolidateCidrs, parseIpv4Cidr, formatIpv4Cidr, type Ipv4Cidr } from "@keywarden/core";
export { permissionsToRemove, subtractPermissions } from "./access/access-policy-entries.js";

// People and rotation.
export type { NotificationReceipt, NotificationTask, Notifier } from "./notifiers/notifier.js";
export { ConsoleNotifier, MemoryNotifier, type ConsoleNotifierOptions } from "./notifiers/console-notifier.js";
export { WebhookDeliveryError, WebhookNotifier, type WebhookNotifierOptions } from "./notifiers/webhook-notifier.js";
export { defineRotator, type RotatedSecret, type RotatorMatch, type SecretRotationRequest, type SecretRotator } from "./rotators/secret-rotator.js";
export { RANDOM_VALUE_ROTATOR, randomValueRotator } from "./rotators/random-value-rotator.js";
export type { RotationCoverage, SecretDescription } from "./plan/rotation-coverage.js";
export { describeSecretsToRotate } from "./azure/describe-secrets.js";

// Errors and codes.
export { RemediationCodes, type RemediationCode } from "./errors/remediation-codes.js";
export { InvalidPlanError, NotDeliveredError, PlanStaleError, RemediationError, type RemediationErrorOptions } from "./errors/remediation-error.js";

// Reading results and journals (for reports, the CLI and the responder).
export {
  countStepOutcomes,
  isStepDone,
  stepOutcomesFromJournal,
  stepOutcomesFromResult,
  type ReportedStep,
  type ReportedStepOutcome,
} from "./report/step-outcomes.js";
export { journaledPlans, rollbackCandidates, type JournaledPlan } from "./rollback/journaled-plans.js";
export { verifyResponse, type VerificationCheck } from "./verify/verify-response.js";
export { findPermissionRequirement, permissionCatalog, type PermissionRequirement } from "./permissions/permission-catalog.js";
export { TeamsNotifier, taskAdaptiveCard, type TeamsNotifierOptions } from "./notifiers/teams-notifier.js";
export { EmailNotifier, type EmailNotifierOptions, type MailSender } from "./notifiers/email-notifier.js";
export { taskText } from "./notifiers/task-text.js";
export type { NotifyDeliveryPolicy } from "./notifiers/delivery-policy.js";
export type { GraphDirectoryObject, GraphMailMessage } from "./azure/graph-client.js";

// Who to tell: recipients resolved from the tenant.
export type { DirectoryContact, RecipientDirectory, RecipientSource, RecipientVault } from "./recipients/recipient-directory.js";
export { InMemoryRecipientDirectory, type InMemoryRecipientDirectoryData } from "./recipients/in-memory-recipient-directory.js";
export {
  DEFAULT_OWNER_TAGS,
  DEFAULT_RECIPIENT_SOURCES,
  isMailAddress,
  resolveRecipients,
  type RecipientResolution,
  type ResolvedRecipient,
  type ResolveRecipientsOptions,
  type RecipientTaskKind,
  type TaskRecipients,
} from "./recipients/resolve-recipients.js";
export { AzureRecipientDirectory, SECURITY_CONTACTS_API_VERSION, type AzureRecipientDirectoryOptions } from "./azure/azure-recipient-directory.js";
export { KeyedLock } from "./engine/keyed-lock.js";
