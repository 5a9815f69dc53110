import { defineTriageRule } from "../define-triage-rule.js";
import type { ProposedAction } from "../triage-rule.js";
import { secretSelection } from "./action-builders.js";
import { cloneJson } from "../engine/clone-json.js";

/**
 * Step 4 for secrets: values that left the vault must be replaced (rotate) and the exposed versions made unusable
 * (disable; rotation alone leaves old versions readable). Never for denied access: nothing was read.
 */
export const secretsExposedRule = defineTriageRule({
  meta: {
    id: "kv/secrets-exposed",
    description:
      "Secret values were (or may have been) read by a source not established as inside the tenant: rotate and disable the exposed secrets (delete too if the policy says so). Denied access and metadata-only access never propose this.",
    messages: {
      read: "Secret values were read ({{names}}): rotate them and disable the exposed versions.",
      mayHaveRead: "The alert does not list the operations; secrets may have been read ({{names}}): rotate and disable what the impact measurement finds exposed.",
      deferred: "Secret values were read from inside the tenant; rotation waits for the owner's answer (and the impact measurement).",
    },
    proposes: ["rotate-secrets", "disable-secrets", "delete-secrets"],
  },
  evaluate: (input) => {
    const { facts, policy, source } = input;
    if (!facts.accessSucceeded || facts.secretsRead === false) return [];
    if (source.principal.microsoftFirstParty && facts.metadataOnly) return [];
    const names = facts.secretNames.length === 0 ? "objects to be found in the logs" : facts.secretNames.join(", ");
    if (facts.origin === "inside-tenant") return [{ messageId: "deferred", severity: "low", data: { names } }];
    const selection = secretSelection(input);
    const actions: ProposedAction[] = policy.secretResponse.map((kind) =>
      kind === "delete-secrets"
        ? {
            kind,
            target: facts.vault,
            // Deletion is destructive: widen it to what the logs show only when the alert names nothing itself.
            parameters: { ...selection, includeExposedFromImpact: facts.secretNames.length === 0 || facts.secretsRead === "unknown", purge: false as const },
          }
        : { kind, target: facts.vault, parameters: cloneJson(selection) },
    );
    return [
      {
        messageId: facts.secretsRead === true ? "read" : "mayHaveRead",
        severity: "high",
        data: { names },
        actions,
      },
    ];
  },
});
