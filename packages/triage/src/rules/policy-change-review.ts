import { defineTriageRule } from "../define-triage-rule.js";
import { alertOperations } from "../engine/derive-facts.js";
import { contactOwner } from "./action-builders.js";

const POLICY_CHANGES = new Set(["vaultput", "vaultpatch", "vaultaccesspolicychangedeventgridnotification", "setaccesspolicy"]);

/** KV_PutGetAnomaly: an access-policy change followed by secret reads; the change itself must be reviewed. */
export const policyChangeReviewRule = defineTriageRule({
  meta: {
    id: "kv/policy-change-review",
    description:
      "A vault write (access-policy change) preceded the secret reads: ask the owner to review which entries were added or widened, and by whom.",
    messages: {
      review: "The vault's access policy was changed before secrets were read: review the change (who widened whose access) and revert it if it was not planned.",
    },
    proposes: ["contact-owner"],
  },
  evaluate: (input) => {
    const changed =
      input.alert.kind === "KV_PutGetAnomaly" || alertOperations(input.alert).some((op) => POLICY_CHANGES.has(op.toLowerCase()));
    if (!changed) return [];
    return [
      {
        messageId: "review",
        severity: "high",
        actions: [
          contactOwner(input, ["review-policy-change"], [
            `Review the vault's access policies changed between ${input.alert.startTime} and ${input.alert.endTime}: which entries were added or widened, and was it planned?`,
          ]),
        ],
      },
    ];
  },
});
