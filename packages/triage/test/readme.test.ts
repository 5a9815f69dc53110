import { describe, expect, it } from "vitest";
import { builtInRules, contactOwner, defineTriageRule, triageAlert, type TriagePolicy } from "../src/index.js";
import { buildAlert } from "./support/build-alert.js";
import { tableContext } from "./support/table-world.js";

// The README's examples, compiled and run.
describe("README examples", () => {
  it("the policy example is a valid policy", async () => {
    const policy: TriagePolicy = {
      trustedIpRanges: ["198.51.100.0/28"],
      trustedPrincipals: ["a1a1a1a1-0000-4000-8000-000000000001"],
      autoApprove: ["contact-owner", "escalate-to-admin", "measure-impact", "update-alert-state"],
      disabledActions: ["revoke-sessions"],
      simulatedAlerts: "report-only",
      secretResponse: ["rotate-secrets", "disable-secrets"],
      firewallBypass: "AzureServices",
      removeInheritedRoleAssignments: false,
      disabledRules: [],
    };
    const report = await triageAlert(buildAlert({ kind: "KV_TORAccess", ipAddress: "101.99.92.179" }), tableContext("access-policy"), policy);
    expect(report.decision.verdict).toBe("contain");
  });

  it("adding a rule", async () => {
    const pciVaults = defineTriageRule({
      meta: {
        id: "kv/pci-vault",
        description: "Vaults tagged for PCI scope go to the PCI owner whatever the origin.",
        messages: { pci: "{{vault}} is in PCI scope: the PCI owner confirms every access." },
        proposes: ["contact-owner"],
      },
      evaluate: (input) =>
        input.facts.vault.name.startsWith("kv-pci-")
          ? [{ messageId: "pci", severity: "high", data: { vault: input.facts.vault.name }, actions: [contactOwner(input, ["confirm-access"], ["PCI review"])] }]
          : [],
    });
    const context = { ...tableContext("access-policy"), rules: [...builtInRules, pciVaults] };
    const pci = await triageAlert(buildAlert({ kind: "KV_TORAccess", vaultName: "kv-pci-cards", ipAddress: "101.99.92.179" }), context);
    expect(pci.findings.find((f) => f.ruleId === "kv/pci-vault")?.message).toBe("kv-pci-cards is in PCI scope: the PCI owner confirms every access.");
    expect(pci.decision.recommendedActions.map((a) => a.kind)).toContain("contact-owner");
    const other = await triageAlert(buildAlert({ kind: "KV_TORAccess", ipAddress: "101.99.92.179" }), context);
    expect(other.findings.map((f) => f.ruleId)).not.toContain("kv/pci-vault");
  });
});
