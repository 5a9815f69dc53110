import type { SecretRotator } from "../rotators/secret-rotator.js";

/** What the vault says about a secret a plan may rotate: its current version's content type and tags, never its value. */
export interface SecretDescription {
  /** The vault's name (a plan can cover several vaults); absent: any vault of the plan. */
  vaultName?: string;
  name: string;
  contentType?: string;
  tags: Record<string, string>;
}

/**
 * Which secrets the apply will be able to rotate at their source: the rotators it will run with (the same list
 * given to `createAzureExecutors`; only `name` and `matches` are used here) and the secrets as the vault describes
 * them (`describeSecretsToRotate`). With it, `planResponse` turns the rotation of a secret no rotator matches into a
 * task for its owner instead of a step that would fail at apply time.
 */
export interface RotationCoverage {
  rotators: readonly Pick<SecretRotator, "name" | "matches">[];
  /** Secrets not described are matched by name alone (no content type, no tags). */
  secrets?: readonly SecretDescription[];
}
