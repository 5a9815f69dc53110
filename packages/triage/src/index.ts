export { ACTION_KINDS, CHANGING_ACTION_KINDS, DEFAULT_AUTO_APPROVED_ACTION_KINDS, isActionKind } from "./action-kind.js";
export type { ActionKind } from "./action-kind.js";
export type {
  ActionOf,
  ActionParameters,
  ActionReason,
  ActionTargets,
  AlertTarget,
  ContactRecipient,
  ContactTopic,
  FirewallParameters,
  ObjectSelection,
  PrincipalTarget,
  RecommendedAction,
  VaultTarget,
} from "./recommended-action.js";
export type {
  AccessOutcome,
  AccessPolicyEntry,
  AddressMatch,
  AzureAddress,
  DirectoryObjectRef,
  DirectoryRoleAssignment,
  Evidence,
  EvidenceSource,
  FirewallMatch,
  FirewallState,
  IpReport,
  IpStatus,
  MissingEvidence,
  Origin,
  PermissionSet,
  PrincipalMembership,
  PrincipalReport,
  PrincipalType,
  RoleAssignmentRef,
  SerializedError,
  SourceReport,
  VaultAccess,
  VaultAuthorization,
  VaultReport,
} from "./source-report.js";
export type { Decision, Finding, FindingSeverity, TriageReport, Verdict, WithheldAction } from "./triage-report.js";
export { DEFAULT_TRIAGE_POLICY, resolveTriagePolicy } from "./triage-policy.js";
export type { ResolvedTriagePolicy, TriagePolicy } from "./triage-policy.js";
export type { AddressRange, TriageContext } from "./triage-context.js";
export type { ProposedAction, RuleInput, RuleReport, TriageFacts, TriageRule, TriageRuleMeta } from "./triage-rule.js";
export { defineTriageRule } from "./define-triage-rule.js";
export { createLookupCache } from "./lookup-cache.js";
export type { LookupCache } from "./lookup-cache.js";
export type { DirectoryObject, DirectoryProvider } from "./providers/directory-provider.js";
export type { VaultDescription, VaultInspector } from "./providers/vault-inspector.js";
export type { NetworkIntelligence, ServiceTagMatch } from "./providers/network-intelligence.js";
export type { LookupOptions } from "./providers/lookup-options.js";
export { TriageErrorCodes } from "./errors/triage-error-codes.js";
export type { TriageErrorCode } from "./errors/triage-error-codes.js";
export { InvalidTriageRuleError } from "./errors/invalid-triage-rule-error.js";
export { InvalidTriagePolicyError } from "./errors/invalid-triage-policy-error.js";
export { TriageLookupError } from "./errors/triage-lookup-error.js";
