#!/usr/bin/env node
/**
 * Docs that run: every fenced TypeScript block of every README.md and docs/*.md is type-checked against the BUILT
 * packages (as an integrator's compiler sees them, `strict` and `exactOptionalPropertyTypes` on), and the runnable
 * ones are run, against `@keywarden/testing` or nothing at all (no network: the snippets that need Azure say so).
 *
 * A block's info string says what it is:
 *
 *   ```ts            a complete program: type-checked and run; every `// prints <text>` line must appear, in order,
 *                    among the lines it prints
 *   ```ts test       a vitest test file: type-checked and run with vitest
 *   ```ts no-run     complete, type-checked, not run (it needs a real tenant or your own systems)
 *   ```ts fragment   part of an example around it: neither (a `<!-- fragment -->` line before the block also works)
 *
 * A `<!-- file: name.ts -->` line before a block saves it under that name, so the blocks after it in the same
 * document import it as a reader would (`import { respondToDefenderAlert } from "./soar-playbook.js"`).
 *
 * Every built-in scenario: a runnable block that names one of @keywarden/testing's `SCENARIO_NAMES` as a string
 * literal (`getScenario("tor-secret-reads")`) is written for that scenario, and is ALSO run once per other built-in
 * scenario with that literal replaced, the one thing a reader would change (a block naming several scenarios is
 * written for the first one it names; the others stay). There it must exit 0 and print no `FAIL` or unhandled error;
 * its `// prints` lines are asserted only in the scenario it is written for, except the ones the text claims hold
 * everywhere:
 *
 *   // prints in every scenario: <text>      asserted (in order with the other such lines) in every scenario
 *
 * A block that cannot run in some scenario (it needs a Tor alert, say) should be robust the way a reader's code
 * would be; when that is not possible, a `<!-- scenarios: a, b -->` line before it (with the reason in the prose)
 * limits the other scenarios it runs in to those named. Runs go `DOCS_JOBS` (default 2) at a time.
 *
 * Needs the packages built (`npm run build`). `node scripts/check-docs.mjs [file.md ...]` checks only those files.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, ".tsbuild", "docs-snippets");
const kinds = new Set(["run", "test", "no-run", "fragment"]);
// From the built package, as the snippets see it: a scenario added there is covered here without a change.
const { SCENARIO_NAMES: scenarioNames } = await import("@keywarden/testing");
const scenarioLiteral = new RegExp(`(["'])(${scenarioNames.join("|")})\\1`, "gu");
const jobs = Math.max(1, Number(process.env.DOCS_JOBS ?? 2) || 2);

const markdownFiles =
  process.argv.length > 2
    ? process.argv.slice(2).map((file) => resolve(file))
    : [
        join(root, "README.md"),
        ...["packages", "apps"].flatMap((group) =>
          readdirSync(join(root, group))
            .map((dir) => join(root, group, dir, "README.md"))
            .filter((file) => existsSync(file)),
        ),
        ...readdirSync(join(root, "docs"))
          .filter((file) => file.endsWith(".md"))
          .map((file) => join(root, "docs", file)),
      ];

let problems = 0;
const problem = (message) => {
  problems += 1;
  console.error(`FAIL ${message}`);
};

const snippets = [];
for (const file of markdownFiles) {
  const lines = readFileSync(file, "utf8").split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    const fence = /^```(ts|typescript)\b(.*)$/.exec(lines[index]);
    if (!fence) continue;
    const end = lines.findIndex((line, at) => at > index && line.startsWith("```"));
    if (end === -1) throw new Error(`${relative(root, file)}:${index + 1}: unclosed code block`);
    const words = fence[2].trim().split(/\s+/).filter(Boolean);
    const unknown = words.filter((word) => !kinds.has(word));
    if (unknown.length > 0) problem(`${relative(root, file)}:${index + 1}: unknown block marker ${unknown.join(" ")} (use test, no-run or fragment)`);
    // The HTML comments just above the fence (blank lines between them allowed) are the block's directives.
    const directives = [];
    for (let at = index - 1; at >= 0; at -= 1) {
      const line = lines[at].trim();
      if (line === "") continue;
      if (!/^<!--.*-->$/u.test(line)) break;
      directives.push(line);
    }
    const kind = directives.includes("<!-- fragment -->") ? "fragment" : (words.find((word) => kinds.has(word)) ?? "run");
    const where = `${relative(root, file)}:${index + 1}`;
    const fileName = directives.map((line) => /^<!-- file: ([a-z0-9][a-z0-9-]*)\.ts -->$/u.exec(line)?.[1]).find(Boolean);
    const restriction = directives.map((line) => /^<!-- scenarios: (.*) -->$/u.exec(line)?.[1]).find((value) => value !== undefined);
    const only = restriction?.split(",").map((name) => name.trim()).filter(Boolean);
    const unknownScenarios = (only ?? []).filter((name) => !scenarioNames.includes(name));
    if (unknownScenarios.length > 0) problem(`${where}: unknown scenario ${unknownScenarios.join(", ")} in <!-- scenarios: --> (known: ${scenarioNames.join(", ")})`);
    const prefix = relative(root, file).replaceAll(/[^a-z0-9]+/giu, "-").replace(/^-+/u, "").toLowerCase();
    // A named block is saved under its own name; the others get the document's name and line, which never collide.
    const name = `${fileName ?? `${prefix}-${index + 1}`}${kind === "test" ? ".test" : ""}.ts`;
    if (fileName !== undefined && snippets.some((snippet) => snippet.name === name)) problem(`${where}: a second block saved as ${name}`);
    const code = lines.slice(index + 1, end).join("\n");
    // The scenario a block is written for: the first built-in one it names.
    const scenario = [...code.matchAll(scenarioLiteral)][0]?.[2];
    if (only !== undefined && scenario === undefined) problem(`${where}: <!-- scenarios: --> on a block that names no built-in scenario`);
    snippets.push({ where, file, firstLine: index + 2, kind, name, code, scenario, only });
    index = end;
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// The snippets' own vitest config, so vitest never picks up the repository's root config (whose include list
// names test/ folders the snippet directory does not have).
writeFileSync(join(out, "vitest.config.mjs"), 'export default { test: { include: ["*.test.ts"] } };\n');
// Outside every package's tsconfig and without `paths`: `@keywarden/*` resolves through node_modules to dist/.
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      types: ["node"],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ["*.ts"],
  }),
);
const checked = snippets.filter((snippet) => snippet.kind !== "fragment");
for (const snippet of checked) {
  const isModule = /^\s*(import|export)\s/mu.test(snippet.code);
  writeSnippet(snippet.name, `${snippet.code}\n${isModule ? "" : "export {};\n"}`, snippet.kind);
}

// 1. Type-check all of them in one program.
const tsc = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", out, "--pretty", "false"], { encoding: "utf8" });
for (const line of `${tsc.stdout}${tsc.stderr}`.split("\n").filter(Boolean)) {
  const match = /^(.+?\.ts)\((\d+),(\d+)\): (.*)$/u.exec(line);
  const snippet = match ? checked.find((candidate) => candidate.name === match[1].split(/[\\/]/u).pop()) : undefined;
  if (snippet && match) problem(`${relative(root, snippet.file)}:${snippet.firstLine + Number(match[2]) - 1}: ${match[4]}`);
  else if (line.trim() !== "") problem(`tsc: ${line}`);
}

// 2. Run the runnable ones: each as written, and each that names a built-in scenario in every other one.
const runs = [];
for (const snippet of checked.filter((candidate) => candidate.kind === "run" || candidate.kind === "test")) {
  runs.push({ snippet, scenario: snippet.scenario, name: snippet.name, code: snippet.code, asWritten: true });
  if (snippet.scenario === undefined) continue;
  const named = new Set([...snippet.code.matchAll(scenarioLiteral)].map((match) => match[2]));
  for (const scenario of scenarioNames) {
    // A scenario the block already names beside its own would turn its two inputs into one: not a reader's change.
    if (named.has(scenario) || (snippet.only !== undefined && !snippet.only.includes(scenario))) continue;
    const code = snippet.code.replaceAll(scenarioLiteral, (literal, quote, name) => (name === snippet.scenario ? `${quote}${scenario}${quote}` : literal));
    const name = snippet.name.replace(/(\.test)?\.ts$/u, (suffix) => `.in-${scenario}${suffix}`);
    const isModule = /^\s*(import|export)\s/mu.test(code);
    writeSnippet(name, `${code}\n${isModule ? "" : "export {};\n"}`, snippet.kind);
    runs.push({ snippet, scenario, name, code, asWritten: false });
  }
}

const results = new Array(runs.length);
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(jobs, runs.length) }, async () => {
    while (next < runs.length) {
      const at = next;
      next += 1;
      results[at] = await run(runs[at]);
    }
  }),
);

for (const [at, { snippet, scenario, code, asWritten }] of runs.entries()) {
  const result = results[at];
  const where = asWritten ? snippet.where : `${snippet.where} (in scenario ${scenario}, the block's "${snippet.scenario}" replaced)`;
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) {
    problem(`${where}: exited ${result.status ?? result.signal}\n${indent(output)}`);
    continue;
  }
  // A test runner or a reader's own catch can report a failure and still exit 0.
  const failure = output.split("\n").find((line) => /^\s*(FAIL\b|×|Unhandled (Rejection|Error|errors))/u.test(line));
  if (failure !== undefined) problem(`${where}: printed "${failure.trim()}"\n${indent(output)}`);
  const printed = result.stdout.split("\n").map((line) => line.trim());
  let from = 0;
  for (const [offset, line] of code.split("\n").entries()) {
    const claim = /\/\/ prints (in every scenario: )?(.*)$/u.exec(line);
    if (claim === null || (!asWritten && claim[1] === undefined)) continue;
    const expected = claim[2].trim();
    const found = printed.indexOf(expected, from);
    if (found === -1) problem(`${relative(root, snippet.file)}:${snippet.firstLine + offset}${asWritten ? "" : ` (in scenario ${scenario})`}: expected it to print "${expected}"; it printed:\n${indent(result.stdout)}`);
    else from = found + 1;
  }
}

const counts = Object.fromEntries([...kinds].map((kind) => [kind, snippets.filter((snippet) => snippet.kind === kind).length]));
console.log(
  `docs: ${snippets.length} TypeScript blocks in ${markdownFiles.length} files (${counts.run} run, ${counts.test} tests, ${counts["no-run"]} type-checked only, ${counts.fragment} fragments); ${runs.length} runs, ${runs.filter((entry) => !entry.asWritten).length} of them in another built-in scenario`,
);
if (problems > 0) {
  console.error(`docs: ${problems} problem(s)`);
  process.exit(1);
}

function indent(text) {
  return text
    .trim()
    .split("\n")
    .slice(-40)
    .map((line) => `    ${line}`)
    .join("\n");
}

function run({ snippet, name }) {
  const args =
    snippet.kind === "test"
      ? [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--root", out, "--dir", out, "--testTimeout", "120000", name]
      : ["--enable-source-maps", name.replace(/\.ts$/u, ".js")];
  return new Promise((settle) => {
    const child = spawn(process.execPath, args, { cwd: out, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      settle({ status, signal, stdout, stderr });
    });
  });
}

// A program is also saved as JavaScript (types stripped, source map inline), so each of the many runs starts plain
// node instead of a TypeScript loader: the runs are most of this check's time. It was type-checked as TypeScript.
function writeSnippet(name, code, kind) {
  writeFileSync(join(out, name), code);
  if (kind === "test") return;
  const { outputText } = ts.transpileModule(code, {
    fileName: name,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, inlineSourceMap: true, inlineSources: true },
  });
  writeFileSync(join(out, name.replace(/\.ts$/u, ".js")), outputText);
}
