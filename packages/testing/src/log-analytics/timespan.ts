/**
 * The query API's `timespan`: an ISO 8601 interval (`start/end`, `start/duration`, `duration/end`) or a duration
 * ending now (`PT12H`). Returns epoch-millisecond bounds, or undefined when the text is not one of those.
 */
export function resolveTimespan(text: string, now: number): { start: number; end: number } | undefined {
  const parts = text.split("/");
  if (parts.length === 1) {
    const duration = parseDuration(parts[0]!);
    return duration === undefined ? undefined : { start: now - duration, end: now };
  }
  if (parts.length !== 2) return undefined;
  const [a, b] = parts as [string, string];
  const startTime = Date.parse(a);
  const endTime = Date.parse(b);
  if (!Number.isNaN(startTime) && !Number.isNaN(endTime)) return { start: startTime, end: endTime };
  if (!Number.isNaN(startTime)) {
    const duration = parseDuration(b);
    return duration === undefined ? undefined : { start: startTime, end: startTime + duration };
  }
  if (!Number.isNaN(endTime)) {
    const duration = parseDuration(a);
    return duration === undefined ? undefined : { start: endTime - duration, end: endTime };
  }
  return undefined;
}

/** `P[nW][nD][T[nH][nM][n(.n)S]]` to milliseconds (years and months are not fixed lengths: refused). */
export function parseDuration(text: string): number | undefined {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (match === null || text.trim() === "P" || text.trim().endsWith("T")) return undefined;
  const [, w, d, h, m, s] = match;
  const n = (v: string | undefined): number => (v === undefined ? 0 : Number(v));
  return ((((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(m)) * 60 + n(s)) * 1000;
}
