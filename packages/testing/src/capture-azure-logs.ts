import { AzureLogger, getLogLevel, setLogLevel, type AzureLogLevel } from "@azure/logger";
import { afterEach, beforeEach } from "vitest";

export interface CapturedAzureLogs {
  /** The lines logged through `@azure/logger` during the current test (`"azure:<pkg>:<level> message"`). */
  readonly lines: string[];
}

/**
 * Captures every `@azure/logger` line (the Azure SDK's and each Keywarden package's `logger`) at `level` during each
 * test of the file, the way an integrator routes them with `AzureLogger.log`, and restores the log level and sink
 * after each test.
 *
 * ```ts
 * const logs = captureAzureLogs();
 * it("logs the decision", async () => {
 *   ...
 *   expect(logs.lines.some((line) => line.startsWith("azure:keywarden-triage:verbose"))).toBe(true);
 * });
 * ```
 */
export function captureAzureLogs(level: AzureLogLevel = "verbose"): CapturedAzureLogs {
  const lines: string[] = [];
  const originalLog = AzureLogger.log;
  let originalLevel: AzureLogLevel | undefined;
  beforeEach(() => {
    lines.length = 0;
    originalLevel = getLogLevel();
    setLogLevel(level);
    AzureLogger.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  });
  afterEach(() => {
    AzureLogger.log = originalLog;
    setLogLevel(originalLevel);
  });
  return { lines };
}
