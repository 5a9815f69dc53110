import { z } from "zod";

/**
 * The remediation plan: pure, JSON-serialisable data that a person or a SOAR workflow reads, approves, stores and
 * later hands to `applyPlan`. The schema is the contract; `schemaVersion` changes when a stored plan from an older
 * release could no longer be applied safely.
 */
export const PLAN_SCHEMA_VERSION = 1;

const jsonValue = z.json();
export type JsonValue = z.infer<typeof jsonValue>;

export const riskSchema = z.enum(["safe", "sensitive", "destructive"]);
/** `safe` changes nothing people depend on; `sensitive` may interrupt legitimate use; `destructive` loses data or access for good. */
export type StepRisk = z.infer<typeof riskSchema>;

export const vaultTargetSchema = z.object({
  resourceId: z.string().min(1),
  subscriptionId: z.string().min(1),
  resourceGroup: z.string().min(1),
  name: z.string().regex(/^[a-zA-Z0-9-]{3,24}$/, "a Key Vault name is 3-24 letters, digits or dashes"),
  /** Required in a plan (optional in core's `VaultTarget`): executors talk to this host, and the sovereign cloud's suffix cannot be guessed from the name at apply time. */
  vaultUri: z.url(),
  authorization: z.enum(["access-policy", "rbac"]).optional(),
});
/** Core's `VaultTarget` with the `vaultUri` a plan needs (checked both ways in `test/plan-targets.test-d.ts`). */
export type VaultTarget = z.infer<typeof vaultTargetSchema>;

export const principalTargetSchema = z.object({
  objectId: z.string().min(1),
  tenantId: z.string().optional(),
  /** Set for a compound-identity access-policy entry (an application acting for the principal). */
  applicationId: z.string().optional(),
  type: z.enum(["user", "service-principal", "managed-identity", "group", "unknown"]).optional(),
  displayName: z.string().optional(),
  userPrincipalName: z.string().optional(),
  /** The application (client) id of a service principal. */
  appId: z.string().optional(),
});
export type PrincipalTarget = z.infer<typeof principalTargetSchema>;

export const objectTargetSchema = z.object({
  type: z.enum(["secret", "key", "certificate"]),
  name: z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, "a Key Vault object name is 1-127 letters, digits or dashes"),
  /** The versions the step is about (for example the exposed ones). Absent: every version. */
  versions: z.array(z.string().regex(/^[0-9a-fA-F]{32}$/, "a version is 32 hex digits")).optional(),
  contentType: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});
export type ObjectTarget = z.infer<typeof objectTargetSchema>;

export const alertTargetSchema = z.object({
  /** The alert's ARM resource id. */
  id: z.string().min(1),
  systemAlertId: z.string().min(1),
  subscriptionId: z.string().optional(),
  resourceGroup: z.string().optional(),
  location: z.string().optional(),
});
export type AlertTarget = z.infer<typeof alertTargetSchema>;

export const stepTargetSchema = z.object({
  vault: vaultTargetSchema.optional(),
  principal: principalTargetSchema.optional(),
  objects: z.array(objectTargetSchema).optional(),
  alert: alertTargetSchema.optional(),
});
export type StepTarget = z.infer<typeof stepTargetSchema>;

export const preconditionSchema = z.object({
  /** What the planner read, in words ("networkAcls: Allow, 5 IP rules, 1 VNet rule"). */
  summary: z.string(),
  /** The state read when planning (never a secret value). Absent when nothing was read: the step reads at apply. */
  observed: jsonValue.optional(),
  /** When the state was read (ISO 8601), as passed in by the caller. */
  readAt: z.string().optional(),
});
export type StepPrecondition = z.infer<typeof preconditionSchema>;

const permissionsSchema = z.object({
  keys: z.array(z.string()).optional(),
  secrets: z.array(z.string()).optional(),
  certificates: z.array(z.string()).optional(),
  storage: z.array(z.string()).optional(),
});
export type PermissionSet = z.infer<typeof permissionsSchema>;

export const accessPolicyEntrySchema = z.object({
  tenantId: z.string(),
  objectId: z.string(),
  applicationId: z.string().optional(),
  permissions: permissionsSchema,
});
/** An access-policy entry exactly as the vault stored it (permission casing included). */
export type AccessPolicyEntrySnapshot = z.infer<typeof accessPolicyEntrySchema>;

