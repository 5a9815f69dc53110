import type { ActionReason, RecommendedAction } from "../recommended-action.js";
import type { ProposedAction } from "../triage-rule.js";

/** Identifies what an action acts on, so two rules asking for the same thing produce one action. */
export function actionKey(action: ProposedAction): string {
  return keyOf(action.kind, actionParts(action));
}

/** The action's id within a report: its key with `:` for `|` (`<kind>:<target key>`). */
export function actionId(action: ProposedAction): string {
  return idOf(action.kind, actionParts(action));
}

/** An action's key and id together: the target ids are lower-cased once for both. */
export function actionKeyAndId(action: ProposedAction): { key: string; id: string } {
  const parts = actionParts(action);
  return { key: keyOf(action.kind, parts), id: idOf(action.kind, parts) };
}

/** The parts after the kind: target ids compare without case (ARM ids arrive in mixed case). */
function actionParts(action: ProposedAction): string[] {
  switch (action.kind) {
    case "contact-owner":
      return [action.target.vault.resourceId.toLowerCase(), (action.target.principal?.objectId ?? "").toLowerCase()];
    case "escalate-to-admin":
      return [action.target.principal.objectId.toLowerCase()];
    case "remove-access-policy":
    case "restrict-permissions":
    case "remove-role-assignments":
      return [action.target.vault.resourceId.toLowerCase(), action.target.principal.objectId.toLowerCase()];
    case "revoke-sessions":
      return [action.target.objectId.toLowerCase()];
    case "measure-impact":
      return [action.target.vault.resourceId.toLowerCase()];
    case "enable-firewall":
    case "rotate-secrets":
    case "disable-secrets":
    case "delete-secrets":
    case "rotate-keys":
      return [action.target.resourceId.toLowerCase()];
    case "update-alert-state":
      return [action.target.id.toLowerCase(), action.parameters.state];
  }
}

function keyOf(kind: string, parts: readonly string[]): string {
  let key = kind;
  for (const part of parts) key += "|" + part;
  return key;
}

/** Exactly the key with every `|` turned into `:`, built from the parts instead of rewriting the key. */
function idOf(kind: string, parts: readonly string[]): string {
  let id = kind;
  for (const part of parts) id += ":" + (part.includes("|") ? part.replaceAll("|", ":") : part);
  return id;
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
