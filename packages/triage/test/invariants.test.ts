import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KeyVaultAlertKind } from "@keywarden/alerts";
import { CHANGING_ACTION_KINDS, triageAlert, type TriagePolicy } from "../src/index.js";
import { buildAlert } from "./support/build-alert.js";
import { IPS, PRINCIPALS, tableContext, VAULTS } from "./support/table-world.js";

const KINDS: KeyVaultAlertKind[] = [
  "KV_SuspiciousIPAccess", "KV_TORAccess", "KV_OperationVolumeAnomaly", "KV_PutGetAnomaly", "KV_ListGetAnomaly",
  "KV_AccountVolumeAccessDeniedAnomaly", "KV_UserAccessDeniedAnomaly", "KV_AppAnomaly", "KV_OperationPatternAnomaly",
  "KV_UserAnomaly", "KV_UserAppAnomaly", "KV_AccountVolumeAnomaly", "KV_SuspiciousIPAccessDenied", "KV_UnusualAccessSuspiciousIP",
];
const DENIED = new Set(["KV_AccountVolumeAccessDeniedAnomaly", "KV_UserAccessDeniedAnomaly", "KV_SuspiciousIPAccessDenied"]);
const CREDENTIAL = ["rotate-secrets", "disable-secrets", "delete-secrets", "rotate-keys"];
const OPERATIONS = ["SecretGet", "SecretList", "SecretBackup", "VaultGet", "VaultPut", "KeyGet", "KeyUnwrap", "KeySign", "CertificateGet"];

const situation = fc.record({
  kind: fc.constantFrom(...KINDS),
  simulated: fc.boolean(),
  ip: fc.constantFrom(...Object.keys(IPS), "00.00.00.00", "not-an-ip"),
  principal: fc.constantFrom("none", ...Object.keys(PRINCIPALS)),
  vault: fc.constantFrom(...Object.keys(VAULTS)),
  operations: fc.subarray(OPERATIONS),
  policy: fc.record(
    {
      trustedIpRanges: fc.constantFrom(["192.0.2.0/24"], ["198.51.100.0/24"]),
      simulatedAlerts: fc.constantFrom("report-only" as const, "respond" as const),
      secretResponse: fc.constantFrom(["rotate-secrets"] as const, ["rotate-secrets", "disable-secrets", "delete-secrets"] as const),
      autoApprove: fc.constantFrom([] as const, ["enable-firewall", "contact-owner"] as const, ["update-alert-state", "rotate-secrets"] as const),
    },
    { requiredKeys: [] },
  ),
});

describe("decision invariants over random situations", () => {
  it("hold for every alert kind, source, vault and policy", async () => {
    await fc.assert(
      fc.asyncProperty(situation, async (s) => {
        const address = s.ip in IPS ? IPS[s.ip] : s.ip;
        const principal = s.principal === "none" ? undefined : PRINCIPALS[s.principal];
        const alert = buildAlert({
          kind: s.kind,
          simulated: s.simulated,
          ...(address === undefined ? {} : { ipAddress: address }),
          ...(principal === undefined ? {} : { objectId: principal.objectId }),
          operations: s.operations.map((operation) => ({ operation, count: 1 })),
          targets: ["https://kv-payments.vault.azure.net/secrets/db-password", "https://kv-payments.vault.azure.net/keys/tde"],
        });
        const policy = s.policy as TriagePolicy;
        const report = await triageAlert(alert, tableContext(s.vault), policy);
        const actions = report.decision.recommendedActions;
        const kinds = actions.map((a) => a.kind);

        // Denied access never touches credentials: nothing was read.
        if (DENIED.has(s.kind)) for (const kind of CREDENTIAL) expect(kinds).not.toContain(kind);
        // A sample alert under report-only changes nothing.
        if (s.simulated && policy.simulatedAlerts !== "respond") expect(kinds).toEqual(["update-alert-state"]);
        else {
          // Never a dismissal of a real alert; a recognised principal always goes to its owner.
          for (const action of actions) if (action.kind === "update-alert-state") expect(action.parameters.state).not.toBe("Dismissed");
          if (report.source.principal.membership === "in-tenant") expect(kinds).toContain("contact-owner");
        }
        // Nothing destructive beyond what the policy allows; purge never.
        if (!(policy.secretResponse ?? []).includes("delete-secrets")) expect(kinds).not.toContain("delete-secrets");
        for (const action of actions) if (action.kind === "delete-secrets") expect(action.parameters.purge).toBe(false);
        // No firewall change without a real address.
        if (report.source.ip.status !== "valid") expect(kinds).not.toContain("enable-firewall");
        // Access-policy edits only on access-policy vaults.
        if (report.source.vault.authorization === "rbac") {
          expect(kinds).not.toContain("remove-access-policy");
          expect(kinds).not.toContain("restrict-permissions");
        }
        // Every action points to a finding, ids are unique, approvals follow the policy.
        const findingIds = new Set(report.findings.map((f) => f.id));
        const autoApprove = new Set(policy.autoApprove ?? ["contact-owner", "escalate-to-admin", "measure-impact", "update-alert-state"]);
        expect(new Set(actions.map((a) => a.id)).size).toBe(actions.length);
        for (const action of actions) {
          expect(findingIds.has(action.reason.findingId)).toBe(true);
          const closing = action.kind === "update-alert-state" && (action.parameters.state === "Resolved" || action.parameters.state === "Dismissed");
          expect(action.requiresApproval).toBe(closing || !autoApprove.has(action.kind));
          if (CHANGING_ACTION_KINDS.has(action.kind) && !autoApprove.has(action.kind)) expect(action.requiresApproval).toBe(true);
        }
        // The report is plain JSON.
        expect(JSON.parse(JSON.stringify(report))).toEqual(report);
      }),
      { numRuns: 300 },
    );
  });
});
