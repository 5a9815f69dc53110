// Start-up and demo wall time of the built CLI, as ratios against a bare `node -e 0` measured in the same run.
// Run with `npm run bench -w @keywarden/cli` (turbo builds the CLI and its libraries first).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "keywarden-bench-"));

function time(args, { expectStatus = 0 } = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: work, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== expectStatus) {
    throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  }
  return ms;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(args, runs) {
  time(args); // warm the file system cache
  return median(Array.from({ length: runs }, () => time(args)));
}

try {
  const runs = Number(process.env.BENCH_RUNS ?? 15);
  const node = measure(["-e", "0"], runs);
  const help = measure([bin, "--help"], runs);
  console.log(`BENCH cli-startup ratio=${(help / node).toFixed(2)} help_ms=${help.toFixed(1)} node_ms=${node.toFixed(1)} runs=${runs} goal=3`);
  const demoRuns = Math.max(3, Math.floor(runs / 3));
  const demo = measure([bin, "demo", "--format", "json"], demoRuns);
  console.log(`BENCH cli-demo ratio=${(demo / node).toFixed(2)} demo_ms=${demo.toFixed(1)} node_ms=${node.toFixed(1)} runs=${demoRuns}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
