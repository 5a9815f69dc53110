// `@keywarden/testing/vitest` is ESM only: vitest itself cannot be require()d, so a CommonJS build of the helper
// could never load. tsup builds every entry in both formats; this removes the CommonJS output of that one entry
// so the tarball ships no file that cannot work (the package's `exports` has no `require` condition for it).
// The `keywarden-fake-azure` bin is run, never imported: only its ESM file (the `bin` entry) ships.
import { rmSync } from "node:fs";

for (const file of ["vitest.cjs", "vitest.cjs.map", "vitest.d.cts", "bin.cjs", "bin.cjs.map", "bin.d.cts", "bin.d.ts"]) {
  rmSync(new URL(`../dist/${file}`, import.meta.url), { force: true });
}
