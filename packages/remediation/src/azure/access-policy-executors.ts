import type { AccessPolicyEntry, Vault } from "@azure/arm-keyvault";
import {
  describePermissions,
  entriesForPrincipal,
  entryKey,
  hasAnyPermission,
  permissionsToRemove,
  PERMISSION_GROUPS,
  snapshotAccessPolicyEntry,
  subtractPermissions,
} from "../access/access-policy-entries.js";
import { RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import type { ExecutionContext, StepExecutor } from "../engine/step-executor.js";
import type { AccessPolicyEntrySnapshot, PermissionSet, RemediationStep, VaultTarget } from "../plan/remediation-plan.js";
import type { RemediationClients } from "./remediation-clients.js";
import { assertNetworkAclsVisible, isRbacVault, readUntil, readVault, requireVault } from "./vault-reads.js";

function requirePrincipal(step: RemediationStep): string {
  const objectId = step.target.principal?.objectId;
  if (objectId === undefined) {
    throw new RemediationError(RemediationCodes.missingTarget, `Step ${step.id} (${step.kind}) has no target principal.`, { stepId: step.id });
  }
  return objectId;
}

function refuseOnRbac(step: RemediationStep, vault: Vault): void {
  if (isRbacVault(vault)) {
    throw new RemediationError(
      RemediationCodes.rbacVault,
      `Vault ${vault.name ?? step.target.vault?.name ?? "?"} uses Azure RBAC (enableRbacAuthorization = true): access policies are ignored, so ` +
        `"${step.kind}" would not take any access away. Use a remove-role-assignments step for this principal instead.`,
      { stepId: step.id },
    );
  }
}

function storedEntries(vault: Vault): AccessPolicyEntrySnapshot[] {
  return (vault.properties.accessPolicies ?? []).map(snapshotAccessPolicyEntry);
}

function toAzureEntry(entry: AccessPolicyEntrySnapshot, permissions: PermissionSet = entry.permissions): AccessPolicyEntry {
  const azure: AccessPolicyEntry = { tenantId: entry.tenantId, objectId: entry.objectId, permissions: {} };
  if (entry.applicationId !== undefined) azure.applicationId = entry.applicationId;
  for (const group of PERMISSION_GROUPS) {
    const values = permissions[group];
    if (values !== undefined && values.length > 0) azure.permissions[group] = [...values];
  }
  return azure;
}

/**
 * A sub-write of an access-policy step: `before` is the principal's entries this one write changes, as they were
 * (what rollback puts back if the step stops before its other writes); `landed` tells from a fresh read of the vault's
 * entries whether the write took effect, for a write whose answer was lost.
 */
interface AccessPolicySubWrite {
  before: { entries: AccessPolicyEntrySnapshot[] };
  landed(current: AccessPolicyEntrySnapshot[]): boolean;
}

/** The engine's probe for an access-policy sub-write: reads the vault's entries and checks `landed`. */
function probeEntries(clients: RemediationClients, vault: VaultTarget, subWrite: AccessPolicySubWrite) {
  return async (abortSignal: AbortSignal): Promise<true | undefined> => {
    const read = await clients.keyVaultManagement(vault.subscriptionId).vaults.get(vault.resourceGroup, vault.name, { abortSignal });
    return subWrite.landed(storedEntries(read)) ? true : undefined;
  };
}

async function sendAccessPolicy(
  clients: RemediationClients,
  vault: VaultTarget,
  context: ExecutionContext,
  operation: "add" | "remove" | "replace",
  entry: AccessPolicyEntry,
  subWrite?: AccessPolicySubWrite,
): Promise<void> {
  await context.call({
    label: `PUT vault ${vault.name} accessPolicies/${operation} for ${entry.objectId}`,
    budget: "arm-write",
    scope: { subscription: vault.subscriptionId },
    idempotent: true,
    run: async (abortSignal) => {
      await clients
        .keyVaultManagement(vault.subscriptionId)
        .vaults.updateAccessPolicy(vault.resourceGroup, vault.name, operation, { properties: { accessPolicies: [entry] } }, { abortSignal });
      return true as const;
    },
    ...(subWrite === undefined ? {} : { subWrite: { before: subWrite.before, probe: probeEntries(clients, vault, subWrite) } }),
  });
}

/**
 * The documented fallback when `accessPolicies/remove` leaves an entry in place (case-sensitive matching, specs#42963):
 * PUT the whole vault, freshly read, with the entries rewritten. The vault lock is held, so no write of ours races it.
 */
async function putVaultWithEntries(
  clients: RemediationClients,
  step: RemediationStep,
  vault: VaultTarget,
  context: ExecutionContext,
  rewrite: (entries: AccessPolicyEntry[]) => AccessPolicyEntry[],
  subWrite: AccessPolicySubWrite,
): Promise<void> {
  const fresh = await readVault(clients, vault, context);
  assertNetworkAclsVisible(fresh, vault, step, "the whole-vault PUT (access-policy fallback)");
  const { properties } = fresh;
  await context.call({
    label: `PUT vault ${vault.name} (access-policy fallback)`,
    budget: "arm-write",
    scope: { subscription: vault.subscriptionId },
    idempotent: true,
    run: async (abortSignal) => {
      const poller = clients.keyVaultManagement(vault.subscriptionId).vaults.createOrUpdate(
        vault.resourceGroup,
        vault.name,
        {
          location: fresh.location ?? "",
          ...(fresh.tags === undefined ? {} : { tags: fresh.tags }),
          properties: {
            tenantId: properties.tenantId,
            sku: properties.sku,
            accessPolicies: rewrite(properties.accessPolicies ?? []),
            ...(properties.enabledForDeployment === undefined ? {} : { enabledForDeployment: properties.enabledForDeployment }),
            ...(properties.enabledForDiskEncryption === undefined ? {} : { enabledForDiskEncryption: properties.enabledForDiskEncryption }),
            ...(properties.enabledForTemplateDeployment === undefined ? {} : { enabledForTemplateDeployment: properties.enabledForTemplateDeployment }),
            ...(properties.enableSoftDelete === undefined ? {} : { enableSoftDelete: properties.enableSoftDelete }),
            ...(properties.softDeleteRetentionInDays === undefined ? {} : { softDeleteRetentionInDays: properties.softDeleteRetentionInDays }),
            ...(properties.enableRbacAuthorization === undefined ? {} : { enableRbacAuthorization: properties.enableRbacAuthorization }),
            ...(properties.enablePurgeProtection === undefined ? {} : { enablePurgeProtection: properties.enablePurgeProtection }),
            ...(properties.networkAcls === undefined ? {} : { networkAcls: properties.networkAcls }),
            ...(properties.publicNetworkAccess === undefined ? {} : { publicNetworkAccess: properties.publicNetworkAccess }),
          },
        },
        { abortSignal, updateIntervalInMs: clients.pollIntervalInMs },
      );
      await poller.pollUntilDone();
      return true as const;
    },
    subWrite: { before: subWrite.before, probe: probeEntries(clients, vault, subWrite) },
  });
}

function describeEntries(entries: readonly AccessPolicyEntrySnapshot[]): string {
  return entries
    .map((entry) => `${entry.objectId}${entry.applicationId === undefined ? "" : ` (app ${entry.applicationId})`}: ${describePermissions(entry.permissions)}`)
    .join(" | ");
}

export function removeAccessPolicyExecutor(clients: RemediationClients): StepExecutor<"remove-access-policy"> {
  return {
    kind: "remove-access-policy",
    vaultPropertyWrite: true,
    async inspect(step, context) {
      const vault = requireVault(step);
      const objectId = requirePrincipal(step);
      const read = await readVault(clients, vault, context);
      refuseOnRbac(step, read);
      const entries = entriesForPrincipal(storedEntries(read), objectId);
      return {
        done: entries.length === 0,
        before: { entries },
        changes: entries.length === 0 ? [] : [`remove access-policy entries ${describeEntries(entries)}`],
        warnings: [],
      };
    },
    async execute(step, inspection, context) {
      const vault = requireVault(step);
      const objectId = requirePrincipal(step);
      const { entries } = inspection.before as { entries: AccessPolicyEntrySnapshot[] };
      // Exact-entry recipe: send each entry exactly as stored (casing included), then re-read.
      // Each entry's removal is journaled as it lands, with that entry as it was, so rollback puts back exactly those.
      for (const entry of entries) {
        await sendAccessPolicy(clients, vault, context, "remove", toAzureEntry(entry), {
          before: { entries: [entry] },
          landed: (current) => !current.some((candidate) => entryKey(candidate) === entryKey(entry)),
        });
      }
      const remaining = () => readVault(clients, vault, context).then((read) => entriesForPrincipal(storedEntries(read), objectId));
      let { value: left, ok } = await readUntil(context, remaining, (found) => found.length === 0);
      let fallback = false;
      if (!ok && step.parameters.allowVaultPutFallback) {
        fallback = true;
        const keys = new Set(left.map(entryKey));
        await putVaultWithEntries(clients, step, vault, context, (all) => all.filter((entry) => !keys.has(entryKey(snapshotAccessPolicyEntry(entry)))), {
          before: { entries: left },
          landed: (current) => !current.some((candidate) => keys.has(entryKey(candidate))),
        });
        ({ value: left, ok } = await readUntil(context, remaining, (found) => found.length === 0));
      }
      if (!ok) {
        throw new RemediationError(
          RemediationCodes.notVerified,
          `accessPolicies/remove returned success but vault ${vault.name} still holds ${describeEntries(left)}` +
            `${fallback ? " even after a whole-vault PUT" : " (allowVaultPutFallback is off)"}. Remove the entry in the portal and apply again.`,
          { stepId: step.id },
        );
      }
      return { after: { entries: left }, data: { usedVaultPutFallback: fallback } };
    },
  };
}

export function restrictPermissionsExecutor(clients: RemediationClients): StepExecutor<"restrict-permissions"> {
  return {
    kind: "restrict-permissions",
    vaultPropertyWrite: true,
    async inspect(step, context) {
      const vault = requireVault(step);
      const objectId = requirePrincipal(step);
      const read = await readVault(clients, vault, context);
      refuseOnRbac(step, read);
      const entries = entriesForPrincipal(storedEntries(read), objectId);
      const changes = entries
        .map((entry) => ({ entry, remove: permissionsToRemove(entry.permissions, step.parameters.remove) }))
        .filter(({ remove }) => hasAnyPermission(remove))
        .map(({ entry, remove }) => `take ${describePermissions(remove)} from ${entry.objectId}; keep ${describePermissions(subtractPermissions(entry.permissions, step.parameters.remove))}`);
      return { done: changes.length === 0, before: { entries }, changes, warnings: [] };
    },
    async execute(step, inspection, context) {
      const vault = requireVault(step);
      const objectId = requirePrincipal(step);
      const { entries } = inspection.before as { entries: AccessPolicyEntrySnapshot[] };
      for (const entry of entries) {
        const remove = permissionsToRemove(entry.permissions, step.parameters.remove);
        if (!hasAnyPermission(remove)) continue;
        await sendAccessPolicy(clients, vault, context, "remove", toAzureEntry(entry, remove), {
          before: { entries: [entry] },
          landed: (current) => {
            const now = current.find((candidate) => entryKey(candidate) === entryKey(entry));
            return now === undefined || !hasAnyPermission(permissionsToRemove(now.permissions, remove));
          },
        });
      }
      const narrowed = (found: AccessPolicyEntrySnapshot[]) =>
        found.every((entry) => !hasAnyPermission(permissionsToRemove(entry.permissions, step.parameters.remove)));
      const current = () => readVault(clients, vault, context).then((read) => entriesForPrincipal(storedEntries(read), objectId));
      let { value: left, ok } = await readUntil(context, current, narrowed);
      let fallback = false;
      if (!ok && step.parameters.allowVaultPutFallback) {
        fallback = true;
        await putVaultWithEntries(clients, step, vault, context, (all) =>
          all.flatMap((entry) => {
            if (entry.objectId.toLowerCase() !== objectId.toLowerCase()) return [entry];
            const kept = subtractPermissions(snapshotAccessPolicyEntry(entry).permissions, step.parameters.remove);
            return hasAnyPermission(kept) ? [{ ...entry, permissions: kept }] : [];
          }),
          { before: { entries: left }, landed: (all) => narrowed(entriesForPrincipal(all, objectId)) },
        );
        ({ value: left, ok } = await readUntil(context, current, narrowed));
      }
      if (!ok) {
        throw new RemediationError(
          RemediationCodes.notVerified,
          `accessPolicies/remove returned success but ${objectId} still holds ${describeEntries(left)} on vault ${vault.name}.`,
          { stepId: step.id },
        );
      }
      return { after: { entries: left }, data: { usedVaultPutFallback: fallback } };
    },
  };
}

/** Rollback: puts the entries back exactly as they were stored (permission casing included). */
export function restoreAccessPolicyExecutor(clients: RemediationClients): StepExecutor<"restore-access-policy"> {
  const missing = (target: AccessPolicyEntrySnapshot, current: AccessPolicyEntrySnapshot[]): PermissionSet => {
    const found = current.find((entry) => entryKey(entry) === entryKey(target));
    const result: PermissionSet = {};
    for (const group of PERMISSION_GROUPS) {
      const have = new Set(found?.permissions[group] ?? []);
      const lack = (target.permissions[group] ?? []).filter((value) => !have.has(value));
      if (lack.length > 0) result[group] = lack;
    }
    return result;
  };
  return {
    kind: "restore-access-policy",
    vaultPropertyWrite: true,
    async inspect(step, context) {
      const vault = requireVault(step);
      const read = await readVault(clients, vault, context);
      refuseOnRbac(step, read);
      const current = storedEntries(read);
      const lacking = step.parameters.entries
        .map((entry) => ({ entry, lack: missing(entry, current) }))
        .filter(({ lack }) => hasAnyPermission(lack));
      return {
        done: lacking.length === 0,
        before: { entries: current.filter((entry) => step.parameters.entries.some((target) => entryKey(target) === entryKey(entry))) },
        changes: lacking.map(({ entry, lack }) => `give ${entry.objectId} back ${describePermissions(lack)}`),
        warnings: [],
      };
    },
    async execute(step, inspection, context) {
      const vault = requireVault(step);
      const { entries: current } = inspection.before as { entries: AccessPolicyEntrySnapshot[] };
      // Only the entries still lacking something are sent, so a rollback re-run after it stopped midway does not send
      // again what an earlier run gave back. Each add is journaled as it lands, with that entry as it was just before.
      for (const entry of step.parameters.entries) {
        if (!hasAnyPermission(missing(entry, current))) continue;
        const was = current.filter((candidate) => entryKey(candidate) === entryKey(entry));
        await sendAccessPolicy(clients, vault, context, "add", toAzureEntry(entry), {
          before: { entries: was },
          landed: (now) => !hasAnyPermission(missing(entry, now)),
        });
      }
      const read = () => readVault(clients, vault, context).then(storedEntries);
      const { value, ok } = await readUntil(context, read, (current) =>
        step.parameters.entries.every((entry) => !hasAnyPermission(missing(entry, current))),
      );
      if (!ok) {
        throw new RemediationError(
          RemediationCodes.notVerified,
          `accessPolicies/add returned success but vault ${vault.name} does not hold ${describeEntries(step.parameters.entries)} with the original casing.`,
          { stepId: step.id },
        );
      }
      return { after: { entries: value.filter((entry) => step.parameters.entries.some((target) => entryKey(target) === entryKey(entry))) } };
    },
  };
}

