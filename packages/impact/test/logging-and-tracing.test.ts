import { useInstrumenter, type Instrumenter, type TracingContext, type TracingSpan } from "@azure/core-tracing";
import { MonitorClient } from "@azure/arm-monitor";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { captureAzureLogs, useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { logger, measureImpact } from "../src/index.js";
import { attackerOid, auditRow, host, seed, subscriptionId, torAlert, v1, vaultName } from "./fixtures.js";

/** The value of the secret the attacker read: it is in the vault, and must never be in a log line. */
const secretValue = "pa55-w0rd-never-logged";
const azure = useFakeAzure({
  seed: {
    ...seed({
      audit: [
        auditRow({ time: "2026-01-15T09:01:00Z", op: "SecretGet", uri: `${host}/secrets/db-password/${v1}`, oid: attackerOid }),
        // A successful Authentication row is noise (no data access): the decision log says it was skipped.
        auditRow({ time: "2026-01-15T09:00:30Z", op: "Authentication", oid: attackerOid }),
        // A listing names no single object: counted against none.
        auditRow({ time: "2026-01-15T09:02:00Z", op: "SecretList", uri: `${host}/secrets`, oid: attackerOid }),
      ],
    }),
    vaultData: { [vaultName]: { secrets: [{ name: "db-password", versions: [{ version: v1, value: secretValue }] }] } },
  },
});

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
  const { lines } = captureAzureLogs();

  it("logs each attribution decision at verbose: callers and objects counted, rows against no object, rows skipped, rotations; never a secret value", async () => {
    const retryOptions = { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
    await measureImpact(torAlert({ source: { ipAddress: "185.220.101.7", objectId: attackerOid } }), {
      client: new LogsQueryClient(azure.credential, { retryOptions }),
      diagnosticSettings: new MonitorClient(azure.credential, subscriptionId, { retryOptions }),
      now: new Date("2026-01-15T12:00:00Z"),
      tables: ["AZKVAuditLogs"],
    });
    // The package exports the logger these lines come from, so an integrator can route them (logger.verbose.log).
    expect(logger.verbose.namespace).toBe("azure:keywarden-impact:verbose");
    const decisions = lines.filter((line) => line.includes("keywarden-impact:verbose"));
    const has = (pattern: RegExp): boolean => decisions.some((line) => pattern.test(line));
    expect(has(new RegExp(`caller counted: IP 185\\.220\\.101\\.7, object id ${attackerOid}: \\d+ request\\(s\\), 0 failed; suspicious`))).toBe(true);
    expect(has(/object counted: secret db-password as value-read: 1 succeeded, 0 failed, by 1 caller\(s\), from alert and AZKVAuditLogs/)).toBe(true);
    expect(has(/rows counted against no object: SecretList x1 \(0 failed\) from AZKVAuditLogs: its rows name no single object of this vault/)).toBe(true);
    expect(has(/rows skipped: Authentication x1: neither a data access nor a change \(noise\)/)).toBe(true);
    expect(has(/to rotate: secret db-password \(value-read\)/)).toBe(true);
    for (const line of lines) expect(line).not.toContain(secretValue);
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
