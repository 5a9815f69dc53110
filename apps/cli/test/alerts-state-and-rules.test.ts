import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const cli = (args: string[], env?: Record<string, string>) => runCli(args, { cwd: work.dir, ...(env === undefined ? {} : { env }) });
let ids: string[] = [];
/** The scenario's own (not simulated) alert: its response closes the vault firewall. */
let incidentId = "";

beforeAll(async () => {
  expect((await cli(["sandbox", "reset"])).code).toBe(0);
  // Defender's sample alerts give the tenant several alerts to move at once.
  expect((await cli(["--sandbox", "simulate", "--location", "westeurope"])).code).toBe(0);
  const listed = await cli(["--sandbox", "alerts", "list", "--include-simulated", "--format", "json"]);
  const alerts = parseJsonOutput<JsonDocument[]>(listed) as { id: string; simulated: boolean }[];
  ids = alerts.map((alert) => alert.id);
  incidentId = alerts.find((alert) => !alert.simulated)?.id ?? "";
  expect(ids.length).toBeGreaterThanOrEqual(2);
});

describe("keywarden alerts state", () => {
  it("moves alerts in bulk, idempotently, with a dry run; a missing alert is listed and the others proceed (exit 1)", async () => {
    const [first, second] = ids.filter((id) => id !== incidentId) as [string, string];
    const missing = `${first.slice(0, first.lastIndexOf("/") + 1)}0000000000000000000_00000000-0000-0000-0000-000000000000`;
    const dry = await cli(["--sandbox", "alerts", "state", first, second, "--to", "resolved", "--dry-run", "--format", "json"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(parseJsonOutput(dry).alerts.map((row: { outcome: string }) => row.outcome)).toEqual(["would-change", "would-change"]);

    const real = await cli(["--sandbox", "alerts", "state", first, missing, second, "--to", "resolved", "--format", "json"]);
    expect(real.code, real.stderr).toBe(1);
    expect(parseJsonOutput(real).alerts.map((row: { id: string; outcome: string }) => [row.id, row.outcome])).toEqual([
      [first, "updated"],
      [missing, "not-found"],
      [second, "updated"],
    ]);
    const again = await cli(["--sandbox", "alerts", "state", first, second, "--to", "resolved", "--format", "json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(parseJsonOutput(again).alerts.map((row: { outcome: string }) => row.outcome)).toEqual(["unchanged", "unchanged"]);
    const shown = parseJsonOutput<JsonDocument[]>(await cli(["--sandbox", "alerts", "list", "--include-simulated", "--format", "json"]));
    expect(shown.find((alert: { id: string }) => alert.id === first).status).toBe("Resolved");
  });

  it("dismissed needs --reason (exit 2, nothing changed)", async () => {
    const result = await cli(["--sandbox", "alerts", "state", ids[1]!, "--to", "dismissed"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs a reason: pass --reason/);
  });

  it("refuses to dismiss an alert whose response the journal records as unfinished", async () => {
    const respond = await cli(["--sandbox", "respond", incidentId, "--out", "plan.json"]);
    expect(respond.code, respond.stderr).toBe(0);
    // Every ARM write fails: the response stops with steps left undone.
    const faults = JSON.stringify([{ method: "PATCH", url: "https://management.azure.com/**", status: 409, times: 10 }]);
    const applied = await cli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "pending.jsonl"], { KEYWARDEN_SANDBOX_FAULTS: faults });
    expect(applied.code).toBe(1);
    const refused = await cli(["--sandbox", "alerts", "state", incidentId, "--to", "dismissed", "--reason", "false positive", "--journal", "pending.jsonl", "--format", "json"]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(parseJsonOutput(refused).alerts[0]).toMatchObject({ outcome: "refused", message: expect.stringContaining("a response is still pending") });
  });
});

describe("keywarden suppress list / get / delete", () => {
  beforeAll(async () => {
    writeFileSync(
      join(work.dir, "rules.json"),
      JSON.stringify({
        rules: [
          {
            name: "backup-app",
            alertType: "KV_TORAccess",
            reason: "Other",
            comment: "confirmed with the owner",
            expiresOn: new Date(Date.parse("2030-01-01T00:00:00Z")).toISOString(),
            // An exact IP condition: a Tor-access rule without one is a lint error that apply refuses.
            scope: [
              { field: "entities.azureresource.resourceid", contains: "kv-backup" },
              { field: "entities.ip.address", in: ["203.0.113.7"] },
            ],
          },
        ],
      }),
    );
    const applied = await cli(["--sandbox", "suppress", "apply", "rules.json", "--yes"]);
    expect(applied.code, applied.stderr).toBe(0);
  });

  it("lists and gets the rules, deletes one (dry run first), and a second delete finds it gone", async () => {
    const listed = parseJsonOutput(await cli(["--sandbox", "suppress", "list", "--format", "json"]));
    expect(listed.subscriptions.flatMap((entry: { rules: { name: string }[] }) => entry.rules.map((rule) => rule.name))).toContain("backup-app");
    const got = await cli(["--sandbox", "suppress", "get", "backup-app", "--format", "json"]);
    expect(got.code, got.stderr).toBe(0);
    expect(parseJsonOutput(got).rule).toMatchObject({ name: "backup-app", alertType: "KV_TORAccess" });
    const missing = await cli(["--sandbox", "suppress", "get", "no-such-rule"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No suppression rule named 'no-such-rule'.*\[KW_CLI_E0020\]/);

    const dry = parseJsonOutput(await cli(["--sandbox", "suppress", "delete", "backup-app", "--dry-run", "--format", "json"]));
    expect(dry.deleted).toEqual([expect.objectContaining({ name: "backup-app", outcome: "would-delete" })]);
    const refused = await cli(["--sandbox", "suppress", "delete", "backup-app"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/needs approval/);
    const deleted = parseJsonOutput(await cli(["--sandbox", "suppress", "delete", "backup-app", "--yes", "--format", "json"]));
    expect(deleted.deleted).toEqual([expect.objectContaining({ name: "backup-app", outcome: "deleted" })]);
    const again = parseJsonOutput(await cli(["--sandbox", "suppress", "delete", "backup-app", "--yes", "--format", "json"]));
    expect(again).toMatchObject({ deleted: [], notFound: ["backup-app"] });
  });
});
