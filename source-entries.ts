import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Every public entry point of every workspace library, mapped to the source file it is built from:
 * `"@keywarden/alerts"` -> `"./packages/alerts/src/index.ts"`, `"@keywarden/testing/vitest"` ->
 * `"./packages/testing/src/vitest.ts"`. Derived from each package's `exports` (an entry whose `import` target is
 * `./dist/<name>.js` is built from `./src/<name>.ts`), so a new subpath needs no edit here.
 *
 * Paths are relative to the repository root. vitest turns them into aliases; tsconfig.base.json lists the same map
 * as `paths`, and `scripts/check-source-entries.ts` fails when the two disagree.
 */
export const sourceEntries: Readonly<Record<string, string>> = readSourceEntries();

function readSourceEntries(): Record<string, string> {
  const root = fileURLToPath(new URL(".", import.meta.url));
  const entries: Record<string, string> = {};
  for (const dir of readdirSync(`${root}packages`).sort()) {
    const manifestPath = `${root}packages/${dir}/package.json`;
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { name: string; exports?: Record<string, unknown> };
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const built = importTarget(target);
      const match = built === undefined ? null : /^\.\/dist\/(.+)\.js$/.exec(built);
      if (!match) continue;
      const specifier = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      entries[specifier] = `./packages/${dir}/src/${match[1]}.ts`;
    }
  }
  return entries;
}

function importTarget(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (target === null || typeof target !== "object" || !Object.hasOwn(target, "import")) return undefined;
  const imported = (target as { import: unknown }).import;
  if (typeof imported === "string") return imported;
  if (imported !== null && typeof imported === "object" && Object.hasOwn(imported, "default")) {
    const value = (imported as { default: unknown }).default;
    return typeof value === "string" ? value : undefined;
  }
  return undefined;
}
