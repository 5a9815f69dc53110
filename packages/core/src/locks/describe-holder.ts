import type { LockHolder } from "./lock.js";

/** `pid 4242 on host-a since 2026-12-01T10:00:00.000Z (apply plan 3f2a…)`, for refusal messages. */
export function describeHolder(holder: LockHolder): string {
  const purpose = holder.purpose === undefined ? "" : ` (${holder.purpose})`;
  return `pid ${holder.pid} on ${holder.host} since ${holder.acquiredAt}${purpose}`;
}
