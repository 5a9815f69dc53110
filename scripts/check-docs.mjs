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
 * Needs the packages built (`npm run build`). `node scripts/check-docs.mjs [file.md ...]` checks only those files.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, ".tsbuild", "docs-snippets");
const kinds = new Set(["run", "test", "no-run", "fragment"]);

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
    const previous = lines.slice(0, index).reverse().find((line) => line.trim() !== "") ?? "";
    const kind = previous.trim() === "<!-- fragment -->" ? "fragment" : (words.find((word) => kinds.has(word)) ?? "run");
    const where = `${relative(root, file)}:${index + 1}`;
    const fileName = /^<!-- file: ([a-z0-9][a-z0-9-]*)\.ts -->$/u.exec(previous.trim())?.[1];
    const prefix = relative(root, file).replaceAll(/[^a-z0-9]+/giu, "-").replace(/^-+/u, "").toLowerCase();
    // A named block is saved under its own name; the others get the document's name and line, which never collide.
    const name = `${fileName ?? `${prefix}-${index + 1}`}${kind === "test" ? ".test" : ""}.ts`;
    if (fileName !== undefined && snippets.some((snippet) => snippet.name === name)) problem(`${where}: a second block saved as ${name}`);
    snippets.push({ where, file, firstLine: index + 2, kind, name, code: lines.slice(index + 1, end).join("\n") });
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
  writeFileSync(join(out, snippet.name), `${snippet.code}\n${isModule ? "" : "export {};\n"}`);
}

// 1. Type-check all of them in one program.
const tsc = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", out, "--pretty", "false"], { encoding: "utf8" });
for (const line of `${tsc.stdout}${tsc.stderr}`.split("\n").filter(Boolean)) {
  const match = /^(.+?\.ts)\((\d+),(\d+)\): (.*)$/u.exec(line);
  const snippet = match ? checked.find((candidate) => candidate.name === match[1].split(/[\\/]/u).pop()) : undefined;
  if (snippet && match) problem(`${relative(root, snippet.file)}:${snippet.firstLine + Number(match[2]) - 1}: ${match[4]}`);
  else if (line.trim() !== "") problem(`tsc: ${line}`);
}

// 2. Run the runnable ones.
for (const snippet of checked.filter((candidate) => candidate.kind === "run" || candidate.kind === "test")) {
  const args =
    snippet.kind === "test"
      ? [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--root", out, "--dir", out, "--testTimeout", "120000", snippet.name]
      : ["--import", "tsx", snippet.name];
  const result = spawnSync(process.execPath, args, { cwd: out, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } });
  if (result.status !== 0) {
    problem(`${snippet.where}: exited ${result.status ?? result.signal}\n${indent(`${result.stdout}${result.stderr}`)}`);
    continue;
  }
  const printed = result.stdout.split("\n").map((line) => line.trim());
  let from = 0;
  for (const [offset, line] of snippet.code.split("\n").entries()) {
    const expected = /\/\/ prints (.*)$/u.exec(line)?.[1]?.trim();
    if (expected === undefined) continue;
    const at = printed.indexOf(expected, from);
    if (at === -1) problem(`${relative(root, snippet.file)}:${snippet.firstLine + offset}: expected it to print "${expected}"; it printed:\n${indent(result.stdout)}`);
    else from = at + 1;
  }
}

const counts = Object.fromEntries([...kinds].map((kind) => [kind, snippets.filter((snippet) => snippet.kind === kind).length]));
console.log(
  `docs: ${snippets.length} TypeScript blocks in ${markdownFiles.length} files (${counts.run} run, ${counts.test} tests, ${counts["no-run"]} type-checked only, ${counts.fragment} fragments)`,
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
