import { readFile } from "node:fs/promises";
import type { TokenCredential } from "@azure/core-auth";
import { InvalidNetworkListError } from "../errors/invalid-network-list-error.js";
import { ServiceTagIndex } from "../network/service-tag-index.js";
import { TorExitList } from "../network/tor-exit-list.js";
import type { LookupOptions } from "../providers/lookup-options.js";
import type { NetworkIntelligence, ServiceTagMatch } from "../providers/network-intelligence.js";
import { JsonClient, type KeywardenClientOptions } from "@keywarden/core";
import { logger, triageIdentity } from "../log.js";
import { tracingClient } from "../tracing.js";

export interface AzureNetworkIntelligenceOptions extends KeywardenClientOptions {
  /** Subscription used to call the service tags API (any subscription the credential can read). */
  subscriptionId: string;
  /** Region whose view of the tags to read (tags are global; the API needs a location). Default `westeurope`. */
  location?: string;
  /**
   * The Tor exit list (either public format): a file path, an https URL (e.g.
   * `https://check.torproject.org/torbulkexitlist`, fetched once per instance), or the list's text. Without it Tor
   * is not checked (and reported as missing evidence).
   */
  torExitList?: { path: string } | { url: string } | { text: string };
  /** ARM endpoint. Default `https://management.azure.com`. */
  endpoint?: string;
}

const API_VERSION = "2023-11-01";

/**
 * Service tags from the Microsoft.Network service tags API and a Tor exit list from a file, each loaded once per
 * instance on first use and reused (keep one instance per run or per day; call `reload()` to refresh).
 */
export class AzureNetworkIntelligence implements NetworkIntelligence {
  readonly #client: JsonClient;
  readonly #options: AzureNetworkIntelligenceOptions;
  readonly #endpoint: string;
  #tags: Promise<ServiceTagIndex> | undefined;
  #tor: Promise<TorExitList> | undefined;

  constructor(credential: TokenCredential, options: AzureNetworkIntelligenceOptions) {
    this.#endpoint = (options.endpoint ?? "https://management.azure.com").replace(/\/+$/, "");
    const { subscriptionId: _subscription, location: _location, torExitList: _tor, endpoint: _endpoint, ...clientOptions } = options;
    this.#client = new JsonClient(credential, `${this.#endpoint}/.default`, this.#endpoint, triageIdentity, clientOptions);
    this.#options = options;
  }

  async findServiceTags(address: string, options: LookupOptions = {}): Promise<ServiceTagMatch[]> {
    return (await this.#serviceTags(options)).lookup(address);
  }

  async isTorExitNode(address: string): Promise<boolean | undefined> {
    if (this.#options.torExitList === undefined) return undefined;
    return (await this.#torList()).has(address);
  }

  /** Drops the loaded lists; the next lookup reads them again. */
  reload(): void {
    this.#tags = undefined;
    this.#tor = undefined;
  }

  #serviceTags(options: LookupOptions): Promise<ServiceTagIndex> {
    if (this.#tags === undefined) {
      const subscription = encodeURIComponent(this.#options.subscriptionId);
      const location = encodeURIComponent(this.#options.location ?? "westeurope");
      const url = `${this.#endpoint}/subscriptions/${subscription}/providers/Microsoft.Network/locations/${location}/serviceTags?api-version=${API_VERSION}`;
      logger.verbose("service tags not loaded yet: loading them once for this instance");
      this.#tags = tracingClient.withSpan("AzureNetworkIntelligence.loadServiceTags", options, (updated) => this.#loadTags(url, updated));
      // A failed load is not cached: the next alert tries again.
      this.#tags.catch(() => {
        this.#tags = undefined;
      });
    }
    return this.#tags;
  }

  async #loadTags(url: string, options: LookupOptions): Promise<ServiceTagIndex> {
    const index = new ServiceTagIndex();
    let next: string | undefined = url;
    while (next !== undefined) {
      const page: { nextLink?: string } | undefined = await this.#client.get<{ nextLink?: string }>(next, options);
      index.addDocument(page);
      next = page?.nextLink ?? undefined;
    }
    return index;
  }

  #torList(): Promise<TorExitList> {
    const source = this.#options.torExitList;
    if (this.#tor === undefined && source !== undefined) {
      this.#tor =
        "text" in source
          ? Promise.resolve(TorExitList.parse(source.text))
          : "url" in source
            ? fetchList(source.url)
            : readFile(source.path, "utf8").then(
                (text) => TorExitList.parse(text),
                (error: unknown) => {
                  throw new InvalidNetworkListError(`The Tor exit list ${source.path} could not be read: check the path and permissions.`, { cause: error });
                },
              );
      this.#tor.catch(() => {
        this.#tor = undefined;
      });
    }
    return this.#tor ?? Promise.reject(new InvalidNetworkListError("No Tor exit list is configured."));
  }
}

async function fetchList(url: string): Promise<TorExitList> {
  if (new URL(url).protocol !== "https:") {
    throw new InvalidNetworkListError(`The Tor exit list URL ${url} is not https: a list fetched in clear text can be tampered with.`);
  }
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "text/plain" } });
  } catch (error) {
    throw new InvalidNetworkListError(`The Tor exit list ${url} could not be fetched: check the network.`, { cause: error });
  }
  if (!response.ok) throw new InvalidNetworkListError(`The Tor exit list ${url} answered HTTP ${response.status}.`);
  return TorExitList.parse(await response.text());
}
