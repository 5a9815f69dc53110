import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

/**
 * Shared vitest settings for every workspace package.
 *
 * Tests run in Vite's SSR environment, so the `@keywarden/source` export condition must be set under
 * `ssr.resolve.conditions` (plain `resolve.conditions` is ignored there). With it, a package's tests read
 * sibling packages from `src/` and never need a build first.
 */
export const sharedVitestConfig = defineConfig({
  ssr: { resolve: { conditions: ["@keywarden/source", ...defaultServerConditions] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "bench/**"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
