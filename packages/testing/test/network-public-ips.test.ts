import { describe, expect, it } from "vitest";
import { loadSeed, SeedValidationError } from "../src/index.js";
import { useFakeAzure } from "../src/vitest.js";
import { baseSeed, RESOURCE_GROUP, SUBSCRIPTION_ID } from "./fixtures/base-seed.js";
import { fetchWithToken } from "./fixtures/sdk-options.js";

const OTHER_SUBSCRIPTION = "5f1c0a8e-0000-4000-8000-000000000001";
const ip = (subscription: string, group: string, name: string) => `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Network/publicIPAddresses/${name}`;

const seed = baseSeed();
const azure = useFakeAzure({
  seed: {
    ...seed,
    subscriptions: [...(seed.subscriptions ?? []), { subscriptionId: OTHER_SUBSCRIPTION, displayName: "Other" }],
    resourceGroups: [...(seed.resourceGroups ?? []), { id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-net`, location: "westeurope" }, { id: `/subscriptions/${OTHER_SUBSCRIPTION}/resourceGroups/rg-other`, location: "westeurope" }],
    publicIpAddresses: [
      { id: ip(SUBSCRIPTION_ID, "rg-net", "nat-egress"), name: "nat-egress", type: "Microsoft.Network/publicIPAddresses", location: "westeurope", sku: { name: "Standard", tier: "Regional" }, properties: { ipAddress: "20.61.14.7" } },
      { id: ip(SUBSCRIPTION_ID, RESOURCE_GROUP, "pending"), name: "pending", type: "Microsoft.Network/publicIPAddresses", location: "westeurope", sku: { name: "Basic" }, properties: { publicIPAllocationMethod: "Dynamic" } },
      { id: ip(OTHER_SUBSCRIPTION, "rg-other", "elsewhere"), name: "elsewhere", type: "Microsoft.Network/publicIPAddresses", location: "northeurope", properties: { ipAddress: "52.1.2.3" } },
    ],
  },
});

const arm = (path: string) => fetchWithToken(azure.credential, "https://management.azure.com/.default", `https://management.azure.com${path}`);

describe("Microsoft.Network public IP addresses", () => {
  it("PublicIPAddresses_ListAll lists one subscription's addresses in the PublicIPAddressListResult shape", async () => {
    const response = await arm(`/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Network/publicIPAddresses?api-version=2023-11-01`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { value: { name: string; type: string; properties: Record<string, unknown> }[]; nextLink?: string };
    expect(body.value.map((address) => address.name)).toEqual(["nat-egress", "pending"]);
    expect(body.nextLink).toBeUndefined();
    expect(body.value[0]).toMatchObject({
      type: "Microsoft.Network/publicIPAddresses",
      properties: { ipAddress: "20.61.14.7", provisioningState: "Succeeded", publicIPAddressVersion: "IPv4", publicIPAllocationMethod: "Static" },
    });
    // A dynamic address not yet allocated has no ipAddress, as in Azure.
    expect(body.value[1]!.properties).not.toHaveProperty("ipAddress");
    expect(body.value[1]!.properties["publicIPAllocationMethod"]).toBe("Dynamic");
  });

  it("PublicIPAddresses_List lists one resource group's; an unknown subscription and an unsupported api-version fail as ARM does", async () => {
    const group = (await (await arm(`/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-net/providers/Microsoft.Network/publicIPAddresses?api-version=2024-05-01`)).json()) as { value: { name: string }[] };
    expect(group.value.map((address) => address.name)).toEqual(["nat-egress"]);
    expect((await arm(`/subscriptions/99999999-0000-4000-8000-000000000009/providers/Microsoft.Network/publicIPAddresses?api-version=2023-11-01`)).status).toBe(404);
    expect((await arm(`/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Network/publicIPAddresses?api-version=2015-01-01`)).status).toBe(400);
  });

  it("refuses a seed address whose id is not a publicIPAddresses id, naming the path", () => {
    const bad = { ...seed, publicIpAddresses: [{ id: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Network/publicIPAddresses/x`, name: "x", location: "westeurope", properties: {} }] };
    expect(() => loadSeed(bad)).toThrow(SeedValidationError);
    expect(() => loadSeed(bad)).toThrow(/publicIpAddresses\[0\]\.id/);
  });
});
