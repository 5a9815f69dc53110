import { isSharedClientApp } from "@keywarden/core";
import { defaultCallerCensusLookbackDays, defaultImpactMargins, type ImpactCriteria } from "./impact-criteria.js";
import type { ImpactTable } from "./impact-report.js";
import { ImpactError, ImpactErrorCode } from "./errors/impact-error.js";

/** Criteria checked and resolved: dates parsed, margins applied, caller lists de-duplicated. */
export interface NormalizedCriteria {
  vaultName: string;
  vaultResourceId?: string;
  /** The alert window as given. */
  window: { start: Date; end: Date };
  /** The window widened by the margins: what the queries cover. */
  queryWindow: { start: Date; end: Date };
  /** What the census of the vault's other callers covers: the query window, reaching back the look-back days. */
  censusWindow: { start: Date; end: Date };
  ipAddresses: string[];
  objectIds: string[];
  userPrincipalNames: string[];
  /** App ids that identify a caller (an application's own service principal). */
  applicationIds: string[];
  /**
   * App ids of shared Microsoft first-party clients (Azure CLI, PowerShell, the portal): they name a tool every
   * user signs in with, so they are never used to match activity on their own.
   */
  sharedClientAppIds: string[];
  /** Only shared client app ids were given: no caller can be attributed until the user is named. */
  callerAmbiguous: boolean;
  tables: ImpactTable[];
}

const minute = 60_000;
const allTables: readonly ImpactTable[] = ["AZKVAuditLogs", "AzureDiagnostics"];

/**
 * Validates criteria before any query runs. A missing vault or window is a clear error (never an unfiltered query
 * over a whole workspace).
 */
export function normalizeCriteria(criteria: ImpactCriteria): NormalizedCriteria {
  const vaultName = typeof criteria?.vault?.name === "string" ? criteria.vault.name.trim() : "";
  if (vaultName === "") {
    throw new ImpactError(
      ImpactErrorCode.MissingVault,
      "Impact criteria name no vault: set criteria.vault.name to the Key Vault's name (e.g. from alert.vault.name).",
    );
  }
  const start = parseTime(criteria.window?.start, "start");
  const end = parseTime(criteria.window?.end, "end");
  if (end.getTime() < start.getTime()) {
    throw new ImpactError(
      ImpactErrorCode.InvalidWindow,
      `Impact criteria window ends (${end.toISOString()}) before it starts (${start.toISOString()}): swap or fix criteria.window.`,
    );
  }
  const before = margin(criteria.margins?.beforeMinutes, defaultImpactMargins.beforeMinutes, "margins.beforeMinutes");
  const after = margin(criteria.margins?.afterMinutes, defaultImpactMargins.afterMinutes, "margins.afterMinutes");
  const lookbackDays = margin(criteria.callerCensusLookbackDays, defaultCallerCensusLookbackDays, "callerCensusLookbackDays", "days");
  const tables = criteria.tables === undefined ? [...allTables] : allTables.filter((t) => criteria.tables?.includes(t));
  if (tables.length === 0) {
    throw new ImpactError(
      ImpactErrorCode.InvalidCriteria,
      `Impact criteria select no known table: criteria.tables may hold ${allTables.join(" and ")}.`,
    );
  }
  const normalized: NormalizedCriteria = {
    vaultName,
    window: { start, end },
    queryWindow: { start: new Date(start.getTime() - before * minute), end: new Date(end.getTime() + after * minute) },
    censusWindow: {
      start: new Date(Math.min(start.getTime() - before * minute, start.getTime() - lookbackDays * 24 * 60 * minute)),
      end: new Date(end.getTime() + after * minute),
    },
    ipAddresses: values(criteria.callers?.ipAddresses, "ipAddresses"),
    objectIds: values(criteria.callers?.objectIds, "objectIds"),
    userPrincipalNames: values(criteria.callers?.userPrincipalNames, "userPrincipalNames"),
    applicationIds: [],
    sharedClientAppIds: [],
    callerAmbiguous: false,
    tables,
  };
  for (const appId of values(criteria.callers?.applicationIds, "applicationIds")) {
    (isSharedClientApp(appId) ? normalized.sharedClientAppIds : normalized.applicationIds).push(appId);
  }
  normalized.callerAmbiguous =
    normalized.sharedClientAppIds.length > 0 &&
    normalized.ipAddresses.length + normalized.objectIds.length + normalized.userPrincipalNames.length + normalized.applicationIds.length === 0;
  if (criteria.vault.resourceId !== undefined) normalized.vaultResourceId = criteria.vault.resourceId;
  return normalized;
}

function parseTime(value: unknown, which: "start" | "end"): Date {
  const date = typeof value === "string" && value.trim() !== "" ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new ImpactError(
      ImpactErrorCode.InvalidWindow,
      `Impact criteria window ${which} ${value === undefined ? "is missing" : `is not an ISO 8601 time (${JSON.stringify(value)})`}: set criteria.window.${which} (e.g. alert.${which}Time).`,
    );
  }
  return date;
}

function margin(value: unknown, fallback: number, path: string, unit = "minutes"): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ImpactError(
      ImpactErrorCode.InvalidCriteria,
      `Impact criteria ${path} must be a finite number of ${unit} >= 0, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function values(list: unknown, name: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.some((v) => typeof v !== "string")) {
    throw new ImpactError(ImpactErrorCode.InvalidCriteria, `Impact criteria callers.${name} must be an array of strings.`);
  }
  const seen = new Set<string>();
  for (const v of list as string[]) {
    const trimmed = v.trim();
    if (trimmed !== "") seen.add(trimmed);
  }
  return [...seen];
}
