/** ISO 8601 durations as Key Vault rotation policies use them (`P90D`, `P2Y`, `P1Y6M`, `PT12H`). */

export interface IsoDuration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const PATTERN = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/u;

/** Parses a duration; `undefined` when `text` is not one (or is the empty `P`/`PT`). */
export function parseIsoDuration(text: string): IsoDuration | undefined {
  const match = PATTERN.exec(text.trim().toUpperCase());
  if (match === null || text.trim().toUpperCase() === "P" || text.trim().toUpperCase().endsWith("T")) return undefined;
  const [, years, months, weeks, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return {
    years: years ?? 0,
    months: months ?? 0,
    weeks: weeks ?? 0,
    days: days ?? 0,
    hours: hours ?? 0,
    minutes: minutes ?? 0,
    seconds: seconds ?? 0,
  };
}

/** `from` plus `duration`, calendar-aware for years and months (UTC). */
export function addIsoDuration(from: Date, duration: IsoDuration): Date {
  const out = new Date(from.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + duration.years, out.getUTCMonth() + duration.months);
  const ms = (((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 60 + duration.minutes) * 60_000 + duration.seconds * 1000;
  return new Date(out.getTime() + ms);
}
