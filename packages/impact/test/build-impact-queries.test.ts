import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildImpactQueries, kqlString, type ImpactCriteria } from "../src/index.js";
import { analyze, queryShape, stringLiterals, type AzureDiagnosticsVariant } from "./kusto-analyzer.js";

const window = { start: "2026-01-15T10:00:00.1234567Z", end: "2026-01-15T10:30:00Z" };
const callerFields = ["ipAddresses", "objectIds", "userPrincipalNames", "applicationIds"] as const;
const variants: AzureDiagnosticsVariant[] = ["all-columns", "current-claims-only", "legacy-claims-only", "standard-only"];

/** Every subset of caller fields (16), each with one or two values. */
function allCriteria(): ImpactCriteria[] {
  const out: ImpactCriteria[] = [];
  for (let mask = 0; mask < 16; mask++) {
    const callers: NonNullable<ImpactCriteria["callers"]> = {};
    callerFields.forEach((field, i) => {
      if ((mask & (1 << i)) !== 0) callers[field] = i % 2 === 0 ? ["a-1"] : ["b-1", "b-2"];
    });
    out.push({ vault: { name: "kv-payments" }, window, callers });
  }
  return out;
}

describe("buildImpactQueries", () => {
  it("emits an activity query per table (plus a caller census when callers are named), covering the widened window", () => {
    const queries = buildImpactQueries({ vault: { name: "kv1" }, window, margins: { beforeMinutes: 5, afterMinutes: 0 } });
    expect(queries.map((q) => [q.table, q.kind])).toEqual([
      ["AZKVAuditLogs", "activity"],
      ["AzureDiagnostics", "activity"],
    ]);
    const withCaller = buildImpactQueries({ vault: { name: "kv1" }, window, callers: { ipAddresses: ["1.2.3.4"] } });
    expect(withCaller.map((q) => [q.table, q.kind])).toEqual([
      ["AZKVAuditLogs", "activity"],
      ["AzureDiagnostics", "activity"],
      ["AZKVAuditLogs", "callers"],
      ["AzureDiagnostics", "callers"],
    ]);
    expect(withCaller[2]!.query).not.toContain("1.2.3.4");
    expect(queries[0]!.window.start.toISOString()).toBe("2026-01-15T09:55:00.123Z");
    expect(queries[0]!.window.end.toISOString()).toBe("2026-01-15T10:30:00.000Z");
    expect(queries[0]!.query).toContain("between (datetime(2026-01-15T09:55:00.123Z) .. datetime(2026-01-15T10:30:00.000Z))");
    expect(buildImpactQueries({ vault: { name: "kv1" }, window, tables: ["AzureDiagnostics"] }).map((q) => q.table)).toEqual([
      "AzureDiagnostics",
    ]);
  });

  it("every query it can emit passes Microsoft's Kusto analyzer against the table schemas", () => {
    // The caller filter is the only part that varies between queries: all 16 combinations of its four fields,
    // each with its activity queries (2 tables) and, when callers are named, the caller census (2 tables).
    let checked = 0;
    for (const criteria of allCriteria()) {
      for (const { query } of buildImpactQueries(criteria)) {
        expect(analyze(query), query).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBe(16 * 2 + 15 * 2);
  }, 60_000);

  it.each(variants)("the AzureDiagnostics query analyzes cleanly when the workspace has %s", (variant) => {
    // column_ifexists keeps the query valid whichever dynamic columns (claim generations) the workspace has.
    for (const criteria of [allCriteria()[0]!, allCriteria()[15]!]) {
      const diagnostics = buildImpactQueries(criteria).find((q) => q.table === "AzureDiagnostics")!;
      expect(analyze(diagnostics.query, variant), diagnostics.query).toEqual([]);
    }
  });

  it("the analyzer check can fail: a column the schema lacks is reported", () => {
    const [audit] = buildImpactQueries({ vault: { name: "kv1" }, window });
    const broken = audit!.query.replace("CallerIpAddress", "CallerIPAddress");
    expect(analyze(broken).map((d) => d.Code)).toContain("KS142");
  });

  it("coalesces both identity-claim generations, drops challenge noise and summarises on the server", () => {
    const [audit, diagnostics] = buildImpactQueries({ vault: { name: "kv1" }, window });
    expect(diagnostics!.query).toContain('column_ifexists("identity_claim_oid_g", "")');
    expect(diagnostics!.query).toContain(
      'column_ifexists("identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g", "")',
    );
    expect(audit!.query).toContain('Identity.claim["http://schemas.microsoft.com/identity/claims/objectidentifier"]');
    for (const q of [audit!, diagnostics!]) {
      expect(q.query).toContain('not(OperationName == "Authentication" and (StatusCode == 401');
      expect(q.query).toMatch(/summarize EventCount = count\(\), FirstTime = min\(TimeGenerated\), LastTime = max\(TimeGenerated\)/);
    }
  });

  it.each([
    [{ vault: { name: "" }, window }, "KW_IMPACT_E0001"],
    [{ vault: {}, window }, "KW_IMPACT_E0001"],
    [{ vault: { name: "kv1" } }, "KW_IMPACT_E0002"],
    [{ vault: { name: "kv1" }, window: { start: "yesterday", end: window.end } }, "KW_IMPACT_E0002"],
    [{ vault: { name: "kv1" }, window: { start: window.end, end: window.start } }, "KW_IMPACT_E0002"],
    [{ vault: { name: "kv1" }, window, margins: { beforeMinutes: -1 } }, "KW_IMPACT_E0003"],
    [{ vault: { name: "kv1" }, window, callers: { ipAddresses: [1] } }, "KW_IMPACT_E0003"],
    [{ vault: { name: "kv1" }, window, tables: ["SecurityEvent"] }, "KW_IMPACT_E0003"],
  ])("refuses malformed criteria %j with %s", (criteria, code) => {
    expect(() => buildImpactQueries(criteria as unknown as ImpactCriteria)).toThrow(expect.objectContaining({ code }));
  });
});

describe("injection: alert fields stay string literals", () => {
  const hostile = [
    `" or 1==1 or "`,
    `x' | where true //`,
    `a"; AZKVAuditLogs | take 1000000; "`,
    "line1\nline2\r\n| project Secret",
    "\\\" | union AzureDiagnostics | where \\\"",
    "```multi``` and or not between",
    "kv1\u2028| summarize count()",
    "tab\there \u0000 nul",
    "😀 unicode é",
  ];

  it.each(hostile)("keeps %j as one literal compared by the caller filters, in both tables", (value) => {
    const baseline = buildImpactQueries({ vault: { name: "kv1" }, window, callers: { userPrincipalNames: ["u"], ipAddresses: ["i"], objectIds: ["o"], applicationIds: ["a"] } });
    const queries = buildImpactQueries({
      vault: { name: "kv1" },
      window,
      callers: { userPrincipalNames: [value], ipAddresses: [value], objectIds: [value], applicationIds: [value] },
    });
    queries.forEach((q, i) => {
      expect(analyze(q.query)).toEqual([]);
      // Same operators and operands as with harmless values: only the literals differ.
      expect(queryShape(q.query)).toEqual(queryShape(baseline[i]!.query));
      expect(stringLiterals(q.query).filter((s) => s === value)).toHaveLength(q.kind === "activity" ? 4 : 0);
      expect(q.query.split("\n")).toHaveLength(baseline[i]!.query.split("\n").length);
    });
  });

  it("a hostile vault name cannot widen the vault filter", () => {
    const name = `kv1" or true or "`;
    for (const q of buildImpactQueries({ vault: { name }, window })) {
      expect(analyze(q.query)).toEqual([]);
      expect(queryShape(q.query)).toEqual(queryShape(buildImpactQueries({ vault: { name: "kv1" }, window })[q.table === "AZKVAuditLogs" ? 0 : 1]!.query));
    }
  });

  it("property: for any caller strings the query keeps its shape and carries each value verbatim", () => {
    const baseline = buildImpactQueries({ vault: { name: "kv1" }, window, callers: { userPrincipalNames: ["u"], objectIds: ["o"] } });
    const shapes = baseline.map((q) => queryShape(q.query));
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 40 }), (upn, oid) => {
        fc.pre(upn.trim() !== "" && oid.trim() !== "");
        const queries = buildImpactQueries({ vault: { name: "kv1" }, window, callers: { userPrincipalNames: [upn], objectIds: [oid] } });
        queries.forEach((q, i) => {
          expect(queryShape(q.query)).toEqual(shapes[i]);
          if (q.kind === "callers") return;
          const literals = stringLiterals(q.query);
          expect(literals).toContain(upn.trim());
          expect(literals).toContain(oid.trim());
        });
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});

describe("kqlString", () => {
  it("property: Kusto's parser decodes every literal back to the exact string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 64 }), (value) => {
        const literal = kqlString(value);
        expect(literal).toMatch(/^"[\x20-\x7e]*"$/);
        expect(stringLiterals(`print x = ${literal}`)).toEqual([value]);
      }),
      { numRuns: 300 },
    );
  });

  it("property: a literal never ends early: no unescaped quote inside", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), (value) => {
        const inner = kqlString(value).slice(1, -1);
        expect(inner.replace(/\\\\/g, "").replace(/\\"/g, "")).not.toContain('"');
      }),
    );
  });
});

describe("caller census look-back", () => {
  const census = (criteria: Partial<ImpactCriteria>) =>
    buildImpactQueries({ vault: { name: "kv1" }, window, callers: { ipAddresses: ["1.2.3.4"] }, ...criteria }).filter((q) => q.kind === "callers");

  it("reaches back 7 days by default, so the firewall check sees the vault's regular callers, not only the alert's hour", () => {
    for (const query of census({})) {
      expect(query.window.start.toISOString()).toBe("2026-01-08T10:00:00.123Z");
      expect(query.window.end.toISOString()).toBe("2026-01-15T11:00:00.000Z");
      expect(query.query).toContain("datetime(2026-01-08T10:00:00.123Z)");
    }
  });

  it("is configurable, and never narrower than the activity window", () => {
    expect(census({ callerCensusLookbackDays: 2 })[0]!.window.start.toISOString()).toBe("2026-01-13T10:00:00.123Z");
    expect(census({ callerCensusLookbackDays: 0 })[0]!.window.start.toISOString()).toBe("2026-01-15T09:00:00.123Z");
    expect(() => census({ callerCensusLookbackDays: -1 })).toThrow(/callerCensusLookbackDays must be a finite number of days/);
  });
});
