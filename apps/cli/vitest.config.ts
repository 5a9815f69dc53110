import { mergeConfig } from "vitest/config";

import { sharedVitestConfig } from "../../vitest.shared.js";

export default mergeConfig(sharedVitestConfig, {
  test: {
    // The command tests run the BUILT CLI as separate processes; the setup builds it when it is missing or stale.
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
