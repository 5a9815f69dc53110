/** A scope element as the service returns it: a `field` plus `in` / `contains` (or anything else someone wrote). */
export interface ExistingScopeElement {
  readonly field?: string;
  readonly [operator: string]: unknown;
}

/**
 * A rule as it exists in the subscription. Looser than `SuppressionRule`: rules created in the portal, by policy or by
 * hand may carry free-text reasons, unknown fields or the service-set `Expired` state.
 */
export interface ExistingSuppressionRule {
  readonly name: string;
  /** ARM resource id, when read from Azure. */
  readonly id?: string;
  readonly alertType: string;
  readonly reason: string;
  readonly comment?: string;
  /** ISO 8601 UTC. Absent: no expiry. */
  readonly expiresOn?: string;
  readonly state: "Enabled" | "Disabled" | "Expired";
  readonly scope: readonly ExistingScopeElement[];
  /** ISO 8601 UTC, set by the service. */
  readonly lastModified?: string;
}
