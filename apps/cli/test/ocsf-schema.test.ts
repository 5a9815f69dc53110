import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { alertCatalog, parseAlerts, toOcsf } from "@keywarden/alerts";
import { afterAll, describe, expect, it } from "vitest";

// The schema the library's OCSF test validates with, composed from the vendored OCSF 1.3.0 extract the alerts
// package keeps with its tests (test code, never published, so imported by path).
import { detectionFindingProblems as problems } from "../../../packages/alerts/test/ocsf/detection-finding-problems.js";
import { makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const cli = (args: string[]) => runCli(args, { cwd: work.dir });

const alertsFixtures = new URL("../../../packages/alerts/test/fixtures/", import.meta.url);
const cliFixtures = new URL("./fixtures/", import.meta.url);

/** Every alert fixture: each channel's sample, the ARM examples, the export and XSOAR samples, the CLI's own. */
function fixtureFiles(root: URL, directory = ""): URL[] {
  return readdirSync(new URL(directory, root)).flatMap((name) => {
    const relative = `${directory}${name}`;
    if (name === "ocsf-schema-1.3.0") return [];
    if (statSync(new URL(relative, root)).isDirectory()) return fixtureFiles(root, `${relative}/`);
    return name.endsWith(".json") ? [new URL(relative, root)] : [];
  });
}

const files = [...fixtureFiles(alertsFixtures), ...fixtureFiles(cliFixtures)].map((url) => ({
  name: fileURLToPath(url).replace(/^.*\/test\/fixtures\//, ""),
  path: fileURLToPath(url),
}));

/**
 * The payload the CLI is given: Swagger examples wrap the response in `responses.200.body`, which is what an ARM
 * call returns, so that body is what a user would save and parse.
 */
function payloadFile(file: { name: string; path: string }): { path: string; json: unknown } {
  const json = JSON.parse(readFileSync(file.path, "utf8"));
  const body = json?.responses?.["200"]?.body;
  if (body === undefined) return { path: file.path, json };
  const path = join(work.dir, file.name.replaceAll("/", "-"));
  writeFileSync(path, JSON.stringify(body));
  return { path, json: body };
}

describe("keywarden alerts parse --ocsf against the OCSF 1.3.0 Detection Finding schema", () => {
  it("finds the fixtures of every channel", () => {
    expect(files.map((file) => file.name)).toEqual(
      expect.arrayContaining([
        "cross-channel/arm.json",
        "cross-channel/export.json",
        "cross-channel/graph.json",
        "cross-channel/log-analytics-query.json",
        "cross-channel/log-analytics-row.json",
        "simulated-alert.json",
        "alerts-list.json",
      ]),
    );
  });

  it.each(files)("$name", async (file) => {
    const payload = payloadFile(file);
    const result = await cli(["alerts", "parse", payload.path, "--ocsf"]);
    expect(result.code, result.stderr).toBe(0);
    const findings = parseJsonOutput<JsonDocument[]>(result);
    // The CLI prints the library's mapping, one finding per alert, nothing added or dropped on the way out.
    expect(findings).toEqual(JSON.parse(JSON.stringify(parseAlerts(payload.json).map((alert) => toOcsf(alert)))));
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) expect(problems(finding), finding?.finding_info?.uid).toEqual([]);
  });

  it("every catalogued alert type, simulated or not, in every status (--format json)", async () => {
    const arm = JSON.parse(readFileSync(new URL("cross-channel/arm.json", alertsFixtures), "utf8"));
    const variants = Object.keys(alertCatalog).flatMap((kind) =>
      [kind, `SIMULATED_${kind}`].flatMap((alertType) =>
        ["Active", "InProgress", "Dismissed", "Resolved"].map((status, index) => ({
          ...arm,
          name: `${arm.name}-${alertType}-${index}`,
          properties: { ...arm.properties, alertType, status },
        })),
      ),
    );
    writeFileSync(join(work.dir, "every-type.json"), JSON.stringify(variants));
    const result = await cli(["alerts", "parse", "every-type.json", "--ocsf", "--format", "json"]);
    expect(result.code, result.stderr).toBe(0);
    const findings = parseJsonOutput<JsonDocument[]>(result);
    expect(findings).toHaveLength(variants.length);
    for (const finding of findings) expect(problems(finding), `${finding?.unmapped?.alert_type} ${finding?.status_detail}`).toEqual([]);
    expect(new Set(findings.map((finding) => finding.activity_id))).toEqual(new Set([1, 2, 3]));
  });

  it("the schema it validates with rejects a broken finding from the CLI", async () => {
    const result = await cli(["alerts", "parse", fileURLToPath(new URL("cross-channel/arm.json", alertsFixtures)), "--ocsf"]);
    const [finding] = parseJsonOutput<JsonDocument[]>(result);
    delete finding.finding_info.uid;
    finding.activity_id = 4;
    const found = problems(finding).join("\n");
    expect(found).toMatch(/\/finding_info must have required property 'uid'/);
    expect(found).toMatch(/\/activity_id must be equal to one of the allowed values/);
  });
});
