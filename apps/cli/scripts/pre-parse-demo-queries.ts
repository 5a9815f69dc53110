/**
 * Regenerates packages/testing/src/log-analytics/kql-pre-parsed.json: runs `keywarden demo` on every built-in
 * scenario in this process with the fake's analysis recorder on, and writes every KQL query the Kusto parser
 * accepted, with the tables it was analyzed against. Run after a change to the demo's queries, the scenarios or
 * the KQL subset (kql-pre-parsed.test.ts in @keywarden/testing says when):
 *   node --import tsx apps/cli/scripts/pre-parse-demo-queries.ts
 */
import { writeFileSync } from "node:fs";
import { Writable } from "node:stream";

import { SCENARIO_NAMES } from "@keywarden/testing/scenarios";

import { recordKqlAnalyses } from "../../../packages/testing/src/log-analytics/kql-pre-parsed.js";
import { runCli } from "../src/program.js";

const target = new URL("../../../packages/testing/src/log-analytics/kql-pre-parsed.json", import.meta.url);
const discard = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });

const entries = recordKqlAnalyses();
for (const scenario of SCENARIO_NAMES) {
  const code = await runCli(["node", "keywarden", "demo", "--scenario", scenario, "--format", "json"], {
    streams: { stdout: discard() as unknown as NodeJS.WriteStream, stderr: discard() as unknown as NodeJS.WriteStream, stdin: process.stdin },
  });
  if (code !== 0) throw new Error(`keywarden demo --scenario ${scenario} exited ${code}`);
}
entries.sort((a, b) => a.query.localeCompare(b.query) || a.schemas.localeCompare(b.schemas));
writeFileSync(target, `${JSON.stringify({ entries }, null, 2)}\n`);
console.log(`${entries.length} queries pre-parsed into ${target.pathname}`);
