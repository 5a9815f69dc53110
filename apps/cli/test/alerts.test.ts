import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const cli = (args: string[], stdin?: string) => runCli(args, { cwd: work.dir, ...(stdin === undefined ? {} : { stdin }) });
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

beforeAll(() => {
  copyFileSync(fixture("simulated-alert.json"), join(work.dir, "alert.json"));
  copyFileSync(fixture("alerts-list.json"), join(work.dir, "alerts.json"));
});

describe("keywarden alerts parse", () => {
  it("normalises one alert file (json)", async () => {
    const result = await cli(["alerts", "parse", "alert.json", "--format", "json"]);
    expect(result.code, result.stderr).toBe(0);
    const [alert] = parseJsonOutput<JsonDocument[]>(result);
    expect(alert).toMatchObject({ kind: "KV_OperationVolumeAnomaly", simulated: true, channel: "arm", vault: { name: "Sample-KV" } });
  });

  it("normalises a list response and prints a readable summary (text)", async () => {
    const result = await cli(["alerts", "parse", "alerts.json"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Sample-KV");
    expect(result.stdout).toMatch(/5 alerts\s*$/);
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("reads stdin with -", async () => {
    const result = await cli(["alerts", "parse", "-", "--format", "json"], readFileSync(join(work.dir, "alert.json"), "utf8"));
    expect(result.code).toBe(0);
    expect(parseJsonOutput<JsonDocument[]>(result)).toHaveLength(1);
  });

  it("prints OCSF Detection Findings with --ocsf", async () => {
    const result = await cli(["alerts", "parse", "alert.json", "--ocsf"]);
    expect(result.code).toBe(0);
    const [finding] = JSON.parse(result.stdout);
    expect(finding.class_uid).toBe(2004);
  });

  it("accepts the legacy alert shape (api-version 2019-01-01) and names it in a warning", async () => {
    const subscription = "20ff7fc3-e762-44dd-bd96-b71116dcdc23";
    const name = "2518770965529163669_F144EE95-A3E5-42DA-A279-967D115809AA";
    const legacy = {
      id: `/subscriptions/${subscription}/resourceGroups/kv-rg/providers/Microsoft.Security/locations/westeurope/alerts/${name}`,
      name,
      type: "Microsoft.Security/Locations/alerts",
      properties: {
        alertName: "KV_SuspiciousIPAccess",
        alertDisplayName: "Access from a suspicious IP address to a key vault",
        description: "A key vault has been accessed by an IP flagged by Microsoft Threat Intelligence.",
        reportedSeverity: "High",
        state: "Active",
        detectedTimeUtc: "2019-05-01T19:50:47.083Z",
        reportedTimeUtc: "2019-05-02T05:36:12.208Z",
        associatedResource: `/subscriptions/${subscription}/resourceGroups/kv-rg/providers/Microsoft.KeyVault/vaults/contoso-kv`,
        subscriptionId: subscription,
        compromisedEntity: "contoso-kv",
        extendedProperties: { "attacker IP Address": "203.0.113.77" },
      },
    };
    writeFileSync(join(work.dir, "legacy-alert.json"), JSON.stringify(legacy));
    const json = await cli(["alerts", "parse", "legacy-alert.json", "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const [alert] = parseJsonOutput<JsonDocument[]>(json);
    expect(alert).toMatchObject({ kind: "KV_SuspiciousIPAccess", channel: "arm", severity: "High", vault: { name: "contoso-kv" }, source: { ipAddress: "203.0.113.77" } });
    expect((alert as { warnings: { code: string }[] }).warnings.map((warning) => warning.code)).toContain("KW_ALERTS_W0016");
    const text = await cli(["alerts", "parse", "legacy-alert.json", "--verbose"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("legacy Alerts API shape");
  });

  it("refuses a file that is not an alert: one line, exit 2, no stack", async () => {
    writeFileSync(join(work.dir, "not-alert.json"), JSON.stringify({ hello: "world" }));
    const result = await cli(["alerts", "parse", "not-alert.json"]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: not-alert\.json is not a Defender for Key Vault alert: .+\[KW_CLI_E0005\]$/);
    expect(result.stdout).toBe("");
  });

  it("refuses a missing file and invalid JSON with exit 2", async () => {
    expect((await cli(["alerts", "parse", "missing.json"])).code).toBe(2);
    writeFileSync(join(work.dir, "broken.json"), "{");
    const broken = await cli(["alerts", "parse", "broken.json", "--format", "json"]);
    expect(broken.code).toBe(2);
    expect(parseJsonOutput(broken).error.code).toBe("KW_CLI_E0004");
  });
});

describe("keywarden alerts list (sandbox)", () => {
  it("lists the sandbox's Key Vault alerts, json and text", async () => {
    const json = await cli(["--sandbox", "alerts", "list", "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const alerts = parseJsonOutput<JsonDocument[]>(json);
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) expect(alert.alertType).toMatch(/^KV_/);
    const text = await cli(["--sandbox", "alerts", "list"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(alerts[0].vault.name);
  });

  it("filters by --since", async () => {
    const result = await cli(["--sandbox", "alerts", "list", "--since", "2999-01-01T00:00:00Z", "--format", "json"]);
    expect(result.code).toBe(0);
    expect(parseJsonOutput(result)).toEqual([]);
    expect((await cli(["--sandbox", "alerts", "list", "--since", "yesterday"])).code).toBe(2);
  });

  it("names the missing permission and the built-in role on a 403", async () => {
    const result = await runCli(["--sandbox", "alerts", "list"], {
      cwd: work.dir,
      env: { KEYWARDEN_SANDBOX_FAULTS: JSON.stringify([{ method: "GET", url: "/subscriptions/*/providers/Microsoft.Security/alerts", status: 403 }]) },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Permission denied for list \/ get alerts: the signed-in identity lacks Microsoft\.Security\/alerts\/read/);
    expect(result.stderr).toMatch(/least-privileged built-in role that grants it: Security Reader/);
  });
});

describe("keywarden simulate (sandbox)", () => {
  it("asks Defender for sample Key Vault alerts and lists the new SIMULATED_ ones", async () => {
    expect((await cli(["sandbox", "reset"])).code).toBe(0);
    const result = await cli(["--sandbox", "simulate", "--location", "westeurope", "--format", "json"]);
    expect(result.code, result.stderr).toBe(0);
    const alerts = parseJsonOutput<JsonDocument[]>(result);
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) expect(alert.alertType).toMatch(/^SIMULATED_KV_/);
    const listed = parseJsonOutput<JsonDocument[]>(await cli(["--sandbox", "alerts", "list", "--include-simulated", "--format", "json"]));
    expect(listed.length).toBeGreaterThan(alerts.length);
    expect((await cli(["--sandbox", "simulate", "--location", "west europe"])).code).toBe(2);
  }, 180_000);
});