export const networkAclsSchema = z.object({
  defaultAction: z.string(),
  bypass: z.string(),
  ipRules: z.array(z.string()),
  virtualNetworkRules: z.array(z.object({ id: z.string(), ignoreMissingVnetServiceEndpoint: z.boolean().optional() })),
});
/** A vault's whole NetworkRuleSet, as stored. */
export type NetworkAclsSnapshot = z.infer<typeof networkAclsSchema>;

export const roleAssignmentSnapshotSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.string(),
  roleDefinitionId: z.string(),
  principalId: z.string(),
  principalType: z.string().optional(),
  description: z.string().optional(),
  condition: z.string().optional(),
  conditionVersion: z.string().optional(),
});
export type RoleAssignmentSnapshot = z.infer<typeof roleAssignmentSnapshotSchema>;

export const listedAssignmentSchema = z.object({
  id: z.string().min(1),
  scope: z.string(),
  roleDefinitionId: z.string(),
  roleName: z.string().optional(),
  inheritance: z.enum(["direct", "child", "inherited"]).optional(),
});
/** A role assignment a plan names for deletion, as triage saw it. */
export type ListedAssignment = z.infer<typeof listedAssignmentSchema>;

export const callerSchema = z.object({
  ipAddress: z.string().optional(),
  principal: z.string().optional(),
  operations: z.number().int().nonnegative().optional(),
  lastSeen: z.string().optional(),
});
export type CutOffCaller = z.infer<typeof callerSchema>;

export const taskRecipientSchema = z.object({
  address: z.string().min(1),
  source: z.enum(["vault-tag", "manager", "application-owner", "service-principal-owner", "security-contact", "fallback"]),
  /** Where exactly the address was found, in words. */
  detail: z.string(),
  displayName: z.string().optional(),
  objectId: z.string().optional(),
});
/** A recipient of a task with where it came from (`resolveRecipients`). */
export type TaskRecipient = z.infer<typeof taskRecipientSchema>;

export const taskSchema = z.object({
  recipients: z.array(z.string()),
  /** Set when the recipients were resolved from the tenant: each address with its source, in `recipients` order. */
  recipientSources: z.array(taskRecipientSchema).optional(),
  subject: z.string(),
  message: z.string(),
  evidence: z.record(z.string(), jsonValue),
});
export type NotificationTaskParameters = z.infer<typeof taskSchema>;

const base = {
  /** Unique within the plan, stable for the same input (`s01-enable-firewall`). */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  target: stepTargetSchema,
  /** Why the step exists: the triage finding or reason it came from. */
  reason: z.string(),
  risk: riskSchema,
  reversible: z.boolean(),
  requiresApproval: z.boolean(),
  precondition: preconditionSchema,
};

export const stepSchema = z.discriminatedUnion("kind", [
  z.object({
    ...base,
    kind: z.literal("enable-firewall"),
    parameters: z.object({
      defaultAction: z.literal("Deny"),
      bypass: z.enum(["AzureServices", "None"]),
      /** IPv4 addresses or CIDRs to leave allowed, as given (the executor normalises `/32`). */
      addIpRules: z.array(z.string()),
      /** Subnet resource ids to leave allowed. */
      addVirtualNetworkRules: z.array(z.string()),
      /** Allow lossless CIDR consolidation when the rule cap would be exceeded. */
      consolidate: z.boolean(),
      /** Callers seen in the logs that the new firewall would cut off. */
      cutOffCallers: z.array(callerSchema),
    }),
  }),
  z.object({
    ...base,
    kind: z.literal("remove-access-policy"),
    parameters: z.object({
      /** Fall back to a whole-vault PUT without the entry when `accessPolicies/remove` leaves it in place. */
      allowVaultPutFallback: z.boolean(),
    }),
  }),
  z.object({
    ...base,
    kind: z.literal("restrict-permissions"),
    parameters: z.object({ remove: permissionsSchema, allowVaultPutFallback: z.boolean() }),
  }),
  z.object({
    ...base,
    kind: z.literal("remove-role-assignments"),
    parameters: z.object({
      /** Also delete listed assignments inherited from a resource group, subscription or management group. */
      includeInherited: z.boolean(),
      /** Limit to these role definition GUIDs; absent means every listed role. */
      roleDefinitionIds: z.array(z.string()).optional(),
      /**
       * The assignments to delete, by id, with the role and scope a reviewer saw. Only these are ever deleted; a step
       * that lists none deletes nothing and reports what the principal holds.
       */
      assignments: z.array(listedAssignmentSchema).optional(),
    }),
  }),
  z.object({ ...base, kind: z.literal("revoke-sessions"), parameters: z.object({}) }),
  z.object({ ...base, kind: z.literal("contact-owner"), parameters: taskSchema }),
  z.object({ ...base, kind: z.literal("escalate-to-admin"), parameters: taskSchema }),
  z.object({
    ...base,
    kind: z.literal("rotate-secrets"),
    parameters: z.object({
      /** Name of the rotator to use; absent means "pick by content type, tag or name". */
      rotator: z.string().optional(),
      /** Whether the random-value rotator may be used (a policy decision). */
      allowRandomValue: z.boolean(),
    }),
  }),
  z.object({ ...base, kind: z.literal("rotate-keys"), parameters: z.object({}) }),
  z.object({ ...base, kind: z.literal("disable-secrets"), parameters: z.object({}) }),
  z.object({
    ...base,
    kind: z.literal("delete-secrets"),
    parameters: z.object({ purge: z.boolean() }),
  }),
  z.object({
    ...base,
    kind: z.literal("update-alert-state"),
    parameters: z.object({ state: z.enum(["InProgress", "Resolved", "Active", "Dismissed"]) }),
  }),
  // Rollback steps, produced by planRollback from the journal's before-state.
  z.object({ ...base, kind: z.literal("restore-firewall"), parameters: z.object({ networkAcls: networkAclsSchema }) }),
  z.object({
    ...base,
    kind: z.literal("restore-access-policy"),
    parameters: z.object({ entries: z.array(accessPolicyEntrySchema) }),
  }),
  z.object({
    ...base,
    kind: z.literal("restore-role-assignments"),
    parameters: z.object({ assignments: z.array(roleAssignmentSnapshotSchema) }),
  }),
  z.object({ ...base, kind: z.literal("enable-versions"), parameters: z.object({}) }),
  z.object({ ...base, kind: z.literal("recover-deleted"), parameters: z.object({}) }),
]);

