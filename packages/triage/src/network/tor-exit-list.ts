import { parseAddress } from "@keywarden/core";

/**
 * A Tor exit-node set. Reads both public formats: the bulk list (`check.torproject.org/torbulkexitlist`, one address
 * per line) and the detailed `exit-addresses` document (`ExitAddress <ip> <time>` lines). Comments (`#`) and blank
 * lines are ignored; unparseable lines are counted, not fatal.
 */
export class TorExitList {
  readonly #addresses: Set<string>;
  /** Lines that were neither an address nor a known directive. */
  readonly skippedLines: number;

  private constructor(addresses: Set<string>, skippedLines: number) {
    this.#addresses = addresses;
    this.skippedLines = skippedLines;
  }

  static parse(text: string): TorExitList {
    const addresses = new Set<string>();
    let skipped = 0;
    for (const rawLine of text.split(/\r?\n/)) {
      const line = rawLine.trim();
      if (line === "" || line.startsWith("#")) continue;
      let candidate = line;
      if (line.startsWith("ExitAddress ")) candidate = line.split(/\s+/)[1] ?? "";
      else if (/^(ExitNode|Published|LastStatus)\b/.test(line)) continue;
      const parsed = parseAddress(candidate);
      if (parsed === undefined) skipped++;
      else addresses.add(parsed.normalized);
    }
    return new TorExitList(addresses, skipped);
  }

  static fromAddresses(addresses: Iterable<string>): TorExitList {
    return TorExitList.parse([...addresses].join("\n"));
  }

  get size(): number {
    return this.#addresses.size;
  }

  has(address: string): boolean {
    const parsed = parseAddress(address);
    return parsed !== undefined && this.#addresses.has(parsed.normalized);
  }
}
