import { defineTriageRule } from "../define-triage-rule.js";
import { contactOwner } from "./action-builders.js";

/** When step 1 cannot decide, the guidance's step-2 path still runs and a person is asked to identify the source. */
export const originUnknownRule = defineTriageRule({
  meta: {
    id: "kv/origin-unknown",
    description:
      "When the evidence does not say whether the traffic came from inside the tenant (no IP, no object id, a failed lookup), names what is missing and asks the vault owner to identify the source; nothing is guessed.",
    messages: {
      unknown: "The origin could not be established. Missing evidence: {{missing}}.",
    },
    proposes: ["contact-owner"],
  },
  evaluate: (input) => {
    if (input.facts.origin !== "unknown") return [];
    const missing = input.source.missingEvidence.map((item) => item.evidence);
    return [
      {
        messageId: "unknown",
        severity: "medium",
        data: { missing: missing.length === 0 ? "none (the evidence found is inconclusive)" : [...new Set(missing)].join(", ") },
        evidence: input.source.originEvidence,
        actions: [
          contactOwner(input, ["identify-source"], [
            "Do you recognise this access? Which application or person uses this vault from this address?",
          ]),
        ],
      },
    ];
  },
});
