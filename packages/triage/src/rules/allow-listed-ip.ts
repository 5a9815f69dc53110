import { defineTriageRule } from "../define-triage-rule.js";
import { contactOwner } from "./action-builders.js";

/** An allow-listed address is trusted enough not to close the firewall on it, never enough to skip the owner. */
export const allowListedIpRule = defineTriageRule({
  meta: {
    id: "kv/allow-listed-ip",
    description: "The source address is in the policy's trustedIpRanges: no firewall change, but the owner confirms the access.",
    messages: {
      allowListed: "{{address}} is allow-listed by policy; the owner still confirms this access.",
    },
    proposes: ["contact-owner"],
  },
  evaluate: (input) => {
    if (!input.facts.ipAllowListed) return [];
    return [
      {
        messageId: "allowListed",
        severity: "low",
        data: { address: input.source.ip.address ?? "" },
        actions: [contactOwner(input, ["confirm-allow-listed"], ["This address is allow-listed: is this access expected?"])],
      },
    ];
  },
});
