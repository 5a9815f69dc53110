/**
 * Every code `@keywarden/remediation` puts on an error or a journal entry. Stable: never reuse or renumber one.
 * Documented in docs/error-codes.md under "@keywarden/remediation".
 */
export const RemediationCodes = {
  /** The plan does not match the plan schema (wrong `schemaVersion`, missing or malformed fields). */
  planInvalid: "KW_REMEDIATION_E0001",
  /** The plan's id does not match its content: it was edited after it was made. */
  planTampered: "KW_REMEDIATION_E0002",
  /** What the step read when it was planned no longer holds; the step was stopped. */
  preconditionFailed: "KW_REMEDIATION_E0003",
  /** A write returned success but reading it back showed it did not take effect. */
  notVerified: "KW_REMEDIATION_E0004",
  /** A throttled or transient failure persisted after every retry the budget allowed. */
  retriesExhausted: "KW_REMEDIATION_E0005",
  /** Access-policy actions are refused on an RBAC-mode vault. */
  rbacVault: "KW_REMEDIATION_E0006",
  /** Purge was asked for on a vault with purge protection, or without the opt-in. */
  purgeRefused: "KW_REMEDIATION_E0007",
  /** The firewall would exceed Key Vault's rule cap even after lossless consolidation. */
  ruleCapExceeded: "KW_REMEDIATION_E0008",
  /** The step needs approval and none was given (no `approve` callback, or it said no). */
  approvalDenied: "KW_REMEDIATION_E0009",
  /** The run was aborted through its `abortSignal`. */
  aborted: "KW_REMEDIATION_E0010",
  /** No executor is registered for a step kind. */
  noExecutor: "KW_REMEDIATION_E0011",
  /** Azure rejected a request with a non-retryable error (403, 404, 409, 400 ...). */
  azureRequestFailed: "KW_REMEDIATION_E0012",
  /** No rotator matches an object, or the only match is the random-value rotator and policy forbids it. */
  noRotator: "KW_REMEDIATION_E0013",
  /** A firewall input is not something Key Vault can store (IPv6, malformed CIDR, malformed subnet id). */
  invalidNetworkRule: "KW_REMEDIATION_E0014",
  /** The step lacks a target it needs (vault, principal, objects, alert). */
  missingTarget: "KW_REMEDIATION_E0015",
  /** A notifier failed to deliver a task. */
  notifyFailed: "KW_REMEDIATION_E0016",
  /** The journal cannot be used for rollback (no applied steps, or entries for several plans without a choice). */
  rollbackUnavailable: "KW_REMEDIATION_E0017",
  /** An earlier step failed and later steps were not run. */
  notRun: "KW_REMEDIATION_E0018",
  /** The vault read omits networkAcls while publicNetworkAccess is Disabled (they may be hidden): a write could reset the firewall. */
  networkAclsHidden: "KW_REMEDIATION_E0019",
  /** A data-plane request got 403 ForbiddenByFirewall: the responder's own address is not allowed by the vault firewall. */
  forbiddenByFirewall: "KW_REMEDIATION_E0020",

  stepPlanned: "KW_REMEDIATION_I0001",
  stepApproved: "KW_REMEDIATION_I0002",
  stepStarted: "KW_REMEDIATION_I0003",
  stepSucceeded: "KW_REMEDIATION_I0004",
  alreadyDone: "KW_REMEDIATION_I0005",
  completedInJournal: "KW_REMEDIATION_I0006",
  dryRunWouldChange: "KW_REMEDIATION_I0007",

  driftMerged: "KW_REMEDIATION_W0001",
  consumersMustUpdate: "KW_REMEDIATION_W0002",
  callersCutOff: "KW_REMEDIATION_W0003",
  inheritedAssignments: "KW_REMEDIATION_W0004",
  ipv6NotBlockable: "KW_REMEDIATION_W0005",
  irreversibleStep: "KW_REMEDIATION_W0006",
  actionNotPlanned: "KW_REMEDIATION_W0007",
  revocationDelay: "KW_REMEDIATION_W0008",
  /** disable-secrets kept an object's latest enabled version: this plan's rotation did not create a newer one. */
  latestVersionKept: "KW_REMEDIATION_W0009",
  /** An InProgress alert-state step found the alert already Resolved or Dismissed and left it closed. */
  alertAlreadyClosed: "KW_REMEDIATION_W0010",
  /** The plan closes the firewall before data-plane steps and adds no rule for the responder's own address. */
  responderLockout: "KW_REMEDIATION_W0011",
} as const;

export type RemediationCode = (typeof RemediationCodes)[keyof typeof RemediationCodes];
