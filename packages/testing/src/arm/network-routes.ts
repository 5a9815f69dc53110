import { HttpResponse } from "msw";
import { pageOf, type ArmCall } from "./arm-call.js";
import { armPath, type ArmRoute } from "./arm-route.js";
import type { PublicIpAddress } from "../state/arm-types.js";

/** The Microsoft.Network api-versions whose `PublicIPAddress` shape the fake serves (2023-11-01 schema). */
const PUBLIC_IP_API_VERSIONS = ["2022-07-01", "2023-04-01", "2023-09-01", "2023-11-01", "2024-01-01", "2024-03-01", "2024-05-01", "2024-07-01"] as const;

function inScope(address: PublicIpAddress, subscriptionId: string, resourceGroup?: string): boolean {
  const prefix = `/subscriptions/${subscriptionId}/${resourceGroup === undefined ? "" : `resourceGroups/${resourceGroup}/`}`.toLowerCase();
  return address.id.toLowerCase().startsWith(prefix);
}

function list(call: ArmCall, resourceGroup?: string): Response {
  const { subscriptionId = "" } = call.params;
  const addresses = [...call.ctx.state.publicIpAddresses.values()].filter((address) => inScope(address, subscriptionId, resourceGroup));
  // `PublicIPAddressListResult`: `{ value, nextLink }`, paged like every ARM list.
  return HttpResponse.json(pageOf(call, addresses));
}

/**
 * `PublicIPAddresses_ListAll` (a subscription's public IP addresses) and `PublicIPAddresses_List` (a resource
 * group's), as `specification/network/resource-manager/Microsoft.Network/stable/2023-11-01/publicIpAddress.json`
 * defines them. ARM has already checked the subscription and resource group exist.
 */
export function networkRoutes(): ArmRoute[] {
  return [
    {
      operation: "PublicIPAddresses_ListAll",
      method: "GET",
      path: armPath("/subscriptions/{subscriptionId}/providers/Microsoft.Network/publicIPAddresses"),
      apiVersions: PUBLIC_IP_API_VERSIONS,
      handle: (call) => list(call),
    },
    {
      operation: "PublicIPAddresses_List",
      method: "GET",
      path: armPath("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/publicIPAddresses"),
      apiVersions: PUBLIC_IP_API_VERSIONS,
      handle: (call) => list(call, call.params["resourceGroupName"] ?? ""),
    },
  ];
}
