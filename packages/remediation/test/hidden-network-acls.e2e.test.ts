import { useFakeAzure } from "@keywarden/testing/vitest";
import { getResponse, http, HttpResponse, type JsonBodyType } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RemediationCodes } from "../src/index.js";
import { applyFast, buildPlan, common, vaultTarget } from "./support/harness.js";
import { ATTACKER, remediationSeed, RESPONDER_IP, TENANT, VAULT, VAULT_ID } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
const VAULT_URL = `https://management.azure.com${VAULT_ID}`;

/** The vault has public access Disabled and its reads omit networkAcls (azure-powershell#20744); the rules still exist. */
beforeEach(() => {
  const vault = tenant.state.vaults.get(VAULT_ID);
  if (vault === undefined) throw new Error("seed vault missing");
  vault.resource.properties.publicNetworkAccess = "Disabled";
  tenant.server.use(
    http.get(VAULT_URL, async ({ request }) => {
      const response = await getResponse([...tenant.handlers], request);
      if (response?.status !== 200) return response;
      const body = (await response.json()) as { properties: Record<string, unknown> };
      delete body.properties["networkAcls"];
      return HttpResponse.json(body as JsonBodyType);
    }),
  );
});
afterEach(() => tenant.server.resetHandlers());

const firewallState = () => structuredClone(tenant.state.vaults.get(VAULT_ID)?.resource.properties.networkAcls);
const vaultWrites = () => tenant.calls.all().filter((call) => ["PUT", "PATCH"].includes(call.method.toUpperCase()) && call.status !== 401 && !call.url.includes("/accessPolicies/"));

describe("writes refused when networkAcls are hidden from the vault read", () => {
  it("enable-firewall refuses instead of writing a rule set built from the empty read", async () => {
    const before = firewallState();
    const plan = buildPlan([
      {
        kind: "enable-firewall",
        target: { vault: vaultTarget(VAULT) },
        parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules: [RESPONDER_IP], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
        ...common,
      },
    ]);
    const { result } = await applyFast(tenant, plan);
    expect(result.status).toBe("failed");
    expect(result.steps[0]?.error?.code).toBe(RemediationCodes.networkAclsHidden);
    expect(result.steps[0]?.error?.message).toContain("publicNetworkAccess is Disabled");
    expect(vaultWrites()).toEqual([]);
    expect(firewallState()).toEqual(before);
  });

  it("the access-policy whole-vault PUT fallback refuses instead of resetting the firewall", async () => {
    const before = firewallState();
    // accessPolicies/remove answers success but removes nothing: the executor turns to the whole-vault PUT fallback.
    tenant.server.use(http.put(`${VAULT_URL}/accessPolicies/remove`, () => HttpResponse.json({ properties: { accessPolicies: [] } })));
    const plan = buildPlan([
      { kind: "remove-access-policy", target: { vault: vaultTarget(VAULT), principal: { objectId: ATTACKER, tenantId: TENANT } }, parameters: { allowVaultPutFallback: true }, ...common },
    ]);
    const { result } = await applyFast(tenant, plan);
    expect(result.status).toBe("failed");
    expect(result.steps[0]?.error?.code).toBe(RemediationCodes.networkAclsHidden);
    expect(vaultWrites()).toEqual([]);
    expect(firewallState()).toEqual(before);
  });
});
