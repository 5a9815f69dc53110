import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeAzure, type FakeAzure } from "../index.js";

/**
 * The third recording of shared/azure-specs/keyvault/recordings/: a management-plane PATCH of a vault with
 * access policies (arm-keyvault's "vaults update" test). The data-plane tests replay the other two; this one is
 * replayed against the whole tenant, since the vault it changes is the one the data plane serves.
 */

interface RecordedEntry {
  RequestUri: string;
  RequestMethod: string;
  RequestHeaders: Record<string, string>;
  RequestBody: unknown;
  StatusCode: number;
  ResponseBody: { properties: Record<string, unknown>; [key: string]: unknown };
}

const SUBSCRIPTION = "00000000-0000-4000-8000-0000000000a7";
const RECORDED_TENANT = "88888888-8888-8888-8888-888888888888";

let tenant: FakeAzure | undefined;
afterEach(() => tenant?.close());

describe("recorded vault PATCH replayed against the fake tenant", () => {
  it("answers 200 with the recorded properties, permissions echoed as sent", async () => {
    const recording = JSON.parse(
      readFileSync(new URL("./__fixtures__/recordings/arm-keyvault.recording_vaults_update_test.json", import.meta.url), "utf8")
    ) as { Entries: RecordedEntry[] };
    const entry = recording.Entries[0]!;
    const uri = entry.RequestUri.replace("azure_subscription_id", SUBSCRIPTION);
    const vaultId = new URL(uri).pathname;
    tenant = createFakeAzure({
      seed: {
        tenantId: RECORDED_TENANT,
        subscriptions: [{ subscriptionId: SUBSCRIPTION }],
        resourceGroups: [{ id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/myjstest`, location: "eastus" }],
        vaults: [
          {
            id: vaultId,
            name: "myvaultzzzz231019",
            type: "Microsoft.KeyVault/vaults",
            location: "eastus",
            tags: {},
            // The vault as it stood before the PATCH: the service had stored its create-time defaults.
            properties: {
              tenantId: RECORDED_TENANT,
              sku: { family: "A", name: "standard" },
              accessPolicies: [],
              enableSoftDelete: true,
              softDeleteRetentionInDays: 90,
              publicNetworkAccess: "Enabled",
            },
          },
        ],
      },
    });
    tenant.listen();
    const token = await tenant.credential.getToken("https://management.azure.com/.default");
    const response = await fetch(uri, {
      method: entry.RequestMethod,
      headers: { authorization: `Bearer ${token!.token}`, "content-type": "application/json" },
      body: JSON.stringify(entry.RequestBody),
    });
    const body = (await response.json()) as RecordedEntry["ResponseBody"];
    expect(response.status, JSON.stringify(body)).toBe(entry.StatusCode);
    const recorded = entry.ResponseBody;
    for (const field of ["id", "name", "type", "location", "tags"]) {
      expect(body[field], field).toEqual(
        field === "id" ? (recorded[field] as string).replace("azure_subscription_id", SUBSCRIPTION) : recorded[field]
      );
    }
    expect(Object.keys(body.properties).sort()).toEqual(Object.keys(recorded.properties).sort());
    for (const [field, value] of Object.entries(recorded.properties)) expect(body.properties[field], `properties.${field}`).toEqual(value);
  });
});
