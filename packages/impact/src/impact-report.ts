/**
 * The impact report: what a caller touched in a vault during an alert's window, built from the alert and (when
 * available) the vault's diagnostic logs. Every field is plain JSON (strings, numbers, booleans, arrays, objects)
 * so a report can be stored, diffed and sent to a SOAR tool as is. A secret's value never appears here: the logs
 * do not carry values and the report only names objects.
 */

/** The three Key Vault object types. A certificate's private key is read through its backing secret. */
export type ImpactObjectType = "secret" | "key" | "certificate";

/** The Log Analytics tables Key Vault's `AuditEvent` category lands in. */
export type ImpactTable = "AZKVAuditLogs" | "AzureDiagnostics";

/** Where a piece of evidence came from. */
export type ImpactEvidenceSource = "alert" | ImpactTable;

/**
 * The most serious thing that happened to an object, in decreasing order of severity:
 * - `value-read`: the secret value, the key material's use, or a certificate's private key (its backing secret)
 *   was obtained (`SecretGet`, `SecretBackup`, `KeySign`, `KeyDecrypt`, `KeyUnwrap`, `KeyBackup`, `KeyRelease`, ...; the
 *   shared catalog in `@keywarden/core`). `KeyGet` and `CertificateGet` return public material: `metadata-only`;
 * - `modified`: the object was written, deleted, purged, recovered or restored, but its value was not read;
 * - `metadata-only`: names or attributes only (`SecretList`, `SecretListVersions`, `CertificateGet`, ...);
 * - `failed-attempts`: every request for the object failed (403, 404, ...);
 * - `named-by-alert`: the alert names the object but neither the alert nor the logs say what happened to it.
 */
export type ImpactAccess = "value-read" | "modified" | "metadata-only" | "failed-attempts" | "named-by-alert";

/** Who made requests: the identity columns and the IP of a log row (or of the alert). */
export interface ImpactCaller {
  ipAddress?: string;
  objectId?: string;
  userPrincipalName?: string;
  applicationId?: string;
  /** Total requests by this caller (successful and failed). */
  count: number;
  failedCount: number;
  /** ISO 8601 UTC. Absent when the evidence has no time (the alert's 24-hour list). */
  firstTime?: string;
  lastTime?: string;
  /**
   * True for callers that match the criteria (the alert's IP, object id, UPN or app id; every caller when the
   * criteria name none). False for the vault's other callers in the window, listed in `ImpactReport.callers` only,
   * so the collateral damage of a firewall or access change can be judged.
   */
  suspicious: boolean;
  /**
   * How this caller's requests reached the vault, from the logs' `AddressAuthorizationType`, `SubnetId`,
   * `TrustedService` (AzureDiagnostics: `addrAuthType_s`, `subnetId_s`, `privateEndpointId_s`, `trustedService_s`)
   * in the caller census: `public` when any request came over a public address; absent when the logs do not say
   * for every request. A firewall lock-out preview uses it (ip rules only filter public traffic).
   */
  via?: ImpactCallerPath;
}

/** The network path of a request to the vault: a public address, a VNet service endpoint, a private endpoint or a trusted Microsoft service. */
export type ImpactCallerPath = "public" | "virtual-network" | "private-endpoint" | "trusted-service";

/** One operation on one object, aggregated. */
export interface ImpactOperation {
  /** The Key Vault operation name as logged (`SecretGet`, `KeyUnwrap`, ...). */
  operation: string;
  /** Requests that succeeded (HTTP 2xx / `ResultType` "Success"). */
  succeeded: number;
  /** Requests that failed (401, 403, 404, 429, ...). The challenge-auth 401 noise is never counted. */
  failed: number;
  /** HTTP status codes seen, with counts, e.g. `{ "200": 3, "403": 1 }`. */
  statusCodes: Record<string, number>;
  firstTime?: string;
  lastTime?: string;
  /** Where this operation was seen. */
  sources: ImpactEvidenceSource[];
}

/** One object (secret, key or certificate) the caller touched or tried to touch. */
export interface ImpactObject {
  type: ImpactObjectType;
  /** The object name with the server's casing. */
  name: string;
  /** Versions seen (32-hex), sorted. Empty when no source named a version. */
  versions: string[];
  /** Object URI without version, e.g. `https://kv.vault.azure.net/secrets/db`. */
  uri: string;
  access: ImpactAccess;
  /** Total successful / failed requests on the object. */
  succeeded: number;
  failed: number;
  firstTime?: string;
  lastTime?: string;
  operations: ImpactOperation[];
  callers: ImpactCaller[];
  /** Distinct caller IP addresses, sorted. */
  ipAddresses: string[];
  sources: ImpactEvidenceSource[];
}

/** The kind of vault-level change, from the operation name. */
export type VaultChangeKind =
  | "vault-properties"
  | "access-policy"
  | "vault-delete"
  | "vault-recover"
  | "vault-purge"
  | "other";

/** A change to the vault itself in the window (`VaultPut`, `VaultPatch`, access-policy changes, delete, ...). */
export interface ImpactVaultChange {
  operation: string;
  kind: VaultChangeKind;
  succeeded: number;
  failed: number;
  firstTime?: string;
  lastTime?: string;
  callers: ImpactCaller[];
  sources: ImpactEvidenceSource[];
}

