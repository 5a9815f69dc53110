import { defineConfig, mergeConfig } from "vitest/config";

import { sharedVitestConfig } from "./vitest.shared.js";

/** The repository's cross-package contract tests (`npm run test:contracts`); each package runs its own tests. */
export default mergeConfig(sharedVitestConfig, defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 60_000 } }));
