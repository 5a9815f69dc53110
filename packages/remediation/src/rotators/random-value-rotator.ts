import { randomBytes } from "node:crypto";
import type { SecretRotator } from "./secret-rotator.js";

export const RANDOM_VALUE_ROTATOR = "random-value";

/**
 * Stores a new random value (base64url, `bytes` of entropy). It changes nothing at the secret's source, so it is
 * only right for secrets Keywarden's caller owns end to end (shared tokens, signing salts). It runs only where the
 * plan's policy allows it (`allowRandomValue`), and matches every secret so it must come last.
 */
export function randomValueRotator(options: { bytes?: number } = {}): SecretRotator {
  const bytes = options.bytes ?? 32;
  return {
    name: RANDOM_VALUE_ROTATOR,
    matches: () => true,
    rotate: () => Promise.resolve({ value: randomBytes(bytes).toString("base64url") }),
  };
}
