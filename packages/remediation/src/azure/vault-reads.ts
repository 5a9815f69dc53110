import type { Vault } from "@azure/arm-keyvault";
import { RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import type { ExecutionContext } from "../engine/step-executor.js";
import type { RemediationStep, VaultTarget } from "../plan/remediation-plan.js";
import type { RemediationClients } from "./remediation-clients.js";

export function requireVault(step: RemediationStep): VaultTarget {
  const vault = step.target.vault;
  if (vault === undefined) {
    throw new RemediationError(RemediationCodes.missingTarget, `Step ${step.id} (${step.kind}) has no target vault.`, {
      stepId: step.id,
    });
  }
  return vault;
}

/** GET the vault through ARM, within the ARM read budget. */
export function readVault(clients: RemediationClients, vault: VaultTarget, context: ExecutionContext): Promise<Vault> {
  return context.call({
    label: `GET vault ${vault.name}`,
    budget: "arm-read",
    scope: { subscription: vault.subscriptionId },
    idempotent: true,
    run: (abortSignal) => clients.keyVaultManagement(vault.subscriptionId).vaults.get(vault.resourceGroup, vault.name, { abortSignal }),
  });
}

/**
 * Reads until `check` passes or the verify attempts run out (ARM and Key Vault are eventually consistent).
 * Returns the last value read and whether it passed.
 */
export async function readUntil<T>(
  context: ExecutionContext,
  read: () => Promise<T>,
  check: (value: T) => boolean,
): Promise<{ value: T; ok: boolean }> {
  let value = await read();
  for (let attempt = 1; attempt < context.verifyAttempts && !check(value); attempt += 1) {
    await context.sleep(context.verifyDelayInMs);
    value = await read();
  }
  return { value, ok: check(value) };
}

/** Whether the vault authorises data access with Azure RBAC (null / absent means access policies). */
export function isRbacVault(vault: Vault): boolean {
  return vault.properties.enableRbacAuthorization === true;
}

/**
 * Azure can omit `networkAcls` from a vault read when public network access is Disabled (azure-powershell#20744). A
 * write built from such a read (a firewall PATCH, a whole-vault PUT) could reset the firewall: refuse it instead.
 */
export function assertNetworkAclsVisible(read: Vault, vault: VaultTarget, step: RemediationStep, write: string): void {
  if (read.properties.publicNetworkAccess?.toLowerCase() !== "disabled" || read.properties.networkAcls !== undefined) return;
  throw new RemediationError(
    RemediationCodes.networkAclsHidden,
    `Refusing ${write} for vault ${vault.name}: publicNetworkAccess is Disabled and the vault read carries no networkAcls, ` +
      "so its firewall rules may be hidden (azure-powershell#20744) and the write could reset them. Check the vault's " +
      "networking in the portal or with `az keyvault network-rule list`, then make the change by hand or re-plan.",
    { stepId: step.id },
  );
}
