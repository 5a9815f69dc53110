import { defineTriageRule } from "../define-triage-rule.js";
import { contactOwner } from "./action-builders.js";

/** Guidance: "If the vault firewall is enabled, did you grant that user or app access?" — ask whoever granted it. */
export const firewallGrantedIpRule = defineTriageRule({
  meta: {
    id: "kv/firewall-granted-ip",
    description:
      "The vault firewall is on and one of its ip rules lets the source in: someone granted this address on purpose, so the owner confirms the access.",
    messages: {
      granted: "{{address}} is allowed by the firewall rule {{rule}}: confirm with the owner that this caller should have access.",
    },
    proposes: ["contact-owner"],
  },
  evaluate: (input) => {
    const match = input.source.ip.vaultFirewall;
    if (match?.firewallEnabled !== true || match.matchedRule === undefined) return [];
    return [
      {
        messageId: "granted",
        severity: "low",
        data: { address: input.source.ip.address ?? "", rule: match.matchedRule },
        actions: [
          contactOwner(input, ["confirm-firewall-grant"], [
            `The firewall rule ${match.matchedRule} let this caller in. Who uses that address, and is this access expected?`,
          ]),
        ],
      },
    ];
  },
});
