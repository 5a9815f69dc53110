#!/usr/bin/env node
/**
 * API Extractor reports: each library's public surface (its `.` entry's built declarations) is committed as
 * packages/<pkg>/etc/<pkg>.api.md, so a surface change shows in review. Needs the packages built.
 *
 *   node scripts/check-api.mjs           fails when a committed report is out of date (CI)
 *   node scripts/check-api.mjs --write   rewrites the reports (commit them with the change)
 *
 * It also fails when two packages export different declarations under one name (an integrator importing
 * `VaultTarget` must not get a different type depending on the package). A package re-exporting another
 * `@keywarden/*` package's symbol is the same declaration and fine. scripts/api-duplicates-allowed.json lists the
 * duplicates still being removed; it may only shrink.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const write = process.argv.includes("--write");
const stale = [];
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const configPath = join(root, "packages", dir, "api-extractor.json");
  if (!existsSync(configPath)) continue;
  if (!existsSync(join(root, "packages", dir, "dist", "index.d.ts"))) {
    console.error(`packages/${dir} is not built: run \`npm run build\` first.`);
    process.exit(1);
  }
  if (write) mkdirSync(join(root, "packages", dir, "etc"), { recursive: true });
  const result = Extractor.invoke(ExtractorConfig.loadFileAndPrepare(configPath), {
    localBuild: write,
    showVerboseMessages: false,
    messageCallback: (message) => {
      // TypeScript version notices are noise here: the reports describe the emitted .d.ts files.
      if (message.messageId === "console-compiler-version-notice") message.handled = true;
      if (message.messageId === "console-api-report-not-copied") message.handled = true;
    },
  });
  if (!result.succeeded && write) {
    console.error(`packages/${dir}: API Extractor failed (${result.errorCount} errors)`);
    process.exitCode = 1;
  }
  if (!result.succeeded || result.apiReportChanged) stale.push(`packages/${dir}`);
}
const allowList = JSON.parse(readFileSync(join(root, "scripts", "api-duplicates-allowed.json"), "utf8"));
const allowed = new Set(allowList.names);
const perPackage = new Set(allowList.perPackage);
const duplicates = duplicateNames();
for (const [name, packages] of duplicates) {
  if (allowed.has(name) || perPackage.has(name)) continue;
  console.error(`${name} is exported with different declarations by ${packages.join(", ")}: keep one (in @keywarden/core when shared) and re-export it.`);
  process.exitCode = 1;
}
for (const name of allowed) {
  if (!duplicates.has(name)) {
    // Not an error: the lane removing a copy need not touch this file in the same change.
    console.warn(`note: ${name} is no longer a duplicate export; remove it from scripts/api-duplicates-allowed.json.`);
  }
}

if (stale.length > 0 && !write) {
  console.error(`API report out of date for ${stale.join(", ")}: run \`npm run build && npm run update:api\` and commit packages/*/etc.`);
  process.exit(1);
}
if (process.exitCode === undefined) console.log(write ? "API reports written" : "API reports up to date");

/** Names declared (not re-exported from a sibling) by more than one package's API report. */
function duplicateNames() {
  const declaredBy = new Map();
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    const report = join(root, "packages", dir, "etc", `${dir}.api.md`);
    if (!existsSync(report)) continue;
    const text = readFileSync(report, "utf8");
    const names = new Set();
    for (const match of text.matchAll(/^export (?:declare )?(?:abstract )?(?:class|interface|type|function|const|enum|namespace) (\w+)/gmu)) names.add(match[1]);
    for (const match of text.matchAll(/^export \{ (\w+) \}/gmu)) {
      const source = new RegExp(`^import \\{[^}]*\\b${match[1]}\\b[^}]*\\} from '([^']+)'`, "mu").exec(text)?.[1];
      if (source === undefined || !source.startsWith("@keywarden/")) names.add(match[1]);
    }
    for (const name of names) declaredBy.set(name, [...(declaredBy.get(name) ?? []), `@keywarden/${dir}`]);
  }
  return new Map([...declaredBy].filter(([, packages]) => packages.length > 1));
}
