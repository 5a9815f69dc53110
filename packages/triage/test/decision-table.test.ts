import { describe, expect, it } from "vitest";
import type { KeyVaultAlertKind } from "@keywarden/alerts";
import table from "../src/__fixtures__/decision-table.json" with { type: "json" };
import { CHANGING_ACTION_KINDS, triageAlert, type TriagePolicy } from "../src/index.js";
import { buildAlert } from "./support/build-alert.js";
import { IPS, PRINCIPALS, tableContext } from "./support/table-world.js";

/** The catalog's 14 documented kinds, grouped by what the alert describes. */
const GROUPS: Record<"succeeded" | "putGet" | "denied", KeyVaultAlertKind[]> = {
  succeeded: [
    "KV_SuspiciousIPAccess",
    "KV_TORAccess",
    "KV_OperationVolumeAnomaly",
    "KV_ListGetAnomaly",
    "KV_AppAnomaly",
    "KV_OperationPatternAnomaly",
    "KV_UserAnomaly",
    "KV_UserAppAnomaly",
    "KV_AccountVolumeAnomaly",
    "KV_UnusualAccessSuspiciousIP",
  ],
  putGet: ["KV_PutGetAnomaly"],
  denied: ["KV_AccountVolumeAccessDeniedAnomaly", "KV_UserAccessDeniedAnomaly", "KV_SuspiciousIPAccessDenied"],
};

interface Row {
  name: string;
  ip: string;
  principal: string;
  vault: string;
  policy?: TriagePolicy;
  origin: string;
  succeeded: string[];
  putGet: string[];
  denied: string[];
}

const rows = table.rows as Row[];

function operationsFor(group: keyof typeof GROUPS) {
  return group === "putGet"
    ? [{ operation: "VaultPut", count: 1 }, { operation: "SecretGet", count: 4 }]
    : [{ operation: "SecretGet", count: 4 }];
}

async function run(row: Row, kind: KeyVaultAlertKind, group: keyof typeof GROUPS, simulated: boolean) {
  const principal = row.principal === "none" ? undefined : PRINCIPALS[row.principal];
  const alert = buildAlert({
    kind,
    simulated,
    ...(IPS[row.ip] === undefined ? {} : { ipAddress: IPS[row.ip] }),
    ...(principal === undefined ? {} : { objectId: principal.objectId }),
    operations: operationsFor(group),
    targets: ["https://kv-payments.vault.azure.net/secrets/db-password/0123456789abcdef0123456789abcdef"],
    ...(group === "denied" ? { resultSignature: "Unauthorized" } : { resultSignature: "OK" }),
  });
  return triageAlert(alert, tableContext(row.vault), row.policy);
}

describe("decision table", () => {
  it("covers every documented alert kind exactly once", () => {
    const kinds = Object.values(GROUPS).flat();
    expect(new Set(kinds).size).toBe(14);
    expect(kinds).toHaveLength(14);
  });

  for (const row of rows) {
    describe(row.name, () => {
      for (const group of ["succeeded", "putGet", "denied"] as const) {
        for (const kind of GROUPS[group]) {
          it(`${kind} → ${row.origin}: ${row[group].join(", ")}`, async () => {
            const report = await run(row, kind, group, false);
            expect(report.source.origin).toBe(row.origin);
            expect([...new Set(report.decision.recommendedActions.map((a) => a.kind))].sort()).toEqual(row[group]);
            // Invariants the table encodes row by row, checked on every cell as well.
            const kinds = report.decision.recommendedActions.map((a) => a.kind);
            if (group === "denied") expect(kinds).not.toContain("rotate-secrets");
            if (report.source.principal.membership === "in-tenant") expect(kinds).toContain("contact-owner");
            for (const action of report.decision.recommendedActions) {
              if (action.kind === "update-alert-state") expect(action.parameters.state).not.toBe("Dismissed");
              expect(action.requiresApproval).toBe(CHANGING_ACTION_KINDS.has(action.kind));
            }
            expect(JSON.parse(JSON.stringify(report))).toEqual(report);
          });
        }
      }
      it(`simulated alerts of every kind → ${table.simulatedActions.join(", ")}`, async () => {
        for (const [group, kinds] of Object.entries(GROUPS) as [keyof typeof GROUPS, KeyVaultAlertKind[]][]) {
          for (const kind of kinds) {
            const report = await run(row, kind, group, true);
            expect(report.source.origin).toBe(row.origin);
            expect(report.decision.verdict).toBe("simulated");
            expect(report.decision.recommendedActions.map((a) => a.kind).sort()).toEqual(table.simulatedActions);
          }
        }
      });
    });
  }
});
