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
  TenantPublicIpMatch,
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
export type { ClosingBlocker, Decision, DisabledRuleNote, Finding, FindingSeverity, TriageReport, Verdict, WithheldAction } from "./triage-report.js";
export { DEFAULT_TRIAGE_POLICY, protectiveBuiltInRuleIds, resolveTriagePolicy } from "./triage-policy.js";
export type { ResolvedTriagePolicy, TriagePolicy } from "./triage-policy.js";
export type { AddressRange, TriageContext } from "./triage-context.js";
export type { ClosingAlertState, ProposedAction, RuleInput, RuleReport, TriageFacts, TriageRule, TriageRuleMeta } from "./triage-rule.js";
export { defineTriageRule } from "./define-triage-rule.js";
export { createLookupCache } from "./lookup-cache.js";
export type { LookupCache, LookupCacheOptions } from "./lookup-cache.js";
export type { DirectoryObject, DirectoryProvider } from "./providers/directory-provider.js";
export type { VaultDescription, VaultInspector } from "./providers/vault-inspector.js";
export type { NetworkIntelligence, ServiceTagMatch } from "./providers/network-intelligence.js";
export type { PublicIpReader, TenantPublicIp } from "./providers/public-ip-reader.js";
export type { LookupOptions } from "./providers/lookup-options.js";
export { TriageErrorCodes } from "./errors/triage-error-codes.js";
export type { TriageErrorCode } from "./errors/triage-error-codes.js";
export { InvalidTriageRuleError } from "./errors/invalid-triage-rule-error.js";
export { InvalidTriagePolicyError } from "./errors/invalid-triage-policy-error.js";
export { InvalidTriageArgumentError } from "./errors/invalid-triage-argument-error.js";
export { TriageLookupError } from "./errors/triage-lookup-error.js";
export { identifySource } from "./identify-source.js";
export { decideResponse } from "./decide-response.js";
export type { DecideResponseOptions } from "./decide-response.js";
export { triageAlert, triageAlerts } from "./triage-alert.js";
export type { TriageAlertsOptions } from "./triage-alert.js";
export { formatTriageReport } from "./format-triage-report.js";
export type { FormatTriageReportOptions } from "./format-triage-report.js";
export { builtInRules } from "./rules/built-in-rules.js";
export { simulatedAlertRule } from "./rules/simulated-alert.js";
export { trackAlertRule } from "./rules/track-alert.js";
export { originUnknownRule } from "./rules/origin-unknown.js";
export { unrecognisedIpRule } from "./rules/unrecognised-ip.js";
export { firewallGrantedIpRule } from "./rules/firewall-granted-ip.js";
export { allowListedIpRule } from "./rules/allow-listed-ip.js";
export { recognisedPrincipalRule } from "./rules/recognised-principal.js";
export { unauthorisedPrincipalRule } from "./rules/unauthorised-principal.js";
export { directoryRoleHolderRule } from "./rules/directory-role-holder.js";
export { policyChangeReviewRule } from "./rules/policy-change-review.js";
export { measureImpactRule } from "./rules/measure-impact.js";
export { secretsExposedRule } from "./rules/secrets-exposed.js";
export { keysUsedRule } from "./rules/keys-used.js";
export {
  contactOwner,
  enableFirewall,
  keySelection,
  measureImpactAction,
  recipientsFor,
  removeAccessPolicy,
  removeRoleAssignments,
  restrictPermissions,
  secretSelection,
} from "./rules/action-builders.js";
export { InMemoryDirectory } from "./memory/in-memory-directory.js";
export type { InMemoryDirectoryOptions } from "./memory/in-memory-directory.js";
export { InMemoryVaultInspector } from "./memory/in-memory-vault-inspector.js";
export type { InMemoryVaultInspectorOptions } from "./memory/in-memory-vault-inspector.js";
export { InMemoryNetworkIntelligence } from "./memory/in-memory-network-intelligence.js";
export type { InMemoryNetworkIntelligenceOptions } from "./memory/in-memory-network-intelligence.js";
export { InMemoryPublicIpReader } from "./memory/in-memory-public-ip-reader.js";
export type { InMemoryPublicIpReaderOptions } from "./memory/in-memory-public-ip-reader.js";
export type { RawRoleAssignment } from "./source/azure-role-catalog.js";
export { ServiceTagIndex } from "./network/service-tag-index.js";
export type { ServiceTagsDocument } from "./network/service-tag-index.js";
export { TorExitList } from "./network/tor-exit-list.js";
export { InvalidNetworkListError } from "./errors/invalid-network-list-error.js";
export { VaultNotFoundError } from "./errors/vault-not-found-error.js";
export { GraphDirectory } from "./azure/graph-directory.js";
export type { GraphDirectoryOptions } from "./azure/graph-directory.js";
export { ArmVaultInspector, describeVault } from "./azure/arm-vault-inspector.js";
export type { ArmVaultInspectorOptions } from "./azure/arm-vault-inspector.js";
export { AzureNetworkIntelligence } from "./azure/azure-network-intelligence.js";
export type { AzureNetworkIntelligenceOptions } from "./azure/azure-network-intelligence.js";
export { ArmPublicIpReader } from "./azure/arm-public-ip-reader.js";
export type { ArmPublicIpReaderOptions } from "./azure/arm-public-ip-reader.js";
export { logger } from "./log.js";
export type { RolePermissions } from "./source/azure-role-catalog.js";
