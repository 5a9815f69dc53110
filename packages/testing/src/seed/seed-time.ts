import { SeedValidationError } from "./seed-validation-error.js";
import type { SeedTime } from "./seed-types.js";

/** Unix seconds of a seed time (numbers are already unix seconds; strings are ISO 8601). */
export function seedTimeToUnixSeconds(time: SeedTime, path: string): number {
  if (typeof time === "number") return Math.floor(time);
  const ms = Date.parse(time);
  if (!Number.isFinite(ms)) throw new SeedValidationError([{ path, message: `'${time}' is not an ISO 8601 date-time` }]);
  return Math.floor(ms / 1000);
}
