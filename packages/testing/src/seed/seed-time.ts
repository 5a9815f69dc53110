import type { SeedTime } from "./seed-types.js";

/** Unix seconds of a seed time (numbers are already unix seconds; strings are ISO 8601). */
export function seedTimeToUnixSeconds(time: SeedTime, path: string): number {
  if (typeof time === "number") return Math.floor(time);
  const ms = Date.parse(time);
  if (!Number.isFinite(ms)) throw new RangeError(`${path}: '${time}' is not an ISO 8601 date-time.`);
  return Math.floor(ms / 1000);
}
