#!/usr/bin/env node
// Fails when the same code stands in two packages (issue 11: one home per shared helper). Runs jscpd with the
// repository's .jscpd.json (packages/*/src and apps/*/src; tests, fixtures and build configs left out) and reports
// every clone whose two sides are in different packages. Clones inside one package are its own business.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve("jscpd/package.json")), JSON.parse(readFileSync(require.resolve("jscpd/package.json"), "utf8")).bin.jscpd);
const config = JSON.parse(readFileSync(join(root, ".jscpd.json"), "utf8"));
execFileSync(process.execPath, [bin, "--config", join(root, ".jscpd.json")], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
const report = JSON.parse(readFileSync(join(root, config.output, "jscpd-report.json"), "utf8"));

/** `triage` for `triage/src/x.ts` (jscpd names files relative to packages/ or apps/). */
const packageOf = (file) => file.split(/[\\/]/)[0];

const crossPackage = report.duplicates.filter((clone) => packageOf(clone.firstFile.name) !== packageOf(clone.secondFile.name));
for (const clone of crossPackage) {
  const side = (file) => `${file.name}:${file.start}-${file.end}`;
  console.error(`duplicate (${clone.lines} lines): ${side(clone.firstFile)} ~ ${side(clone.secondFile)}`);
}
if (crossPackage.length > 0) {
  console.error(`\n${crossPackage.length} cross-package duplicate(s): move the shared code to @keywarden/core (or the package that owns the concept) and import it.`);
  process.exit(1);
}
console.log(`check:duplicates: no cross-package duplicate (${report.duplicates.length} within-package clone(s) not counted).`);
