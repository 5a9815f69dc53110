import { PlanStaleError, RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import type { ExecutionContext, StepExecutor } from "../engine/step-executor.js";
import {
  containsAllRules,
  describeNetworkAcls,
  networkAclsEqual,
  planFirewallChange,
  snapshotNetworkAcls,
} from "../firewall/network-rules.js";
import type { NetworkAclsSnapshot, PlanWarning, StepOfKind, VaultTarget } from "../plan/remediation-plan.js";
import type { RemediationClients } from "./remediation-clients.js";
import { assertNetworkAclsVisible, readUntil, readVault, requireVault } from "./vault-reads.js";

async function readAcls(clients: RemediationClients, vault: VaultTarget, context: ExecutionContext) {
  const read = await readVault(clients, vault, context);
  return { vault: read, acls: snapshotNetworkAcls(read.properties.networkAcls) };
}

/**
 * Stops the step when the vault no longer looks like what was planned in a way that makes a read-modify-write
 * unsafe: rules that were there have vanished from the read (azure-powershell#20744: a vault with public access
 * disabled can hide its networkAcls, and writing back that empty set would drop them).
 */
function checkPrecondition(step: StepOfKind<"enable-firewall">, current: NetworkAclsSnapshot, publicAccess: string | undefined): PlanWarning[] {
  const observed = step.precondition.observed as NetworkAclsSnapshot | undefined;
  if (observed === undefined) return [];
  const observedCount = observed.ipRules.length + observed.virtualNetworkRules.length;
  const currentCount = current.ipRules.length + current.virtualNetworkRules.length;
  if (observedCount > 0 && currentCount === 0) {
    throw new PlanStaleError(
      `Vault ${step.target.vault?.name ?? "?"} had ${observedCount} firewall rule(s) when the plan was made and the vault ` +
        `read now shows none${publicAccess?.toLowerCase() === "disabled" ? " (publicNetworkAccess is Disabled, which can hide networkAcls)" : ""}. ` +
        "Writing now could drop them; check the vault's networking and re-plan.",
      { stepId: step.id, details: { observed: describeNetworkAcls(observed), current: describeNetworkAcls(current) } },
    );
  }
  if (!networkAclsEqual(observed, current)) {
    return [
      {
        code: RemediationCodes.driftMerged,
        message: `The vault's firewall changed since planning (${describeNetworkAcls(observed)} → ${describeNetworkAcls(current)}); the change is merged onto the current rules, none is dropped.`,
        stepId: step.id,
      },
    ];
  }
  return [];
}

export function enableFirewallExecutor(clients: RemediationClients): StepExecutor<"enable-firewall"> {
  const request = (step: StepOfKind<"enable-firewall">) => ({
    defaultAction: step.parameters.defaultAction,
    bypass: step.parameters.bypass,
    addIpRules: step.parameters.addIpRules,
    addVirtualNetworkRules: step.parameters.addVirtualNetworkRules,
    consolidate: step.parameters.consolidate,
  });
  return {
    kind: "enable-firewall",
    vaultPropertyWrite: true,
    async inspect(step, context) {
      const vault = requireVault(step);
      const { vault: read, acls } = await readAcls(clients, vault, context);
      assertNetworkAclsVisible(read, vault, step, "the firewall update");
      const warnings = checkPrecondition(step, acls, read.properties.publicNetworkAccess);
      const change = planFirewallChange(acls, request(step));
      const changes: string[] = [];
      if (acls.defaultAction !== change.desired.defaultAction) changes.push(`firewall: defaultAction ${acls.defaultAction} → ${change.desired.defaultAction}`);
      if (acls.bypass !== change.desired.bypass) changes.push(`bypass ${acls.bypass} → ${change.desired.bypass}`);
      changes.push(`keep ${acls.ipRules.length + acls.virtualNetworkRules.length} existing rules`);
      if (change.addedIpRules.length + change.addedVirtualNetworkRules.length > 0) {
        changes.push(`add ${[...change.addedIpRules, ...change.addedVirtualNetworkRules].join(", ")}`);
      }
      if (change.consolidated !== undefined) changes.push(`consolidate ${change.consolidated.from} IP rules into ${change.consolidated.to} (same addresses)`);
      if (step.parameters.cutOffCallers.length > 0) {
        warnings.push({
          code: RemediationCodes.callersCutOff,
          message: `${step.parameters.cutOffCallers.length} caller(s) seen in the logs will be cut off: ${step.parameters.cutOffCallers.map((caller) => caller.ipAddress ?? caller.principal ?? "?").join(", ")}.`,
          stepId: step.id,
        });
      }
      return { done: !change.changed, before: acls, changes, warnings };
    },
    async execute(step, inspection, context) {
      const vault = requireVault(step);
      const before = inspection.before as NetworkAclsSnapshot;
      const change = planFirewallChange(before, request(step));
      await context.call({
        label: `PATCH vault ${vault.name} networkAcls`,
        budget: "arm-write",
        scope: { subscription: vault.subscriptionId },
        // The whole NetworkRuleSet is sent, so sending it twice has the same effect.
        idempotent: true,
        run: async (abortSignal) => {
          await clients.keyVaultManagement(vault.subscriptionId).vaults.update(
            vault.resourceGroup,
            vault.name,
            {
              properties: {
                networkAcls: {
                  defaultAction: change.desired.defaultAction,
                  bypass: change.desired.bypass,
                  ipRules: change.desired.ipRules.map((value) => ({ value })),
                  virtualNetworkRules: change.desired.virtualNetworkRules,
                },
              },
            },
            { abortSignal },
          );
          return true as const;
        },
        subWrite: {
          // The rules are added in one write of the whole rule set: journaled as it lands with the whole set before
          // it, so a step that fails afterwards (its read-back, its answer lost) is still restored exactly.
          before,
          probe: async (abortSignal) => {
            const read = await clients.keyVaultManagement(vault.subscriptionId).vaults.get(vault.resourceGroup, vault.name, { abortSignal });
            const acls = snapshotNetworkAcls(read.properties.networkAcls);
            const landed =
              acls.defaultAction === change.desired.defaultAction &&
              acls.bypass === change.desired.bypass &&
              containsAllRules(acls, change.desired) &&
              containsAllRules(acls, before);
            return landed ? (true as const) : undefined;
          },
        },
      });
      const { value: after, ok } = await readUntil(
        context,
        async () => (await readAcls(clients, vault, context)).acls,
        (acls) =>
          acls.defaultAction === change.desired.defaultAction &&
          acls.bypass === change.desired.bypass &&
          containsAllRules(acls, change.desired) &&
          containsAllRules(acls, before),
      );
      if (!ok) {
        throw new RemediationError(
          RemediationCodes.notVerified,
          `The firewall update of vault ${vault.name} returned success but the vault reads ${describeNetworkAcls(after)}, ` +
            `not ${describeNetworkAcls(change.desired)} with every earlier rule. Check the vault and apply again.`,
          { stepId: step.id, details: { expected: change.desired, actual: after } },
        );
      }
      return { after, data: { addedIpRules: change.addedIpRules, addedVirtualNetworkRules: change.addedVirtualNetworkRules } };
    },
  };
}

/** Rollback: writes back the exact rule set the vault had before `enable-firewall` changed it. */
export function restoreFirewallExecutor(clients: RemediationClients): StepExecutor<"restore-firewall"> {
  return {
    kind: "restore-firewall",
    vaultPropertyWrite: true,
    async inspect(step, context) {
      const vault = requireVault(step);
      const { acls } = await readAcls(clients, vault, context);
      const target = step.parameters.networkAcls;
      const observed = step.precondition.observed as NetworkAclsSnapshot | undefined;
      const warnings: PlanWarning[] = [];
      if (observed !== undefined && !networkAclsEqual(observed, acls) && !networkAclsEqual(target, acls)) {
        throw new PlanStaleError(
          `Vault ${vault.name}'s firewall changed after the step being rolled back (${describeNetworkAcls(observed)} → ${describeNetworkAcls(acls)}). ` +
            "Restoring now would undo that later change too; review the vault and restore by hand or re-plan.",
          { stepId: step.id },
        );
      }
      return {
        done: networkAclsEqual(target, acls),
        before: acls,
        changes: [`firewall: ${describeNetworkAcls(acls)} → ${describeNetworkAcls(target)}`],
        warnings,
      };
    },
    async execute(step, _inspection, context) {
      const vault = requireVault(step);
      const target = step.parameters.networkAcls;
      await context.call({
        label: `PATCH vault ${vault.name} networkAcls (restore)`,
        budget: "arm-write",
        scope: { subscription: vault.subscriptionId },
        idempotent: true,
        run: (abortSignal) =>
          clients.keyVaultManagement(vault.subscriptionId).vaults.update(
            vault.resourceGroup,
            vault.name,
            {
              properties: {
                networkAcls: {
                  defaultAction: target.defaultAction,
                  bypass: target.bypass,
                  ipRules: target.ipRules.map((value) => ({ value })),
                  virtualNetworkRules: target.virtualNetworkRules,
                },
              },
            },
            { abortSignal },
          ),
      });
      const { value: after, ok } = await readUntil(
        context,
        async () => (await readAcls(clients, vault, context)).acls,
        (acls) => networkAclsEqual(acls, target),
      );
      if (!ok) {
        throw new RemediationError(
          RemediationCodes.notVerified,
          `Restoring vault ${vault.name}'s firewall returned success but it reads ${describeNetworkAcls(after)}, not ${describeNetworkAcls(target)}.`,
          { stepId: step.id },
        );
      }
      return { after };
    },
  };
}
