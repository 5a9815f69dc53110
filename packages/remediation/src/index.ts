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
  type VaultTarget as PlanVaultTarget,
} from "./plan/remediation-plan.js";
// A plan's targets are core's (checked both ways in test/plan-targets.test.ts); a plan's vault also carries its vaultUri.
export type { AlertTarget, ObjectTarget, PermissionSet, PrincipalTarget } from "@keywarden/core";
export { planResponse, type PlanResponseOptions } from "./plan/plan-response.js";
export { IncidentHistory, describeIncidentActions, isOncePerIncident, type IncidentAction, type IncidentMatch } from "./engine/incident-history.js";
export type { RemediationPolicy } from "./plan/remediation-policy.js";
export type { ImpactInput } from "./plan/impact-input.js";
export { formatPlan, formatStep } from "./plan/format-plan.js";
export { isValidPlan, validatePlan } from "./plan/validate-plan.js";
export { canonicalJson, stepDigest } from "./plan/plan-id.js";
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
  type ApprovalRequest,
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

// Errors and codes.
export { RemediationCodes, type RemediationCode } from "./errors/remediation-codes.js";
export { InvalidPlanError, PlanStaleError, RemediationError, type RemediationErrorOptions } from "./errors/remediation-error.js";

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
export { KeyedLock } from "./engine/keyed-lock.js";
