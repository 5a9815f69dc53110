import { ServiceTagIndex } from "../network/service-tag-index.js";
import { TorExitList } from "../network/tor-exit-list.js";
import type { NetworkIntelligence, ServiceTagMatch } from "../providers/network-intelligence.js";

export interface InMemoryNetworkIntelligenceOptions {
  /** A service tag document (API response or ServiceTags_Public download) or a built index. */
  serviceTags?: unknown;
  /** A Tor exit list (text in either public format, a list of addresses, or a parsed list). */
  torExitNodes?: string | Iterable<string> | TorExitList;
}

/** Service tags and a Tor list held in memory (from files you ship or download on your own schedule). */
export class InMemoryNetworkIntelligence implements NetworkIntelligence {
  readonly #tags: ServiceTagIndex;
  readonly #tor: TorExitList;

  constructor(options: InMemoryNetworkIntelligenceOptions = {}) {
    const tags = options.serviceTags;
    this.#tags = tags instanceof ServiceTagIndex ? tags : tags === undefined ? new ServiceTagIndex() : ServiceTagIndex.fromDocument(tags);
    const tor = options.torExitNodes;
    this.#tor =
      tor instanceof TorExitList
        ? tor
        : typeof tor === "string"
          ? TorExitList.parse(tor)
          : TorExitList.fromAddresses(tor ?? []);
  }

  findServiceTags(address: string): Promise<ServiceTagMatch[]> {
    return Promise.resolve(this.#tags.lookup(address));
  }

  isTorExitNode(address: string): Promise<boolean | undefined> {
    return Promise.resolve(this.#tor.has(address));
  }
}
