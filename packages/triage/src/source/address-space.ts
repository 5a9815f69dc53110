import { InvalidTriagePolicyError } from "../errors/invalid-triage-policy-error.js";
import { parseRange, rangeContains, type ParsedAddress, type ParsedRange } from "@keywarden/core";
import type { AddressMatch } from "../source-report.js";
import type { AddressRange } from "../triage-context.js";

export interface CompiledRange {
  range: ParsedRange;
  label?: string;
}

const compiled = new WeakMap<object, CompiledRange[]>();

/** Parses configured ranges once per array; a malformed range is a configuration error, reported with its value. */
export function compileRanges(ranges: readonly (string | AddressRange)[] | undefined, what: string): CompiledRange[] {
  if (ranges === undefined) return [];
  // Ranges often come from a file: a value of the wrong shape is refused as a policy error, never a TypeError.
  if (!Array.isArray(ranges)) throw new InvalidTriagePolicyError(`${what} is not a list. Give a list of addresses or CIDR ranges, like ["203.0.113.0/24"].`);
  const cached = compiled.get(ranges);
  if (cached !== undefined) return cached;
  const result = ranges.map((entry: unknown) => {
    const text = typeof entry === "string" ? entry : typeof entry === "object" && entry !== null ? (entry as Partial<AddressRange>).range : undefined;
    if (typeof text !== "string") {
      throw new InvalidTriagePolicyError(`${what} contains ${JSON.stringify(entry) ?? String(entry)}, which is neither a string nor { range }. Write each entry like "203.0.113.0/24".`);
    }
    const range = parseRange(text);
    if (range === undefined) {
      throw new InvalidTriagePolicyError(
        `${what} contains "${text}", which is not an IP address or CIDR range: write it like "203.0.113.0/24" or "2001:db8::/32".`,
      );
    }
    const item: CompiledRange = { range };
    const label = typeof entry === "string" ? undefined : (entry as Partial<AddressRange>).label;
    if (typeof label === "string") item.label = label;
    return item;
  });
  compiled.set(ranges, result);
  return result;
}

export function matchRanges(ranges: readonly CompiledRange[], address: ParsedAddress): AddressMatch {
  for (const item of ranges) {
    if (rangeContains(item.range, address)) {
      const match: AddressMatch = { matched: true, range: item.range.text };
      if (item.label !== undefined) match.label = item.label;
      return match;
    }
  }
  return { matched: false };
}
