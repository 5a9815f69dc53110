import { terminalSafe } from "@keywarden/core";
import type { ImpactCaller, ImpactReport } from "./impact-report.js";
import { classifyOperation } from "./operations.js";
import { logger } from "./log.js";

/** Lines per kind of decision: a vault with thousands of callers logs the first ones and a count of the rest. */
const maxLinesPerKind = 50;

/** A name from the logs or the alert, on one line and without control characters. */
const safe = (text: string): string => terminalSafe(text, { singleLine: true });

function describeCaller(caller: ImpactCaller): string {
  const parts = [
    caller.ipAddress === undefined ? "no IP" : `IP ${safe(caller.ipAddress)}`,
    ...(caller.objectId === undefined ? [] : [`object id ${safe(caller.objectId)}`]),
    ...(caller.userPrincipalName === undefined ? [] : [`UPN ${safe(caller.userPrincipalName)}`]),
    ...(caller.applicationId === undefined ? [] : [`app ${safe(caller.applicationId)}`]),
  ];
  return parts.join(", ");
}

function logCapped<T>(items: readonly T[], line: (item: T) => string, rest: (count: number) => string): void {
  for (const item of items.slice(0, maxLinesPerKind)) logger.verbose(line(item));
  if (items.length > maxLinesPerKind) logger.verbose(rest(items.length - maxLinesPerKind));
}

/**
 * Logs, at `verbose`, how a report was attributed: which callers and objects were counted and why, which rows
 * were counted against no object, which were left out as noise, and what is to be rotated. Names, counts and
 * identities only: the logs Keywarden reads never carry a secret's value, and neither do these lines.
 */
export function logImpactDecisions(report: ImpactReport, skipped: readonly { operation: string; count: number }[]): void {
  if (!logger.verbose.enabled) return;
  logCapped(
    report.callers,
    (caller) =>
      `caller counted: ${describeCaller(caller)}: ${caller.count} request(s), ${caller.failedCount} failed; ${caller.suspicious ? "suspicious (matches the alert's source)" : "another caller of the vault in the window"}`,
    (count) => `caller counted: ${count} more caller(s) not logged`,
  );
  logCapped(
    report.objects,
    (object) =>
      `object counted: ${object.type} ${safe(object.name)} as ${object.access}: ${object.succeeded} succeeded, ${object.failed} failed, by ${object.callers.length} caller(s), from ${object.sources.join(" and ")}`,
    (count) => `object counted: ${count} more object(s) not logged`,
  );
  logCapped(
    report.unattributedOperations,
    (entry) => {
      const why =
        classifyOperation(entry.operation).scope === "object"
          ? "its rows name no single object of this vault"
          : "the operation is about no single object";
      return `rows counted against no object: ${safe(entry.operation)} x${entry.count} (${entry.failed} failed) from ${entry.source}: ${why}`;
    },
    (count) => `rows counted against no object: ${count} more operation(s) not logged`,
  );
  logCapped(
    skipped,
    (entry) => `rows skipped: ${safe(entry.operation)} x${entry.count}: neither a data access nor a change (noise)`,
    (count) => `rows skipped: ${count} more operation(s) not logged`,
  );
  logCapped(
    report.toRotate,
    (rotation) => `to rotate: ${rotation.type} ${safe(rotation.name)} (${rotation.reasonCode})`,
    (count) => `to rotate: ${count} more object(s) not logged`,
  );
}
