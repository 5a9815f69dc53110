import type { PublicIpReader, TenantPublicIp } from "../providers/public-ip-reader.js";
import { InvalidTriageArgumentError } from "../errors/invalid-triage-argument-error.js";

export interface InMemoryPublicIpReaderOptions {
  publicIps?: readonly TenantPublicIp[];
}

const SUBSCRIPTION = /^\/subscriptions\/([^/]+)\//i;

/** A public IP inventory held in memory, for tests and offline triage; each address belongs to its id's subscription. */
export class InMemoryPublicIpReader implements PublicIpReader {
  readonly #bySubscription = new Map<string, TenantPublicIp[]>();

  constructor(options: InMemoryPublicIpReaderOptions = {}) {
    for (const address of options.publicIps ?? []) {
      const subscription = SUBSCRIPTION.exec(address.resourceId)?.[1]?.toLowerCase();
      if (subscription === undefined) {
        throw new InvalidTriageArgumentError(`"${address.resourceId}" is not a public IP resource id. Pass /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Network/publicIPAddresses/{name}.`);
      }
      const list = this.#bySubscription.get(subscription) ?? [];
      list.push({ ...address });
      this.#bySubscription.set(subscription, list);
    }
  }

  listPublicIps(subscriptionId: string): Promise<TenantPublicIp[]> {
    return Promise.resolve((this.#bySubscription.get(subscriptionId.toLowerCase()) ?? []).map((address) => ({ ...address })));
  }
}
