/** What a rotator is told about the secret it rotates (never its current value). */
export interface SecretRotationRequest {
  vaultUri: string;
  vaultName: string;
  name: string;
  contentType?: string;
  tags: Record<string, string>;
  abortSignal: AbortSignal;
  /**
   * Stable for one plan, step and object (`keywarden:<planId>:<stepId>:<vault>:<secret name>`): the same on every
   * attempt, restart and resumed apply of that step. The engine calls a rotator once per object and step and keeps the
   * value in memory until it is stored, but an apply that stopped before storing it (a crash, Ctrl-C, a failed step)
   * asks again on resume: a rotator whose source supports it should pass this key on (an idempotency header, a
   * credential display name) so the second call returns the credential the first one minted instead of a new one.
   */
  idempotencyKey: string;
}

/** The new value to store as the secret's next version. */
export interface RotatedSecret {
  value: string;
  /** Default: the current version's content type. */
  contentType?: string;
  /** Merged over the current version's tags. */
  tags?: Record<string, string>;
}

/**
 * Rotates a secret at its source: resets the database password, regenerates the storage key, issues a new client
 * secret, and returns the new value for Key Vault. The value is handed straight to `setSecret` and never journaled,
 * logged or kept.
 */
export interface SecretRotator {
  readonly name: string;
  /** Whether this rotator knows how to rotate the secret (by content type, tag or name). */
  matches(secret: { name: string; contentType?: string; tags: Record<string, string> }): boolean;
  rotate(request: SecretRotationRequest): Promise<RotatedSecret>;
}

export interface RotatorMatch {
  /** Content types handled (case-insensitive), e.g. `application/x-sqlserver-password`. */
  contentTypes?: string[];
  /** Tags that must be present with these values (`{ "rotation": "sql" }`); `"*"` matches any value. */
  tags?: Record<string, string>;
  /** Secret names handled. */
  names?: RegExp;
}

/** Builds a rotator from a declarative match and a rotate function. */
export function defineRotator(definition: {
  name: string;
  match: RotatorMatch;
  rotate: (request: SecretRotationRequest) => Promise<RotatedSecret>;
}): SecretRotator {
  const { match } = definition;
  return {
    name: definition.name,
    matches(secret) {
      const checks: boolean[] = [];
      if (match.contentTypes !== undefined) {
        checks.push(match.contentTypes.some((type) => type.toLowerCase() === secret.contentType?.toLowerCase()));
      }
      if (match.tags !== undefined) {
        checks.push(
          Object.entries(match.tags).every(([key, value]) => {
            const actual = Object.entries(secret.tags).find(([candidate]) => candidate.toLowerCase() === key.toLowerCase())?.[1];
            return actual !== undefined && (value === "*" || actual === value);
          }),
        );
      }
      if (match.names !== undefined) checks.push(match.names.test(secret.name));
      return checks.length > 0 && checks.every(Boolean);
    },
    rotate: definition.rotate,
  };
}
