import { describe, expect, it } from "vitest";
import type { KeyVaultAlertKind } from "@keywarden/alerts";
import table from "../src/__fixtures__/decision-table.json" with { type: "json" };
import { CHANGING_ACTION_KINDS, triageAlert, type TriagePolicy } from "../src/index.js";
import { buildAlert } from "./support/build-alert.js";
import { IPS, PRINCIPALS, tableContext } from "./support/table-world.js";

type Group = "succeeded" | "ipFlagged" | "putGet" | "denied" | "ipFlaggedDenied";

/** The catalog's 14 documented kinds, grouped by what the alert describes. */
const GROUPS: Record<Group, KeyVaultAlertKind[]> = {
  succeeded: [
    "KV_OperationVolumeAnomaly",
    "KV_ListGetAnomaly",
    "KV_AppAnomaly",
    "KV_OperationPatternAnomaly",
    "KV_UserAnomaly",
    "KV_UserAppAnomaly",
    "KV_AccountVolumeAnomaly",
  ],
  ipFlagged: ["KV_TORAccess", "KV_SuspiciousIPAccess", "KV_UnusualAccessSuspiciousIP"],
  putGet: ["KV_PutGetAnomaly"],
  denied: ["KV_AccountVolumeAccessDeniedAnomaly", "KV_UserAccessDeniedAnomaly"],
  ipFlaggedDenied: ["KV_SuspiciousIPAccessDenied"],
};

interface Row {
  name: string;
  ip: string;
  principal: string;
  vault: string;
  policy?: TriagePolicy;
  origin: string;
  originIpFlagged?: string;
  succeeded: string[];
  ipFlagged?: string[];
  putGet: string[];
  denied: string[];
  ipFlaggedDenied?: string[];
  kinds?: Record<string, string[]>;
}

function expected(row: Row, group: Group, kind?: string): { origin: string; actions: string[] } {
  const flagged = group === "ipFlagged" || group === "ipFlaggedDenied";
  const origin = flagged ? (row.originIpFlagged ?? row.origin) : row.origin;
  const override = kind === undefined ? undefined : row.kinds?.[kind];
  const actions =
    override ?? (group === "ipFlagged" ? (row.ipFlagged ?? row.succeeded) : group === "ipFlaggedDenied" ? (row.ipFlaggedDenied ?? row.denied) : row[group]);
  return { origin, actions };
}

const rows = table.rows as Row[];

function operationsFor(group: Group) {
  return group === "putGet"
    ? [{ operation: "VaultPut", count: 1 }, { operation: "SecretGet", count: 4 }]
    : [{ operation: "SecretGet", count: 4 }];
}

async function run(row: Row, kind: KeyVaultAlertKind, group: Group, simulated: boolean) {
  const principal = row.principal === "none" ? undefined : PRINCIPALS[row.principal];
  const alert = buildAlert({
    kind,
    simulated,
    ...(IPS[row.ip] === undefined ? {} : { ipAddress: IPS[row.ip] }),
    ...(principal === undefined ? {} : { objectId: principal.objectId }),
    operations: operationsFor(group),
    targets: ["https://kv-payments.vault.azure.net/secrets/db-password/0123456789abcdef0123456789abcdef"],
    ...(group === "denied" || group === "ipFlaggedDenied" ? { resultSignature: "Unauthorized" } : { resultSignature: "OK" }),
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
      for (const group of Object.keys(GROUPS) as Group[]) {
        for (const kind of GROUPS[group]) {
          const { origin, actions } = expected(row, group, kind);
          it(`${kind} → ${origin}: ${actions.join(", ")}`, async () => {
            const report = await run(row, kind, group, false);
            expect(report.source.origin).toBe(origin);
            expect([...new Set(report.decision.recommendedActions.map((a) => a.kind))].sort()).toEqual(actions);
            // Invariants the table encodes row by row, checked on every cell as well.
            const kinds = report.decision.recommendedActions.map((a) => a.kind);
            if (group === "denied" || group === "ipFlaggedDenied") {
              for (const credential of ["rotate-secrets", "disable-secrets", "delete-secrets", "rotate-keys"]) expect(kinds).not.toContain(credential);
            }
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
        for (const [group, kinds] of Object.entries(GROUPS) as [Group, KeyVaultAlertKind[]][]) {
          for (const kind of kinds) {
            const report = await run(row, kind, group, true);
            expect(report.source.origin).toBe(expected(row, group).origin);
            expect(report.decision.verdict).toBe("simulated");
            expect(report.decision.recommendedActions.map((a) => a.kind).sort()).toEqual(table.simulatedActions);
          }
        }
      });
    });
  }
});
