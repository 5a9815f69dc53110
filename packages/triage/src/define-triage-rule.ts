import { isActionKind } from "./action-kind.js";
import { InvalidTriageRuleError } from "./errors/invalid-triage-rule-error.js";
import type { TriageRule, TriageRuleMeta } from "./triage-rule.js";

const RULE_ID = /^kv\/[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DOCS_BASE = "https://github.com/keywarden/keywarden/blob/main/packages/triage/README.md#";

/**
 * Declares a triage rule (the role of typescript-eslint's `RuleCreator`): checks the metadata once, derives the
 * docs URL from the id, and freezes the rule so it can be shared safely.
 *
 * @example
 * const rule = defineTriageRule({
 *   meta: { id: "kv/night-access", description: "...", messages: { night: "Accessed at night" }, proposes: ["contact-owner"] },
 *   evaluate: ({ alert }) => [],
 * });
 */
export function defineTriageRule<const MessageIds extends string>(rule: TriageRule<MessageIds>): TriageRule<MessageIds> {
  const { meta } = rule;
  const id: string = meta.id;
  if (!RULE_ID.test(id)) {
    throw new InvalidTriageRuleError(id, `Rule id "${id}" is invalid: use "kv/<kebab-name>", e.g. "kv/tor-exit-node".`);
  }
  if (meta.description.trim() === "") {
    throw new InvalidTriageRuleError(id, `Rule ${id} has no description: say what it checks and why.`);
  }
  const messageIds = Object.keys(meta.messages);
  if (messageIds.length === 0) {
    throw new InvalidTriageRuleError(id, `Rule ${id} declares no messages: add at least one to meta.messages.`);
  }
  for (const kind of meta.proposes) {
    if (!isActionKind(kind)) {
      throw new InvalidTriageRuleError(
        id,
        `Rule ${id} declares an unknown action kind "${String(kind)}" in meta.proposes: use one of the ActionKind values.`,
      );
    }
  }
  checkClosingDeclaration(meta);
  if (typeof rule.evaluate !== "function") {
    throw new InvalidTriageRuleError(id, `Rule ${id} has no evaluate function.`);
  }
  return Object.freeze({
    meta: Object.freeze({
      ...meta,
      messages: Object.freeze({ ...meta.messages }),
      proposes: Object.freeze([...meta.proposes]),
      ...(meta.closes === undefined ? {} : { closes: Object.freeze([...meta.closes]) }),
      docsUrl: meta.docsUrl ?? `${DOCS_BASE}${id.replace("/", "")}`,
    }),
    evaluate: rule.evaluate,
  });
}

const CLOSING_STATES = new Set(["Resolved", "Dismissed"]);

/**
 * A rule that proposes closing an alert must say so (`meta.closes`) and declare that it requires approval. Checked
 * by `defineTriageRule` and again by the engine for rules built without it.
 */
export function checkClosingDeclaration(meta: TriageRuleMeta): void {
  const id: string = meta.id;
  const closes: readonly unknown[] = meta.closes ?? [];
  if (!Array.isArray(closes)) {
    throw new InvalidTriageRuleError(id, `Rule ${id} declares meta.closes as ${typeof closes}: use a list such as ["Resolved"].`);
  }
  for (const state of closes) {
    if (typeof state !== "string" || !CLOSING_STATES.has(state)) {
      throw new InvalidTriageRuleError(id, `Rule ${id} lists "${String(state)}" in meta.closes: only "Resolved" and "Dismissed" close an alert.`);
    }
  }
  if (closes.length > 0 && !meta.proposes.includes("update-alert-state")) {
    throw new InvalidTriageRuleError(id, `Rule ${id} declares meta.closes but does not propose update-alert-state: add it to meta.proposes.`);
  }
  if (closes.length > 0 && meta.requiresApproval !== true) {
    throw new InvalidTriageRuleError(
      id,
      `Rule ${id} proposes closing alerts (${closes.map(String).join(", ")}) without requiring approval: add requiresApproval: true to its meta (closing is never automatic).`,
    );
  }
}
