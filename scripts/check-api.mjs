#!/usr/bin/env node
/**
 * API Extractor reports: each library's public surface (its `.` entry's built declarations) is committed as
 * packages/<pkg>/etc/<pkg>.api.md, so a surface change shows in review. Needs the packages built.
 *
 *   node scripts/check-api.mjs           fails when a committed report is out of date (CI)
 *   node scripts/check-api.mjs --write   rewrites the reports (commit them with the change)
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
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
if (stale.length > 0 && !write) {
  console.error(`API report out of date for ${stale.join(", ")}: run \`npm run build && npm run update:api\` and commit packages/*/etc.`);
  process.exit(1);
}
if (process.exitCode === undefined) console.log(write ? "API reports written" : "API reports up to date");
