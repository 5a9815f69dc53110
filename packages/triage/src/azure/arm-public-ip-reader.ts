import type { TokenCredential } from "@azure/core-auth";
import { JsonClient, type KeywardenClientOptions } from "@keywarden/core";
import type { LookupOptions } from "../providers/lookup-options.js";
import type { PublicIpReader, TenantPublicIp } from "../providers/public-ip-reader.js";
import { logger, triageIdentity } from "../log.js";
import { tracingClient } from "../tracing.js";
import { InvalidTriageArgumentError } from "../errors/invalid-triage-argument-error.js";

export interface ArmPublicIpReaderOptions extends KeywardenClientOptions {
  /** ARM endpoint for sovereign clouds. Default `https://management.azure.com`. */
  endpoint?: string;
}

/** `PublicIPAddresses_ListAll` of the Microsoft.Network 2023-11-01 API (the version the service tags are read with). */
const API_VERSION = "2023-11-01";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The fields of ARM's `PublicIPAddress` the reader uses. */
interface ArmPublicIpAddress {
  id?: string;
  name?: string;
  properties?: { ipAddress?: string; publicIPAddressVersion?: string };
}

/**
 * Reads a subscription's public IP addresses from ARM (`GET /subscriptions/{id}/providers/Microsoft.Network/
 * publicIPAddresses`, every page through `nextLink`). Needs Reader (Microsoft.Network/publicIPAddresses/read).
 */
export class ArmPublicIpReader implements PublicIpReader {
  readonly #client: JsonClient;

  constructor(credential: TokenCredential, options: ArmPublicIpReaderOptions = {}) {
    const { endpoint = "https://management.azure.com", ...clientOptions } = options;
    const base = endpoint.replace(/\/+$/, "");
    this.#client = new JsonClient(credential, `${base}/.default`, base, triageIdentity, clientOptions);
  }

  listPublicIps(subscriptionId: string, options: LookupOptions = {}): Promise<TenantPublicIp[]> {
    return tracingClient.withSpan("ArmPublicIpReader.listPublicIps", options, async (updated) => {
      // A subscription id goes into the URL path: only a GUID is accepted, never text from an alert as-is.
      if (!GUID.test(subscriptionId)) throw new InvalidTriageArgumentError(`"${subscriptionId}" is not a subscription id. Pass the subscription's GUID.`);
      logger.info(`GET public IP addresses of subscription ${subscriptionId}`);
      const url = `/subscriptions/${subscriptionId}/providers/Microsoft.Network/publicIPAddresses?api-version=${API_VERSION}`;
      const items = await this.#client.getAll<ArmPublicIpAddress>(url, updated);
      const result: TenantPublicIp[] = [];
      for (const item of items) {
        const ipAddress = item.properties?.ipAddress;
        if (item.id === undefined || ipAddress === undefined || ipAddress === "") continue;
        const address: TenantPublicIp = { resourceId: item.id, name: item.name ?? item.id.split("/").pop() ?? item.id, ipAddress };
        const version = item.properties?.publicIPAddressVersion;
        if (version === "IPv4" || version === "IPv6") address.version = version;
        result.push(address);
      }
      return result;
    });
  }
}
