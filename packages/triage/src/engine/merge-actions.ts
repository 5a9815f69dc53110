import type { ActionReason, RecommendedAction } from "../recommended-action.js";
import type { ProposedAction } from "../triage-rule.js";

/** Identifies what an action acts on, so two rules asking for the same thing produce one action. */
export function actionKey(action: ProposedAction): string {
  return actionIdentity(action, "|");
}

/**
 * The action's id within a report: its key with `:` for `|` (`<kind>:<target key>`). Built directly from the
 * parts rather than by rewriting the key, which would copy the whole string once more per action.
 */
export function actionId(action: ProposedAction): string {
  return actionIdentity(action, ":");
}

function actionIdentity(action: ProposedAction, separator: "|" | ":"): string {
  const part = separator === "|" ? lower : lowerForId;
  switch (action.kind) {
    case "contact-owner":
      return action.kind + separator + part(action.target.vault.vaultResourceId) + separator + part(action.target.principal?.objectId ?? "");
    case "escalate-to-admin":
      return action.kind + separator + part(action.target.principal.objectId);
    case "remove-access-policy":
    case "restrict-permissions":
    case "remove-role-assignments":
      return action.kind + separator + part(action.target.vault.vaultResourceId) + separator + part(action.target.principal.objectId);
    case "revoke-sessions":
      return action.kind + separator + part(action.target.objectId);
    case "measure-impact":
      return action.kind + separator + part(action.target.vault.vaultResourceId);
    case "enable-firewall":
    case "rotate-secrets":
    case "disable-secrets":
    case "delete-secrets":
    case "rotate-keys":
      return action.kind + separator + part(action.target.vaultResourceId);
    case "update-alert-state":
      return action.kind + separator + part(action.target.alertId) + separator + (separator === "|" ? action.parameters.state : forId(action.parameters.state));
  }
}

/**
 * Ids compare without case (ARM ids arrive in mixed case). The same few ids (the vault, the principal, the alert)
 * recur across a decision and across alerts of one vault, so the last few conversions are remembered.
 */
const recentInputs: string[] = ["", "", "", ""];
const recentOutputs: string[] = ["", "", "", ""];
let nextSlot = 0;
function lower(value: string): string {
  for (let slot = 0; slot < 4; slot++) if (recentInputs[slot] === value) return recentOutputs[slot]!;
  const output = value.toLowerCase();
  recentInputs[nextSlot] = value;
  recentOutputs[nextSlot] = output;
  nextSlot = (nextSlot + 1) & 3;
  return output;
}

/** A key part as it appears in an id: `|` inside a part becomes `:` too, exactly as if the whole key were rewritten. */
function forId(value: string): string {
  return value.includes("|") ? value.replaceAll("|", ":") : value;
}

function lowerForId(value: string): string {
  return forId(lower(value));
}

/** Folds a second request for the same action into the first: reasons accumulate, parameters are unioned. */
export function mergeInto(existing: RecommendedAction, incoming: ProposedAction, reason: ActionReason): void {
  existing.reasons.push(reason);
  if (existing.kind === "contact-owner" && incoming.kind === "contact-owner") {
    const parameters = existing.parameters;
    for (const topic of incoming.parameters.topics) if (!parameters.topics.includes(topic)) parameters.topics.push(topic);
    for (const question of incoming.parameters.questions) if (!parameters.questions.includes(question)) parameters.questions.push(question);
    const seen = new Set(parameters.recipients.map((r) => `${r.role}|${r.ref?.objectId ?? ""}`));
    for (const recipient of incoming.parameters.recipients) {
      const key = `${recipient.role}|${recipient.ref?.objectId ?? ""}`;
      if (!seen.has(key)) {
        seen.add(key);
        parameters.recipients.push(recipient);
      }
    }
  } else if (existing.kind === "remove-role-assignments" && incoming.kind === "remove-role-assignments") {
    const ids = new Set(existing.parameters.assignments.map((ref) => ref.id.toLowerCase()));
    for (const ref of incoming.parameters.assignments) if (!ids.has(ref.id.toLowerCase())) existing.parameters.assignments.push(ref);
    const reportIds = new Set(existing.parameters.reportOnly.map((ref) => ref.id.toLowerCase()));
    for (const ref of incoming.parameters.reportOnly) {
      if (!reportIds.has(ref.id.toLowerCase()) && !ids.has(ref.id.toLowerCase())) existing.parameters.reportOnly.push(ref);
    }
  } else if (existing.kind === "restrict-permissions" && incoming.kind === "restrict-permissions") {
    for (const [category, permissions] of Object.entries(incoming.parameters.remove) as [keyof typeof incoming.parameters.remove, string[]][]) {
      const list = (existing.parameters.remove[category] ??= []);
      for (const permission of permissions) if (!list.includes(permission)) list.push(permission);
    }
  }
}
