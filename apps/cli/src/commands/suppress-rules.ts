import type { ExistingSuppressionRule } from "@keywarden/suppression";

import type { AzureEnvironment } from "../environment/azure-environment.js";
import { withEnvironment } from "../environment/open-environment.js";
import { CliError, CliErrorCode } from "../errors/cli-error.js";
import { askApproval } from "../runtime/approval-prompt.js";
import type { CommandContext } from "../runtime/command-context.js";
import { commandLine } from "../runtime/command-line.js";
import { ExitCode } from "../runtime/exit-code.js";
import type { Colors } from "../runtime/output.js";
import { safeField as t } from "../render/safe-field.js";

async function storeFor(env: AzureEnvironment, subscriptionId: string) {
  const { createArmSuppressionRulesStore } = await import("@keywarden/suppression");
  return createArmSuppressionRulesStore({
    credential: env.credential,
    subscriptionId,
    ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }),
  });
}

function renderRule(rule: ExistingSuppressionRule, c: Colors): string {
  const scope = rule.scope.length === 0 ? "every alert of its type" : `${rule.scope.length} condition(s)`;
  return `${c.bold(t(rule.name))}  ${t(rule.alertType)}  ${t(rule.state)}${rule.expiresOn === undefined ? "" : `  expires ${t(rule.expiresOn)}`}\n  ${t(rule.reason)}: ${scope}${rule.comment === undefined ? "" : c.dim(` (${t(rule.comment)})`)}`;
}

/** `keywarden suppress list [--alert-type TYPE]`: the rules in each subscription. */
export async function suppressList(context: CommandContext, options: { alertType?: string }): Promise<number> {
  const lists = await withEnvironment(context, { requireSubscription: true }, async (env) => {
    const result: { subscriptionId: string; rules: ExistingSuppressionRule[] }[] = [];
    for (const subscriptionId of env.subscriptionIds) {
      const store = await storeFor(env, subscriptionId);
      const rules: ExistingSuppressionRule[] = [];
      for await (const rule of store.list(options.alertType === undefined ? {} : { alertType: options.alertType })) rules.push(rule);
      result.push({ subscriptionId, rules });
    }
    return result;
  });
  context.output.result({ subscriptions: lists }, (c) =>
    lists
      .map((entry) => [`Subscription ${t(entry.subscriptionId)}: ${entry.rules.length} rule(s)`, ...entry.rules.map((rule) => renderRule(rule, c))].join("\n"))
      .join("\n\n"),
  );
  return ExitCode.Success;
}

/** `keywarden suppress get <name>`: one rule (exit 1 when no subscription has it). */
export async function suppressGet(context: CommandContext, name: string): Promise<number> {
  const found = await withEnvironment(context, { requireSubscription: true }, async (env) => {
    const result: { subscriptionId: string; rule: ExistingSuppressionRule }[] = [];
    for (const subscriptionId of env.subscriptionIds) {
      const rule = await (await storeFor(env, subscriptionId)).get(name);
      if (rule !== undefined) result.push({ subscriptionId, rule });
    }
    return result;
  });
  if (found.length === 0) {
    throw new CliError(CliErrorCode.SuppressionRuleNotFound, `No suppression rule named '${t(name)}' in ${context.globals.sandbox ? "the sandbox tenant" : "these subscriptions"}: list them with \`${commandLine(context, ["suppress", "list"])}\`.`);
  }
  context.output.result(found.length === 1 ? found[0] : { matches: found }, (c) =>
    found.map((entry) => `Subscription ${t(entry.subscriptionId)}\n${renderRule(entry.rule, c)}`).join("\n\n"),
  );
  return ExitCode.Success;
}

/** `keywarden suppress delete <name>... [--yes] [--dry-run]`: removes rules; a rule that is already gone is not an error. */
export async function suppressDelete(context: CommandContext, names: readonly string[], options: { yes?: boolean; dryRun?: boolean }): Promise<number> {
  const dryRun = options.dryRun === true;
  const rows = await withEnvironment(context, { persist: !dryRun, requireSubscription: true }, async (env) => {
    const existing: { subscriptionId: string; name: string }[] = [];
    for (const subscriptionId of env.subscriptionIds) {
      const store = await storeFor(env, subscriptionId);
      for (const name of names) if ((await store.get(name)) !== undefined) existing.push({ subscriptionId, name });
    }
    if (existing.length > 0 && !dryRun && options.yes !== true) {
      if (!context.output.canPrompt) {
        throw new CliError(CliErrorCode.ApprovalUnavailable, `Deleting ${existing.length} suppression rule(s) needs approval: run in a terminal, or pass --yes.`);
      }
      const answer = await askApproval(context.output, `Delete ${t(existing.map((entry) => entry.name).join(", "))}?`);
      if (answer !== "yes" && answer !== "all") throw new CliError(CliErrorCode.ApprovalUnavailable, "Not approved: nothing was deleted. Pass --yes to approve.");
    }
    const result: { subscriptionId: string; name: string; outcome: "deleted" | "would-delete" }[] = [];
    for (const entry of existing) {
      if (!dryRun) await (await storeFor(env, entry.subscriptionId)).delete(entry.name);
      result.push({ ...entry, outcome: dryRun ? "would-delete" : "deleted" });
    }
    return result;
  });
  const missing = names.filter((name) => !rows.some((row) => row.name === name));
  context.output.result({ dryRun, deleted: rows, notFound: missing }, (c) =>
    [
      ...rows.map((row) => `${c.green(row.outcome)} ${t(row.name)} ${c.dim(`(subscription ${t(row.subscriptionId)})`)}`),
      ...missing.map((name) => `${c.dim("already absent")} ${t(name)}`),
    ].join("\n"),
  );
  return ExitCode.Success;
}
