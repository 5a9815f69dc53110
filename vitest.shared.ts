import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

import { sourceEntries } from "./source-entries.js";

/**
 * Shared vitest settings for every workspace package.
 *
 * A package's tests read sibling packages (and its own public entry points) from `src/`, so they never need a build
 * first. That is done with aliases, not with an export condition: an export condition would have to name `src/`
 * files in the published `exports` map, which the tarballs do not ship. The same map feeds tsconfig `paths`
 * (see tsconfig.base.json), checked by `scripts/check-source-entries.ts`.
 */
export const sharedVitestConfig = defineConfig({
  resolve: {
    alias: Object.entries(sourceEntries).map(([specifier, source]) => ({
      // Exact match only: `@keywarden/testing/scenarios/x.json` must still resolve through the package's `exports`.
      find: new RegExp(`^${specifier.replaceAll("/", String.raw`\/`)}$`),
      replacement: fileURLToPath(new URL(source, import.meta.url)),
    })),
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "bench/**"],
    // Generous because CI shares 2 cores between two packages' test runs and the Kusto language service's first load
    // alone takes seconds there; a hang still fails. Speed is measured by benchmarks, never by these limits.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
