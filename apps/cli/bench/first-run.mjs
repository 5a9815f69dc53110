// A newcomer's first run: a fresh clone of this repository's HEAD, `npm ci`, then `npm start`, timed to the
// demo's first line (its title, `▶ Keywarden demo on the sandbox tenant ...`, on stdout or stderr). Prints
// `BENCH cli-first-run seconds_to_first_line=...` (from the end of `npm ci`), plus the `npm ci` time, the time to
// the demo's end and whether a telemetry notice appeared. `npm start` runs with an empty XDG_CONFIG_HOME, as on a
// machine that never ran turbo, so a notice shown once per machine still counts.
// Set BENCH_FIRST_RUN=0 to skip (it needs the npm registry or a warm npm cache, and a minute or two), and
// BENCH_FIRST_RUN_REF=<commit> to measure another commit (e.g. the one before a change) the same way.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

function seconds(since) {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
}

/** Runs `npm start` in `cwd`; resolves with the seconds to the first stdout line and to the exit. */
function timeStart(cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // The user's environment otherwise as is: no telemetry opt-out, so a notice would show.
    const config = mkdtempSync(join(tmpdir(), "keywarden-first-run-config-"));
    const child = spawn("npm", ["start"], { cwd, env: { ...process.env, NO_COLOR: "1", XDG_CONFIG_HOME: config }, stdio: ["ignore", "pipe", "pipe"] });
    let firstLine;
    let output = "";
    const watch = (stream) =>
      stream.setEncoding("utf8").on("data", (chunk) => {
        output += chunk;
        if (firstLine === undefined && output.includes("Keywarden demo")) firstLine = seconds(started);
      });
    watch(child.stdout);
    watch(child.stderr);
    child.on("error", reject);
    child.on("close", (code) => {
      rmSync(config, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`npm start exited ${code}:\n${output.slice(-2000)}`));
      else resolve({ firstLine: firstLine ?? Number.NaN, done: seconds(started), telemetry: /telemetry/i.test(output) });
    });
  });
}

if (process.env.BENCH_FIRST_RUN === "0") {
  console.log("BENCH cli-first-run skipped=1 (BENCH_FIRST_RUN=0)");
} else {
  const work = mkdtempSync(join(tmpdir(), "keywarden-first-run-"));
  try {
    const clone = join(work, "keywarden");
    run("git", ["clone", "--quiet", "--no-hardlinks", repoRoot, clone], work);
    if (process.env.BENCH_FIRST_RUN_REF) run("git", ["checkout", "--quiet", process.env.BENCH_FIRST_RUN_REF], clone);
    const ciStarted = process.hrtime.bigint();
    run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], clone);
    const npmCi = seconds(ciStarted);
    const start = await timeStart(clone);
    console.log(
      `BENCH cli-first-run ${process.env.BENCH_FIRST_RUN_REF ? `ref=${process.env.BENCH_FIRST_RUN_REF} ` : ""}seconds_to_first_line=${start.firstLine.toFixed(1)} seconds_to_done=${start.done.toFixed(1)} ` +
        `npm_ci_s=${npmCi.toFixed(1)} telemetry_notice=${start.telemetry ? 1 : 0} goal=15`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
