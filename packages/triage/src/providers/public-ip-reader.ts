import type { LookupOptions } from "./lookup-options.js";

/** One of the tenant's own public IP addresses (`Microsoft.Network/publicIPAddresses`) with an assigned address. */
export interface TenantPublicIp {
  /** The ARM resource id, as Azure returned it. */
  resourceId: string;
  name: string;
  /** The assigned address; a dynamic address not yet allocated has none and is not listed. */
  ipAddress: string;
  version?: "IPv4" | "IPv6";
}

/**
 * Lists the public IP addresses a subscription owns. They are the tenant's declared address space: an Azure address
 * that is one of them is the tenant's own, any other Azure address could be any Azure customer's. Implementations
 * reject for failures (403, throttling); triage records the failure as missing evidence.
 */
export interface PublicIpReader {
  listPublicIps(subscriptionId: string, options?: LookupOptions): Promise<TenantPublicIp[]>;
}
