import { defineTriageRule } from "../define-triage-rule.js";
import type { Evidence } from "../source-report.js";
import { enableFirewall } from "./action-builders.js";

/**
 * Guidance: "an unrecognised IP means enable the vault firewall with trusted resources and virtual networks".
 * Existing rules are kept and the tenant's own ranges added, so closing the vault does not cut off its owners.
 */
export const unrecognisedIpRule = defineTriageRule({
  meta: {
    id: "kv/unrecognised-ip",
    description:
      "An address outside the tenant's address space, not granted by the vault firewall and not allow-listed reached the vault: propose enabling the firewall (defaultAction Deny, trusted services bypass, existing rules kept).",
    messages: {
      tor: "{{address}} is a Tor exit node and the vault firewall is off: close the vault to public traffic.",
      azure: "{{address}} is an Azure address ({{serviceTag}}): Azure-hosted, could be any Azure customer. The vault firewall is off: close it.",
      foreign: "{{address}} is not a recognised address and the vault firewall is off: close the vault to public traffic.",
      ipv6: "{{address}} is an IPv6 address: Key Vault ip rules cannot list IPv6, so only defaultAction Deny keeps it out.",
      alreadyClosed: "The vault firewall is on, yet {{address}} reached it: it came through the trusted-services bypass, a virtual network rule or a private endpoint. Review those paths.",
      blocked: "The vault firewall is on and refused {{address}}: it did its job; keep it closed.",
      microsoftService: "{{address}} is an Azure address used by a Microsoft first-party service that only read metadata; closing the firewall is not proposed for it.",
    },
    proposes: ["enable-firewall"],
  },
  evaluate: (input) => {
    const { source, facts, policy } = input;
    const ip = source.ip;
    const address = ip.address ?? "";
    if (!facts.ipUnrecognised) return [];
    // Only an inventory read (metadata) by a Microsoft service from Azure is spared the firewall; a first-party
    // app id reading values from an Azure address gets the strict path like any caller.
    if (source.principal.microsoftFirstParty && ip.azure !== undefined && facts.metadataOnly) {
      return [{ messageId: "microsoftService", severity: "info", data: { address } }];
    }
    const evidence: Evidence[] = source.originEvidence.filter((item) => item.code.startsWith("ip."));
    if (ip.vaultFirewall?.firewallEnabled === true) {
      return facts.accessDenied
        ? [{ messageId: "blocked", severity: "info", data: { address }, evidence }]
        : [{ messageId: "alreadyClosed", severity: "medium", data: { address }, evidence }];
    }
    const tor = ip.torExitNode === true || source.originEvidence.some((item) => item.code === "alert.tor-detection");
    const messageId = tor ? "tor" : ip.azure !== undefined ? "azure" : "foreign";
    const reports = [
      {
        messageId,
        severity: tor ? ("high" as const) : ("medium" as const),
        data: { address, serviceTag: ip.azure?.serviceTag ?? "" },
        evidence,
        actions: [enableFirewall(input, policy)],
      },
    ];
    if (ip.version === 6) reports.push({ messageId: "ipv6", severity: "medium", data: { address, serviceTag: "" }, evidence: [], actions: [] });
    return reports;
  },
});
