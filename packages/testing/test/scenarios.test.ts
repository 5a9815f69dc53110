import { describe, expect, it } from "vitest";
import { createFakeAzure, getScenario, listScenarios, loadSeed, SCENARIO_NAMES } from "../src/index.js";

describe("scenarios", () => {
  it("lists the five ready-made scenarios with descriptions", () => {
    expect(listScenarios().map((s) => s.name)).toEqual([...SCENARIO_NAMES]);
    for (const scenario of listScenarios()) expect(scenario.description.length).toBeGreaterThan(40);
  });

  it("refuses an unknown scenario name and names the known ones", () => {
    expect(() => getScenario("nope")).toThrow(/Known scenarios: tor-secret-reads/u);
    expect(() => getScenario("nope")).toThrow(expect.objectContaining({ code: "KW_TESTING_E0002" }));
  });

  it("returns a fresh copy each time", () => {
    const a = getScenario("tor-secret-reads");
    a.alerts = [];
    expect(getScenario("tor-secret-reads").alerts).toHaveLength(1);
  });

  describe.each(SCENARIO_NAMES.map((name) => [name]))("%s", (name) => {
    const seed = getScenario(name);

    it("validates against the seed schema and builds a tenant that round-trips", () => {
      expect(() => loadSeed(seed)).not.toThrow();
      const tenant = createFakeAzure({ seed });
      const exported = tenant.exportSeed();
      expect(createFakeAzure({ seed: exported }).exportSeed()).toEqual(exported);
    });

    it("is internally consistent: the alert's vault exists, its logs reach a workspace, read secrets exist", () => {
      const tenant = createFakeAzure({ seed });
      const alerts = [...tenant.state.alerts.values()];
      expect(alerts).toHaveLength(1);
      const alert = alerts[0]!;
      const vaultId = alert.properties.resourceIdentifiers?.[0]?.azureResourceId ?? "";
      const vault = tenant.state.vaults.get(vaultId);
      expect(vault, `vault ${vaultId}`).toBeDefined();
      const setting = [...tenant.state.diagnosticSettings.values()].find((s) => s.id.toLowerCase().startsWith(vaultId.toLowerCase()));
      expect(setting?.properties.workspaceId).toBeTruthy();
      const workspace = [...tenant.state.workspaces.values()].find((w) => w.resource.id.toLowerCase() === setting?.properties.workspaceId?.toLowerCase());
      expect(workspace).toBeDefined();
      const rows = [...workspace!.tables.values()].flatMap((t) => t.rows);
      expect(rows.length).toBeGreaterThan(3);
      const attackerIp = alert.properties.extendedProperties?.["attacker IP Address"];
      const attackerRows = rows.filter((r) => (r["CallerIpAddress"] ?? r["CallerIPAddress"]) === attackerIp);
      expect(attackerRows.length).toBeGreaterThan(0);
      for (const row of attackerRows) {
        const objectUri = (row["Id"] ?? row["id_s"] ?? "") as string;
        const match = /\/secrets\/([^/]+)\/([0-9a-f]{32})$/u.exec(objectUri);
        if (match && (row["HttpStatusCode"] ?? row["httpStatusCode_d"]) === 200) {
          const secret = vault!.secrets.get(match[1]!);
          expect(secret?.versions.map((v) => v.version), objectUri).toContain(match[2]);
        }
      }
    });

    it("gives every secret version a unique fake value", () => {
      const values = Object.values(seed.vaultData ?? {}).flatMap((d) => (d.secrets ?? []).flatMap((s) => s.versions.map((v) => v.value)));
      expect(new Set(values).size).toBe(values.length);
      for (const value of values) expect(value).toMatch(/^fake-/u);
    });
  });
});
