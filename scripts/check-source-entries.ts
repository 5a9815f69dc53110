/**
 * Keeps tsconfig.base.json's `paths` equal to the source entries vitest aliases (source-entries.ts, derived from
 * every package's `exports`). `--write` rewrites the `paths`; without it the script fails when they differ.
 */
import { readFileSync, writeFileSync } from "node:fs";

import { sourceEntries } from "../source-entries.js";

const configUrl = new URL("../tsconfig.base.json", import.meta.url);
const config = JSON.parse(readFileSync(configUrl, "utf8")) as { compilerOptions: Record<string, unknown> };
const expected = Object.fromEntries(Object.entries(sourceEntries).map(([specifier, source]) => [specifier, [source]]));
const actual = config.compilerOptions["paths"];

if (JSON.stringify(actual) === JSON.stringify(expected)) process.exit(0);
if (process.argv.includes("--write")) {
  config.compilerOptions["paths"] = expected;
  writeFileSync(configUrl, `${JSON.stringify(config, null, 2)}\n`);
  console.log("tsconfig.base.json: paths updated");
} else {
  console.error("tsconfig.base.json `paths` differ from the packages' exports: run `npx tsx scripts/check-source-entries.ts --write`.");
  process.exit(1);
}
