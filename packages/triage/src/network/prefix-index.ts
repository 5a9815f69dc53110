import { maskNetwork, type ParsedAddress, type ParsedRange } from "@keywarden/core";

/**
 * Longest-prefix lookup over many ranges (service tags hold tens of thousands of prefixes): ranges are grouped by
 * family and prefix length, so a lookup costs one map probe per distinct prefix length instead of a scan.
 */
export class PrefixIndex<T> {
  readonly #byLength = new Map<string, Map<bigint, Array<{ range: ParsedRange; value: T }>>>();
  readonly #lengths: { 4: number[]; 6: number[] } = { 4: [], 6: [] };
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(range: ParsedRange, value: T): void {
    const key = `${range.family}/${range.bits}`;
    let bucket = this.#byLength.get(key);
    if (bucket === undefined) {
      bucket = new Map();
      this.#byLength.set(key, bucket);
      const lengths = this.#lengths[range.family];
      lengths.push(range.bits);
      lengths.sort((a, b) => b - a);
    }
    const entries = bucket.get(range.network);
    if (entries === undefined) bucket.set(range.network, [{ range, value }]);
    else entries.push({ range, value });
    this.#size++;
  }

  /** Every range containing the address, most specific (longest prefix) first. */
  lookup(address: ParsedAddress): Array<{ range: ParsedRange; value: T }> {
    const maxBits = address.family === 4 ? 32 : 128;
    const found: Array<{ range: ParsedRange; value: T }> = [];
    for (const bits of this.#lengths[address.family]) {
      const entries = this.#byLength.get(`${address.family}/${bits}`)?.get(maskNetwork(address.value, bits, maxBits));
      if (entries !== undefined) found.push(...entries);
    }
    return found;
  }
}
