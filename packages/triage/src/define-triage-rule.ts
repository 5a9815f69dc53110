import { isActionKind } from "./action-kind.js";
import { InvalidTriageRuleError } from "./errors/invalid-triage-rule-error.js";
import type { TriageRule } from "./triage-rule.js";

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
  if (typeof rule.evaluate !== "function") {
    throw new InvalidTriageRuleError(id, `Rule ${id} has no evaluate function.`);
  }
  return Object.freeze({
    meta: Object.freeze({
      ...meta,
      messages: Object.freeze({ ...meta.messages }),
      proposes: Object.freeze([...meta.proposes]),
      docsUrl: meta.docsUrl ?? `${DOCS_BASE}${id.replace("/", "")}`,
    }),
    evaluate: rule.evaluate,
  });
}