/** Whether one table could be read for the window. */
export type TableCoverageStatus =
  /** Queried, complete result (possibly zero rows). */
  | "complete"
  /** Queried; the service answered with a partial failure, rows kept but some are missing. */
  | "partial"
  /** The table does not exist in the workspace (`SEM0100` / "Failed to resolve table"). */
  | "missing"
  /** The workspace refused the query (401 / 403). */
  | "forbidden"
  /** Any other failure. */
  | "failed"
  /** Not queried (no workspace, or the table was excluded). */
  | "not-queried";

export interface ImpactTableCoverage {
  table: ImpactTable;
  status: TableCoverageStatus;
  /** Summary rows returned (each one aggregates many log rows). */
  rows: number;
  /** Log rows the summary rows stand for (sum of their counts). */
  events: number;
  /** Number of queries run (more than one when a long window was split into chunks). */
  queries: number;
  /** The error message of a failed or partial query. */
  error?: { code?: string; message: string; status?: number };
}

/** Whether the vault sends `AuditEvent` logs to a Log Analytics workspace (from its diagnostic settings). */
export interface DiagnosticSettingsCoverage {
  /** `checked`: read from ARM; `assumed`: a workspace id was given explicitly; `unknown`: could not be read. */
  status: "checked" | "assumed" | "unknown";
  /** True when at least one diagnostic setting sends AuditEvent (directly or through `audit` / `allLogs`). */
  auditEventToWorkspace?: boolean;
  /** The ARM ids of the workspaces receiving AuditEvent. */
  workspaceResourceIds: string[];
  /** The names of the diagnostic settings that send AuditEvent to a workspace. */
  settingNames: string[];
  /** AuditEvent settings that go only to storage or Event Hubs (not queryable here). */
  otherDestinations: string[];
  error?: { code?: string; message: string; status?: number };
}

/** Whether logs were available for the whole window. */
export interface ImpactCoverage {
  /** Overall: every table and chunk queried completely and nothing is likely still being ingested. */
  status: "complete" | "partial" | "none";
  /** The window the logs were queried for (the alert window widened by the margins), ISO 8601 UTC. */
  queriedWindow?: { start: string; end: string };
  /** The workspace queried: its customerId when given as `workspaceId`, else its ARM id from the diagnostic settings. */
  workspaceId?: string;
  workspaceResourceId?: string;
  diagnosticSettings?: DiagnosticSettingsCoverage;
  tables: ImpactTableCoverage[];
  /** Key Vault logs arrive up to ~10 minutes after the operation. */
  ingestion: {
    /** The lag allowance used, in minutes. */
    maxLagMinutes: number;
    /** True when the queried window ends less than `maxLagMinutes` before the report time: rows may be missing. */
    windowMayBeIncomplete: boolean;
    /** When to re-run for a complete answer (ISO 8601 UTC), if `windowMayBeIncomplete`. */
    completeAfter?: string;
  };
}

/** Why an object should be rotated. */
export type RotationReasonCode =
  /** A successful value read (SecretGet/SecretBackup) or key use (sign, decrypt, unwrap, backup, release). */
  | "value-read"
  /** A certificate whose private key was readable through a successful SecretGet on its backing secret. */
  | "certificate-private-key"
  /** The alert itself names the object as accessed (its target or suspicious operations), without log proof. */
  | "alert-target"
  /** The object was written or restored by the suspicious caller: the value may now be attacker-chosen. */
  | "modified";

/** An object the response should rotate. */
export interface ImpactRotation {
  type: ImpactObjectType;
  name: string;
  uri: string;
  /** Versions known to be exposed; empty means "the version(s) current in the window". */
  versions: string[];
  reasonCode: RotationReasonCode;
  /** One sentence a responder can read. */
  reason: string;
}

/** Something the report could not see. `code` is a stable `KW_IMPACT_Wnnnn`. */
export interface ImpactGap {
  code: string;
  message: string;
  table?: ImpactTable;
}

/** An operation (with counts) that names no single object. */
export interface ImpactUnattributedOperation {
  operation: string;
  /** Requests (successful and failed). */
  count: number;
  failed: number;
  source: ImpactEvidenceSource;
}

/** The alert an impact report was built for (a small, stable subset). */
export interface ImpactAlertRef {
  id: string;
  systemAlertId: string;
  alertType: string;
  kind: string;
  simulated: boolean;
}

export interface ImpactReport {
  /** Bumped on incompatible changes to this shape. */
  schemaVersion: 1;
  alert?: ImpactAlertRef;
  vault: { name: string; resourceId?: string; vaultUri?: string };
  /** The alert window (start / end), ISO 8601 UTC. */
  window: { start: string; end: string };
  /** `alert`: built from the alert only; `logs`: from logs (and the alert, when given). */
  basis: "alert" | "logs";
  /**
   * Every caller of the vault seen in the window: the suspicious ones (`suspicious: true`, the rows the objects are
   * built from) first, then the vault's other callers (`suspicious: false`, from a per-caller census query), so a
   * responder can see who a firewall change or an access removal would also cut off.
   */
  callers: ImpactCaller[];
  objects: ImpactObject[];
  vaultChanges: ImpactVaultChange[];
  /**
   * Operations not tied to one object: collection listings (`SecretList` on `/secrets`), other data-plane calls,
   * and operations the alert counts without naming their object.
   */
  unattributedOperations: ImpactUnattributedOperation[];
  coverage: ImpactCoverage;
  toRotate: ImpactRotation[];
  gaps: ImpactGap[];
  /**
   * ISO 8601 UTC: the `now` the report was built at (passed in; the pure builders never read a clock). Absent when
   * `impactFromAlert` was called without `now`.
   */
  generatedAt?: string;
}
