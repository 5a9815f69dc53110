// A newcomer's first run: a fresh clone of this repository's HEAD, `npm ci`, then `npm start`, timed to the
// demo's first line on stdout. Prints `BENCH cli-first-run seconds_to_first_line=...` (from the end of `npm ci`),
// plus the `npm ci` time, the time to the demo's end and whether a telemetry notice appeared.
// Set BENCH_FIRST_RUN=0 to skip (it needs the npm registry or a warm npm cache, and a minute or two).
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
    // The user's environment as is: no telemetry opt-out, so a notice would show.
    const child = spawn("npm", ["start"], { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let firstLine;
    let output = "";
    const pending = { stdout: "", stderr: "" };
    const watch = (stream, name) =>
      stream.setEncoding("utf8").on("data", (chunk) => {
        output += chunk;
        pending[name] += chunk;
        // npm echoes the script first (`> start`, `> node ...`) and may warn (`npm warn ...`): the demo's first
        // line, on either stream (its progress goes to stderr), is the first other non-empty one.
        const complete = pending[name].slice(0, pending[name].lastIndexOf("\n") + 1).split("\n");
        if (firstLine === undefined && complete.some((line) => line.trim() !== "" && !line.startsWith(">") && !line.startsWith("npm "))) {
          firstLine = seconds(started);
        }
      });
    watch(child.stdout, "stdout");
    watch(child.stderr, "stderr");
    child.on("error", reject);
    child.on("close", (code) => {
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
    const ciStarted = process.hrtime.bigint();
    run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], clone);
    const npmCi = seconds(ciStarted);
    const start = await timeStart(clone);
    console.log(
      `BENCH cli-first-run seconds_to_first_line=${start.firstLine.toFixed(1)} seconds_to_done=${start.done.toFixed(1)} ` +
        `npm_ci_s=${npmCi.toFixed(1)} telemetry_notice=${start.telemetry ? 1 : 0} goal=15`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
