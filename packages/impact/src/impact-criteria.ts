import type { ImpactTable } from "./impact-report.js";

/**
 * What to look for in the Key Vault logs: one vault, a time window and (optionally) the suspicious callers.
 * Build it from an alert with `criteriaFromAlert(alert)` or by hand. Every value is treated as data: the query
 * builder escapes each one as a KQL string literal, so nothing here can change a query's meaning.
 */
export interface ImpactCriteria {
  vault: {
    /** The vault name (3-24 characters). Compared case-insensitively against the logs. */
    name: string;
    /** The vault's ARM id, when known; used for the diagnostic-settings pre-flight. */
    resourceId?: string;
  };
  /** The suspicious activity's window (usually the alert's start and end), ISO 8601 UTC. */
  window: { start: string; end: string };
  /**
   * How far to widen the window before the query runs. Defaults: 60 minutes before (activity just before the
   * detection), 30 minutes after (activity that continued past the alert's end).
   */
  margins?: { beforeMinutes?: number; afterMinutes?: number };
  /**
   * Callers to look for. A row matches when it matches ANY value of ANY field. With no caller at all the whole
   * vault's activity in the window is measured.
   */
  callers?: {
    ipAddresses?: string[];
    objectIds?: string[];
    userPrincipalNames?: string[];
    applicationIds?: string[];
  };
  /** Which tables to query. Default: both. */
  tables?: ImpactTable[];
  /**
   * How many days before the alert the census of the vault's OTHER callers looks back (default 7). Closing the
   * firewall or taking access away affects everyone who normally uses the vault, not only who called it during the
   * alert, so this window is deliberately longer than the activity window.
   */
  callerCensusLookbackDays?: number;
}

/** The default margins, in minutes. */
export const defaultImpactMargins = { beforeMinutes: 60, afterMinutes: 30 } as const;

/** The default look-back of the caller census, in days. */
export const defaultCallerCensusLookbackDays = 7;
