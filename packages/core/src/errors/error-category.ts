/**
 * What kind of failure an error is, so callers (the CLI's exit code, a SOAR retry policy, the responder's HTTP
 * status) can react without knowing every code:
 *
 * - `invalid-input`: the caller's input or configuration is wrong; retrying the same call fails again.
 * - `not-found`: the thing named does not exist (or is not visible to the caller).
 * - `conflict`: the state changed under us, or another writer holds it; re-read, then retry.
 * - `forbidden`: the identity lacks a permission, or a policy (firewall, purge protection) refuses.
 * - `transient`: throttling, a timeout or a dropped connection; the same call may succeed later.
 * - `service`: Azure answered with an error that is none of the above.
 * - `internal`: a Keywarden defect or an impossible state; report it.
 */
export type ErrorCategory = "invalid-input" | "not-found" | "conflict" | "forbidden" | "transient" | "service" | "internal";

/** Every category, in the order above. */
export const errorCategories: readonly ErrorCategory[] = [
  "invalid-input",
  "not-found",
  "conflict",
  "forbidden",
  "transient",
  "service",
  "internal",
];

/** The category an HTTP status from Azure implies, for errors that wrap an upstream response. */
export function categoryFromStatus(status: number | undefined): ErrorCategory {
  if (status === undefined) return "transient";
  if (status === 400 || status === 405 || status === 413 || status === 415 || status === 422) return "invalid-input";
  if (status === 401 || status === 403) return "forbidden";
  if (status === 404 || status === 410) return "not-found";
  if (status === 409 || status === 412) return "conflict";
  if (status === 408 || status === 429 || status === 502 || status === 503 || status === 504) return "transient";
  return "service";
}
