import { useInstrumenter, type Instrumenter, type TracingContext, type TracingSpan } from "@azure/core-tracing";
import { AzureLogger, getLogLevel, setLogLevel, type AzureLogLevel } from "@azure/logger";
import { MonitorClient } from "@azure/arm-monitor";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { measureImpact } from "../src/index.js";
import { attackerOid, auditRow, host, seed, subscriptionId, torAlert, v1 } from "./fixtures.js";

const azure = useFakeAzure({ seed: seed({ audit: [auditRow({ time: "2026-01-15T09:01:00Z", op: "SecretGet", uri: `${host}/secrets/db-password/${v1}`, oid: attackerOid })] }) });

/** An immutable context, as the instrumenter hands one to the code inside a span. */
function contextOf(values: ReadonlyMap<symbol, unknown> = new Map()): TracingContext {
  return {
    getValue: (key) => values.get(key),
    setValue: (key, value) => contextOf(new Map(values).set(key, value)),
    deleteValue: (key) => {
      const next = new Map(values);
      next.delete(key);
      return contextOf(next);
    },
  };
}

/** Records the names of the spans started, the way an OpenTelemetry instrumenter would see them. */
function recordingInstrumenter(names: string[]): Instrumenter {
  const span: TracingSpan = { setStatus: () => undefined, setAttribute: () => undefined, end: () => undefined, recordException: () => undefined, isRecording: () => true };
  return {
    startSpan: (name, spanOptions) => {
      names.push(name);
      return { span, tracingContext: spanOptions.tracingContext ?? contextOf() };
    },
    withContext: (_context, callback, ...args) => callback(...args),
    parseTraceparentHeader: () => undefined,
    createRequestHeaders: () => ({}),
  };
}

describe("impact's Azure calls are logged and traced", () => {
  let lines: string[] = [];
  let level: AzureLogLevel | undefined;
  const originalLog = AzureLogger.log;
  beforeEach(() => {
    lines = [];
    level = getLogLevel();
    setLogLevel("verbose");
    AzureLogger.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  });
  afterEach(() => {
    AzureLogger.log = originalLog;
    setLogLevel(level);
  });

  it("logs each Log Analytics query at info (target and window, never the query text) inside an ImpactLogsQuerier.query span", async () => {
    const spans: string[] = [];
    useInstrumenter(recordingInstrumenter(spans));
    const retryOptions = { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
    await measureImpact(torAlert({ source: { ipAddress: "185.220.101.7", objectId: attackerOid } }), {
      client: new LogsQueryClient(azure.credential, { retryOptions }),
      diagnosticSettings: new MonitorClient(azure.credential, subscriptionId, { retryOptions }),
      now: new Date("2026-01-15T12:00:00Z"),
      tables: ["AZKVAuditLogs"],
    });
    const queryLines = lines.filter((line) => line.includes("keywarden-impact:info") && line.includes("Log Analytics query on "));
    expect(queryLines.length).toBeGreaterThan(0);
    expect(spans.filter((name) => name === "ImpactLogsQuerier.query")).toHaveLength(queryLines.length);
    for (const line of queryLines) expect(line).not.toMatch(/AZKVAuditLogs \||185\.220\.101\.7/);
  });
});
