import { afterAll, afterEach, beforeAll } from "vitest";
import { createFakeAzure, type FakeAzure, type FakeAzureOptions } from "./create-fake-azure.js";

export interface UseFakeAzureOptions extends FakeAzureOptions {
  /** Reset state, clock, calls and faults to the seed after each test (default `true`). */
  resetBetweenTests?: boolean;
}

/**
 * Starts a fake Azure tenant for the current test file: listens before the first test with
 * `onUnhandledRequest: "error"` (any request the fake does not serve fails the test), resets it to its seed after
 * each test, and closes it after the last one.
 *
 * ```ts
 * const azure = useFakeAzure({ seed: getScenario("tor-secret-reads") });
 * it("reads alerts", async () => {
 *   const client = new SecurityCenter(azure.credential, subscriptionId);
 *   ...
 * });
 * ```
 */
export function useFakeAzure(options: UseFakeAzureOptions = {}): FakeAzure {
  const { resetBetweenTests = true, ...rest } = options;
  const tenant = createFakeAzure({ onUnhandledRequest: "error", ...rest });
  beforeAll(() => tenant.listen());
  afterEach(() => {
    if (resetBetweenTests) tenant.reset();
  });
  afterAll(() => tenant.close());
  return tenant;
}

export type { FakeAzure, FakeAzureOptions } from "./create-fake-azure.js";
export { captureAzureLogs, type CapturedAzureLogs } from "./capture-azure-logs.js";
