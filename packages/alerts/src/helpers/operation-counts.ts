import { type OperationCount } from "../key-vault-alert.js";

/**
 * Parses Defender's operation-count strings, `"[SecretGet:3, SecretList:5]"`, into entries in their original
 * order. Brackets are optional; malformed entries (no name, no count, negative or non-integer counts) are
 * skipped. `undefined` or empty input gives `[]`.
 */
export function parseOperationCounts(text: string | undefined): OperationCount[] {
  return parseOperationCountsDetailed(text).counts;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/**
 * Like {@link parseOperationCounts}, also reporting how many entries were malformed. A single scan without
 * intermediate strings: this runs twice per alert on the parsing hot path.
 */
export function parseOperationCountsDetailed(text: string | undefined): { counts: OperationCount[]; skipped: number } {
  const counts: OperationCount[] = [];
  let skipped = 0;
  if (typeof text !== "string") return { counts, skipped };
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (start < end && text.charCodeAt(start) === 91 /* [ */) start++;
  if (end > start && text.charCodeAt(end - 1) === 93 /* ] */) end--;
  let entryStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== 44 /* , */) continue;
    // One entry: text[entryStart, i).
    let a = entryStart;
    let b = i;
    entryStart = i + 1;
    while (a < b && isSpace(text.charCodeAt(a))) a++;
    while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
    if (a === b) continue;
    const colon = text.lastIndexOf(":", b - 1);
    if (colon < a) {
      skipped++;
      continue;
    }
    let nameEnd = colon;
    while (nameEnd > a && isSpace(text.charCodeAt(nameEnd - 1))) nameEnd--;
    let digit = colon + 1;
    while (digit < b && isSpace(text.charCodeAt(digit))) digit++;
    let count = 0;
    let digits = 0;
    for (let d = digit; d < b; d++) {
      const code = text.charCodeAt(d);
      if (code < 48 || code > 57) {
        digits = -1;
        break;
      }
      count = count * 10 + (code - 48);
      digits++;
    }
    if (nameEnd === a || digits <= 0 || digits > 15) {
      skipped++;
      continue;
    }
    counts.push({ operation: text.slice(a, nameEnd), count });
  }
  return { counts, skipped };
}
