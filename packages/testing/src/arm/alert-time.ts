/** Defender's timestamps carry 7 fractional digits (`2026-01-15T12:00:00.0000000Z`). */
export function defenderTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/u, ".$10000Z");
}

const DOTNET_MAX_TICKS = 3155378975999999999n;
const DOTNET_EPOCH_TICKS = 621355968000000000n;

/** The "reverse ticks" prefix of classic alert names (`2517396773228188817_<guid>`): newer alerts sort first. */
export function reverseTicks(ms: number): string {
  return String(DOTNET_MAX_TICKS - (BigInt(Math.floor(ms)) * 10000n + DOTNET_EPOCH_TICKS));
}
