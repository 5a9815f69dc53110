import { type OperationCount } from "../key-vault-alert.js";

/**
 * Parses Defender's operation-count strings, `"[SecretGet:3, SecretList:5]"`, into entries in their original
 * order. Brackets are optional; malformed entries (no name, no count, negative or non-integer counts) are
 * skipped. `undefined` or empty input gives `[]`.
 */
export function parseOperationCounts(text: string | undefined): OperationCount[] {
  return parseOperationCountsDetailed(text).counts;
}

/** Like {@link parseOperationCounts}, also reporting how many entries were malformed. */
export function parseOperationCountsDetailed(text: string | undefined): { counts: OperationCount[]; skipped: number } {
  const counts: OperationCount[] = [];
  let skipped = 0;
  if (typeof text !== "string") return { counts, skipped };
  let body = text.trim();
  if (body.startsWith("[")) body = body.slice(1);
  if (body.endsWith("]")) body = body.slice(0, -1);
  if (body.trim() === "") return { counts, skipped };
  for (const entry of body.split(",")) {
    const colon = entry.lastIndexOf(":");
    if (colon <= 0) {
      if (entry.trim() !== "") skipped++;
      continue;
    }
    const operation = entry.slice(0, colon).trim();
    const countText = entry.slice(colon + 1).trim();
    if (operation === "" || !/^\d{1,15}$/.test(countText)) {
      skipped++;
      continue;
    }
    counts.push({ operation, count: Number(countText) });
  }
  return { counts, skipped };
}