export type RemediationStep = z.infer<typeof stepSchema>;
export type StepKind = RemediationStep["kind"];
export type StepOfKind<K extends StepKind> = Extract<RemediationStep, { kind: K }>;

export const planWarningSchema = z.object({
  code: z.string(),
  message: z.string(),
  stepId: z.string().optional(),
});
export type PlanWarning = z.infer<typeof planWarningSchema>;

export const irreversibleSchema = z.object({ stepId: z.string(), kind: z.string(), reason: z.string() });
export type IrreversibleStep = z.infer<typeof irreversibleSchema>;

export const planSignatureSchema = z.object({
  /** `ed25519`, `hmac-sha256`, or a Key Vault algorithm (`RS256`, `PS256`, `ES256`) for a key in Key Vault. */
  algorithm: z.string().min(1),
  /** Which key signed: a fingerprint for local keys, the key id for Key Vault keys. */
  keyId: z.string().min(1),
  /** base64url signature over the plan's canonical JSON (the signature itself excluded). */
  value: z.string().min(1),
});
export type PlanSignature = z.infer<typeof planSignatureSchema>;

/** What triage (and impact) established: every step's target must be among these. */
export const planEvidenceSchema = z.object({
  /** Vault resource ids. */
  vaults: z.array(z.string()),
  /** Principal object ids. */
  principals: z.array(z.string()),
  /** `secret/name`, `key/name`, `certificate/name`. */
  objects: z.array(z.string()),
});
export type PlanEvidence = z.infer<typeof planEvidenceSchema>;

export const planSchema = z.object({
  schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
  /** `kwp_` + the first 32 hex digits of the SHA-256 of the plan's canonical JSON without `id`. */
  id: z.string().regex(/^kwp_[0-9a-f]{32}$/),
  createdAt: z.string().optional(),
  basedOn: z.object({
    alertIds: z.array(z.string()),
    ruleIds: z.array(z.string()),
    /** Set on a rollback plan: the plan whose changes it undoes. */
    rollbackOf: z.string().optional(),
    /** The targets the triage/impact data named; a step aimed elsewhere is refused. */
    targets: planEvidenceSchema.optional(),
  }),
  steps: z.array(stepSchema),
  warnings: z.array(planWarningSchema),
  /** Changes that cannot be undone (listed on rollback plans; a rotation's new value, a purge). */
  irreversible: z.array(irreversibleSchema),
  /** Set by `signPlan`; `applyPlan` refuses an unsigned plan when it is given a verification key. */
  signature: planSignatureSchema.optional(),
});

export type RemediationPlan = z.infer<typeof planSchema>;
