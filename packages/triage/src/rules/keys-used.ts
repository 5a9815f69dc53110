import { defineTriageRule } from "../define-triage-rule.js";
import { keySelection } from "./action-builders.js";

/** Key material used or exported by an untrusted source: rotate the keys (a new version from the rotation policy). */
export const keysUsedRule = defineTriageRule({
  meta: {
    id: "kv/keys-used",
    description:
      "Keys were used (decrypt, unwrap, sign, release) or backed up by a source not established as inside the tenant: rotate them.",
    messages: {
      used: "Key operations {{operations}} came from an untrusted source: rotate the keys involved ({{names}}).",
    },
    proposes: ["rotate-keys"],
  },
  evaluate: (input) => {
    const { facts, alert } = input;
    if (!facts.accessSucceeded || !facts.keysUsed || facts.origin === "inside-tenant") return [];
    const operations = alert.operations.suspicious.map((entry) => entry.operation).join(", ");
    return [
      {
        messageId: "used",
        severity: "high",
        data: { operations, names: facts.keyNames.length === 0 ? "keys to be found in the logs" : facts.keyNames.join(", ") },
        actions: [{ kind: "rotate-keys", target: facts.vault, parameters: keySelection(input) }],
      },
    ];
  },
});
