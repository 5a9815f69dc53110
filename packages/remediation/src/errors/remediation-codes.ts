import { defineErrorCodes } from "@keywarden/core";
/**
 * Every code `@keywarden/remediation` puts on an error or a journal entry. Stable: never reuse or renumber one.
 * Documented in docs/error-codes.md under "@keywarden/remediation".
 */
export const RemediationCodes = defineErrorCodes({
  /** The plan does not match the plan schema (wrong `schemaVersion`, missing or malformed fields). */
  planInvalid: { code: "KW_REMEDIATION_E0001", category: "invalid-input" },
  /** The plan's id does not match its content: it was edited after it was made. */
  planTampered: { code: "KW_REMEDIATION_E0002", category: "invalid-input" },
  /** What the step read when it was planned no longer holds; the step was stopped. */
  preconditionFailed: { code: "KW_REMEDIATION_E0003", category: "conflict" },
  /** A write returned success but reading it back showed it did not take effect. */
  notVerified: { code: "KW_REMEDIATION_E0004", category: "service" },
  /** A throttled or transient failure persisted after every retry the budget allowed. */
  retriesExhausted: { code: "KW_REMEDIATION_E0005", category: "transient" },
  /** Access-policy actions are refused on an RBAC-mode vault. */
  rbacVault: { code: "KW_REMEDIATION_E0006", category: "invalid-input" },
  /** Purge was asked for on a vault with purge protection, or without the opt-in. */
  purgeRefused: { code: "KW_REMEDIATION_E0007", category: "forbidden" },
  /** The firewall would exceed Key Vault's rule cap even after lossless consolidation. */
  ruleCapExceeded: { code: "KW_REMEDIATION_E0008", category: "invalid-input" },
  /** The step needs approval and none was given (no `approve` callback, or it said no). */
  approvalDenied: { code: "KW_REMEDIATION_E0009", category: "forbidden" },
  /** The run was aborted through its `abortSignal`. */
  aborted: { code: "KW_REMEDIATION_E0010", category: "transient" },
  /** No executor is registered for a step kind. */
  noExecutor: { code: "KW_REMEDIATION_E0011", category: "internal" },
  /** Azure rejected a request with a non-retryable error (403, 404, 409, 400 ...). */
  azureRequestFailed: { code: "KW_REMEDIATION_E0012", category: "service" },
  /** No rotator matches an object, or the only match is the random-value rotator and policy forbids it. */
  noRotator: { code: "KW_REMEDIATION_E0013", category: "invalid-input" },
  /** A firewall input is not something Key Vault can store (IPv6, malformed CIDR, malformed subnet id). */
  invalidNetworkRule: { code: "KW_REMEDIATION_E0014", category: "invalid-input" },
  /** The step lacks a target it needs (vault, principal, objects, alert). */
  missingTarget: { code: "KW_REMEDIATION_E0015", category: "invalid-input" },
  /** A notifier failed to deliver a task. */
  notifyFailed: { code: "KW_REMEDIATION_E0016", category: "service" },
  /** The journal cannot be used for rollback (no applied steps, or entries for several plans without a choice). */
  rollbackUnavailable: { code: "KW_REMEDIATION_E0017", category: "invalid-input" },
  /** An earlier step failed and later steps were not run. */
  notRun: { code: "KW_REMEDIATION_E0018", category: "conflict" },
  /** The vault read omits networkAcls while publicNetworkAccess is Disabled (they may be hidden): a write could reset the firewall. */
  networkAclsHidden: { code: "KW_REMEDIATION_E0019", category: "forbidden" },
  /** A data-plane request got 403 ForbiddenByFirewall: the responder's own address is not allowed by the vault firewall. */
  forbiddenByFirewall: { code: "KW_REMEDIATION_E0020", category: "forbidden" },
  /** The plan contradicts itself: vault name, resource id and vaultUri disagree, the URI is not the vault's own Key Vault host, or a step targets something the plan's triage data never named. */
  planInconsistent: { code: "KW_REMEDIATION_E0021", category: "invalid-input" },
  /** A plan verification key is configured and the plan carries no signature. */
  planUnsigned: { code: "KW_REMEDIATION_E0022", category: "invalid-input" },
  /** The plan's signature does not verify with the configured key: it was edited after signing, or signed with another key. */
  planSignatureInvalid: { code: "KW_REMEDIATION_E0023", category: "invalid-input" },
  /** A plan key could not be read (not PEM Ed25519, not hmac-sha256:<base64>, too short). */
  planKeyInvalid: { code: "KW_REMEDIATION_E0024", category: "invalid-input" },
  /** The journal is not sealed and verified, so it cannot be evidence for a rollback. */
  journalUnverified: { code: "KW_REMEDIATION_E0025", category: "invalid-input" },
  /** A Key Vault plan key refused to sign or verify (no keys/sign or keys/verify permission, key_ops without it, disabled or expired). */
  planKeyRefused: { code: "KW_REMEDIATION_E0026", category: "forbidden" },
  /** A notifier's target URL is not an https:// URL (refused when the notifier is created, before any task). */
  notifyTargetInsecure: { code: "KW_REMEDIATION_E0030", category: "invalid-input" },
  /** A task could not be delivered: the target was unreachable or refused it (4xx), after the delivery retries. */
  notifyNotDelivered: { code: "KW_REMEDIATION_E0040", category: "service" },
  /** The notify configuration is invalid (unknown channel, missing mailbox, bad retry settings). */
  notifyConfigInvalid: { code: "KW_REMEDIATION_E0041", category: "invalid-input" },

  stepPlanned: { code: "KW_REMEDIATION_I0001" },
  stepApproved: { code: "KW_REMEDIATION_I0002" },
  stepStarted: { code: "KW_REMEDIATION_I0003" },
  stepSucceeded: { code: "KW_REMEDIATION_I0004" },
  alreadyDone: { code: "KW_REMEDIATION_I0005" },
  completedInJournal: { code: "KW_REMEDIATION_I0006" },
  dryRunWouldChange: { code: "KW_REMEDIATION_I0007" },
  /** A step that needs approval waits for a decision nobody has given yet (the approve callback answered hold). */
  awaitingApproval: { code: "KW_REMEDIATION_I0008" },
  /** Journal: a task was handed to its notifier and accepted (sent; nobody has confirmed reading it). */
  taskSent: { code: "KW_REMEDIATION_I0020" },
  /** An irreversible step (contact, revoke, rotate) was already done for the same incident by an earlier plan: skipped, not repeated. */
  doneInIncident: { code: "KW_REMEDIATION_I0009" },
  /** Journal: one sub-write of a step landed (or a value was minted at its source), with the `before` to undo it. */
  subWriteLanded: { code: "KW_REMEDIATION_I0030" },

  driftMerged: { code: "KW_REMEDIATION_W0001" },
  consumersMustUpdate: { code: "KW_REMEDIATION_W0002" },
  callersCutOff: { code: "KW_REMEDIATION_W0003" },
  inheritedAssignments: { code: "KW_REMEDIATION_W0004" },
  ipv6NotBlockable: { code: "KW_REMEDIATION_W0005" },
  irreversibleStep: { code: "KW_REMEDIATION_W0006" },
  actionNotPlanned: { code: "KW_REMEDIATION_W0007" },
  revocationDelay: { code: "KW_REMEDIATION_W0008" },
  /** disable-secrets kept an object's latest enabled version: this plan's rotation did not create a newer one. */
  latestVersionKept: { code: "KW_REMEDIATION_W0009" },
  /** An InProgress alert-state step found the alert already Resolved or Dismissed and left it closed. */
  alertAlreadyClosed: { code: "KW_REMEDIATION_W0010" },
  /** The plan closes the firewall before data-plane steps and adds no rule for the responder's own address. */
  responderLockout: { code: "KW_REMEDIATION_W0011" },
  /**
   * Plan warning: no registered rotator can rotate a secret at its source, so its rotation is the owner's task and the
   * disabling of its exposed versions waits for a follow-up plan after the owner confirms (or the owner confirmed it).
   */
  rotationDeferredToOwner: { code: "KW_REMEDIATION_W0012" },
  /** Plan warning: a contact-owner / escalate-to-admin task has no recipient (nobody found, no fallback configured). */
  taskWithoutRecipient: { code: "KW_REMEDIATION_W0020" },
  /** A task was not delivered but notification is best-effort: the plan went on and counts as done. */
  taskNotDeliveredBestEffort: { code: "KW_REMEDIATION_W0021" },
  /** Dry run: an object's live versions differ from what the disable-secrets step recorded when it was planned. */
  recordedStateDiffers: { code: "KW_REMEDIATION_W0040" },
  /** Plan warning: the planning read budget cut in; the versions of the objects past it are listed at apply. */
  versionReadBudgetCutIn: { code: "KW_REMEDIATION_W0041" },
  /** Plan warning: an object's versions could not be read when planning (403, 404, a failure); the apply lists them. */
  versionsNotRead: { code: "KW_REMEDIATION_W0042" },
});

export type RemediationCode = (typeof RemediationCodes)[keyof typeof RemediationCodes];
