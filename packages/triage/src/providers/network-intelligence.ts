import type { LookupOptions } from "./lookup-options.js";

/** One Azure service tag that contains an address. */
export interface ServiceTagMatch {
  /** e.g. `AzureCloud.westeurope`, `AzureResourceGraph`. */
  name: string;
  region?: string;
  systemService?: string;
  /** The prefix that matched. */
  prefix: string;
  /** Prefix length, for ordering matches from most to least specific. */
  prefixLength: number;
}

/** Address reputation sources: Azure service tags and a Tor exit list. */
export interface NetworkIntelligence {
  /** Service tags containing the address, most specific first; empty when it is not a Microsoft address. */
  findServiceTags(address: string, options?: LookupOptions): Promise<ServiceTagMatch[]>;
  /** Whether the address is on the Tor exit list; `undefined` when no list is configured (reported as not configured). */
  isTorExitNode(address: string, options?: LookupOptions): Promise<boolean | undefined>;
}
