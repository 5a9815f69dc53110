import { ImpactError, ImpactErrorCode } from "../errors/impact-error.js";

/**
 * KQL literal builders. Everything that reaches a query from an alert or from a caller goes through these, so a
 * value can only ever be a literal: it cannot close the string, start a new operator (`|`), a new statement (`;`)
 * or a comment (`//`), whatever it contains.
 */

/**
 * A double-quoted KQL string literal whose value is exactly `value`.
 *
 * Only printable ASCII other than `"` and `\` is written as is; every other UTF-16 code unit (control characters,
 * line separators, quotes, non-ASCII, lone surrogates) is written as a `\uXXXX` escape, which the Kusto parser
 * decodes back to the same code unit. The result never contains a raw newline, quote or backslash that is not
 * part of an escape.
 */
export function kqlString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit === 0x22) out += '\\"';
    else if (unit === 0x5c) out += "\\\\";
    else if (unit >= 0x20 && unit < 0x7f) out += value[i];
    else out += `\\u${unit.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

/** A parenthesised, comma-separated list of string literals, as the right side of `in` / `in~`. */
export function kqlStringList(values: readonly string[]): string {
  return `(${values.map(kqlString).join(", ")})`;
}

/**
 * A `datetime(...)` literal. The value is re-formatted from a `Date`, never copied from the input text, so only
 * digits, `-`, `:`, `.`, `T` and `Z` can appear inside the parentheses.
 */
export function kqlDatetime(value: Date): string {
  const time = value.getTime();
  if (!Number.isFinite(time)) throw new ImpactError(ImpactErrorCode.InvalidCriteria, "kqlDatetime was given an invalid Date. Pass a Date that holds a time.");
  return `datetime(${value.toISOString()})`;
}
