import { mergeConfig } from "vitest/config";

import { sharedVitestConfig } from "../../vitest.shared.js";

export default mergeConfig(sharedVitestConfig, {
  test: {
    // One PostgreSQL server for the whole run (started here when KEYWARDEN_TEST_POSTGRES_URL is not set).
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores shared: the process tests (restart, replicas, browser) must not run at once.
    fileParallelism: false,
  },
});
