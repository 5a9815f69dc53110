import { InvalidNetworkListError } from "../errors/invalid-network-list-error.js";
import type { ServiceTagMatch } from "../providers/network-intelligence.js";
import { parseAddress, parseRange } from "@keywarden/core";
import { PrefixIndex } from "./prefix-index.js";

/**
 * The shape shared by the Microsoft.Network service tags API (`GET .../locations/{location}/serviceTags`) and the
 * weekly `ServiceTags_Public_<date>.json` download.
 */
export interface ServiceTagsDocument {
  changeNumber?: string;
  cloud?: string;
  values: Array<{
    name: string;
    id?: string;
    properties: { changeNumber?: string; region?: string; systemService?: string; addressPrefixes: string[] };
  }>;
}

interface TagInfo {
  name: string;
  region?: string;
  systemService?: string;
}

/** Answers "which Azure service tags contain this address?" quickly for large tag sets. */
export class ServiceTagIndex {
  readonly #index = new PrefixIndex<TagInfo>();

  /** Builds the index; throws `InvalidNetworkListError` when the document is not a service tag list. */
  static fromDocument(document: unknown): ServiceTagIndex {
    const index = new ServiceTagIndex();
    index.addDocument(document);
    return index;
  }

  get size(): number {
    return this.#index.size;
  }

  addDocument(document: unknown): void {
    const values = readValues(document);
    for (const [position, value] of values.entries()) {
      const name = value.name;
      const properties = value.properties;
      if (typeof name !== "string" || typeof properties !== "object" || properties === null) {
        throw new InvalidNetworkListError(
          `Service tag list entry values[${position}] has no name or properties: pass the API response or the ServiceTags_Public JSON download.`,
        );
      }
      const props = properties as Record<string, unknown>;
      const info: TagInfo = { name };
      if (typeof props["region"] === "string" && props["region"] !== "") info.region = props["region"];
      if (typeof props["systemService"] === "string" && props["systemService"] !== "") {
        info.systemService = props["systemService"];
      }
      const prefixes = Array.isArray(props["addressPrefixes"]) ? (props["addressPrefixes"] as unknown[]) : [];
      for (const prefix of prefixes) {
        if (typeof prefix !== "string") continue;
        const range = parseRange(prefix);
        if (range !== undefined) this.#index.add(range, info);
      }
    }
  }

  /** Matching tags, most specific prefix first; among equal prefixes, regional and service tags before `AzureCloud`. */
  lookup(address: string): ServiceTagMatch[] {
    const parsed = parseAddress(address);
    if (parsed === undefined) return [];
    return this.#index
      .lookup(parsed)
      .map(({ range, value }) => {
        const match: ServiceTagMatch = { name: value.name, prefix: range.text, prefixLength: range.bits };
        if (value.region !== undefined) match.region = value.region;
        if (value.systemService !== undefined) match.systemService = value.systemService;
        return match;
      })
      .sort((a, b) => b.prefixLength - a.prefixLength || specificity(b) - specificity(a) || a.name.localeCompare(b.name));
  }
}

function specificity(match: ServiceTagMatch): number {
  return (match.systemService === undefined ? 0 : 2) + (match.region === undefined ? 0 : 1);
}

function readValues(document: unknown): Array<Record<string, unknown>> {
  if (typeof document !== "object" || document === null || !Array.isArray((document as { values?: unknown }).values)) {
    throw new InvalidNetworkListError(
      "Service tag list has no `values` array: pass the Microsoft.Network serviceTags API response or the ServiceTags_Public JSON download.",
    );
  }
  return (document as { values: Array<Record<string, unknown>> }).values;
}
