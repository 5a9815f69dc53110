import { MonitorClient } from "@azure/arm-monitor";
import { describe, expect, it } from "vitest";
import { getScenario } from "../src/index.js";
import { useFakeAzure } from "../src/vitest.js";
import { APP_SP_ID, baseSeed, SUBSCRIPTION_ID, USER_ID, VAULT_ID } from "./fixtures/base-seed.js";
import { fetchWithToken, retryOptions } from "./fixtures/sdk-options.js";

const azure = useFakeAzure({ seed: baseSeed() });
const GRAPH = "https://graph.microsoft.com/v1.0";
const graph = (path: string, init?: RequestInit) => fetchWithToken(azure.credential, "https://graph.microsoft.com/.default", `${GRAPH}${path}`, init);
// Graph answers are loosely typed JSON; the assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (response: Response) => (await response.json()) as Record<string, any>;

describe("Microsoft Graph v1.0", () => {
  it("reads users by id and by UPN, with $select", async () => {
    expect(await json(await graph(`/users/${USER_ID}`))).toMatchObject({ id: USER_ID, userPrincipalName: "dana@contoso.example" });
    const selected = await json(await graph(`/users/dana@contoso.example?$select=displayName`));
    expect(selected).toMatchObject({ id: USER_ID, displayName: "Dana Admin" });
    expect(selected).not.toHaveProperty("userPrincipalName");
  });

  it("tells first-party apps apart through appOwnerOrganizationId", async () => {
    const body = await json(await graph(`/servicePrincipals?$filter=appId eq '509e4652-da8d-478d-a730-e9d4a1996ca4'`));
    expect(body["value"]).toHaveLength(1);
    expect(body["value"][0].appOwnerOrganizationId).toBe("f8cdef31-a31e-4b4a-93e4-5f571e91255a");
    expect(await json(await graph(`/servicePrincipals(appId='509e4652-da8d-478d-a730-e9d4a1996ca4')`))).toMatchObject({ displayName: "Azure Resource Graph" });
  });

  it("resolves directory objects with their @odata.type, singly and by ids", async () => {
    expect(await json(await graph(`/directoryObjects/${APP_SP_ID}`))).toMatchObject({ "@odata.type": "#microsoft.graph.servicePrincipal" });
    const byIds = await json(await graph("/directoryObjects/getByIds", { method: "POST", body: JSON.stringify({ ids: [USER_ID, APP_SP_ID, "00000000-0000-0000-0000-000000000000"], types: ["user"] }) }));
    expect(byIds["value"].map((o: { id: string }) => o.id)).toEqual([USER_ID]);
  });

  it("lists a service principal's owners", async () => {
    const owners = await json(await graph(`/servicePrincipals/${APP_SP_ID}/owners`));
    expect(owners["value"]).toEqual([expect.objectContaining({ id: USER_ID, "@odata.type": "#microsoft.graph.user" })]);
  });

  it("lists a principal's active and eligible directory roles", async () => {
    const active = await json(await graph(`/roleManagement/directory/roleAssignments?$filter=principalId eq '${USER_ID}'&$expand=roleDefinition`));
    expect(active["value"]).toHaveLength(1);
    expect(active["value"][0].roleDefinition.displayName).toBe("Global Administrator");
    const eligible = await json(await graph(`/roleManagement/directory/roleEligibilityScheduleInstances?$filter=principalId eq '${USER_ID}'`));
    expect(eligible["value"].map((e: { roleDefinitionId: string }) => e.roleDefinitionId)).toEqual(["e8611ab8-c189-46e8-94e1-60213ab1f814"]);
    const none = await json(await graph(`/roleManagement/directory/roleAssignments?$filter=principalId eq '${APP_SP_ID}'`));
    expect(none["value"]).toEqual([]);
  });

  it("revokes sign-in sessions at the tenant clock's time and disables accounts", async () => {
    const revoked = await json(await graph(`/users/${USER_ID}/revokeSignInSessions`, { method: "POST" }));
    expect(revoked).toMatchObject({ value: true });
    expect(azure.state.directory.users.get(USER_ID)?.signInSessionsValidFromDateTime).toBe("2026-01-15T12:00:00Z");
    const patched = await graph(`/servicePrincipals/${APP_SP_ID}`, { method: "PATCH", body: JSON.stringify({ accountEnabled: false }) });
    expect(patched.status).toBe(204);
    expect(azure.state.directory.servicePrincipals.get(APP_SP_ID)?.accountEnabled).toBe(false);
  });

  it("pages collections through @odata.nextLink", async () => {
    const first = await json(await graph("/servicePrincipals?$top=1"));
    expect(first["value"]).toHaveLength(1);
    const second = await json(await fetchWithToken(azure.credential, "https://graph.microsoft.com/.default", first["@odata.nextLink"]));
    expect(second["value"]).toHaveLength(1);
    expect(second["@odata.nextLink"]).toBeUndefined();
  });

  it("answers 404 Request_ResourceNotFound, 400 for unsupported queries and 401 without a Graph token", async () => {
    expect(await json(await graph("/users/00000000-0000-0000-0000-000000000000"))).toMatchObject({ error: { code: "Request_ResourceNotFound" } });
    expect((await graph(`/users?$filter=startswith(displayName,'D')`)).status).toBe(400);
    expect((await fetch(`${GRAPH}/users/${USER_ID}`)).status).toBe(401);
    expect((await fetchWithToken(azure.credential, "https://management.azure.com/.default", `${GRAPH}/users/${USER_ID}`)).status).toBe(401);
  });

  it("serves JSON batching: each request answered by id with its own status, through the same routes, as one call", async () => {
    const calls = azure.calls.count();
    const response = await graph("/$batch", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        requests: [
          { id: "user", method: "GET", url: `/users/${USER_ID}?$select=displayName` },
          { id: "roles", method: "GET", url: `roleManagement/directory/roleAssignments?$filter=principalId eq '${USER_ID}'&$expand=roleDefinition` },
          { id: "missing", method: "GET", url: "/directoryObjects/00000000-0000-0000-0000-000000000000" },
          { id: "owners", method: "GET", url: `/servicePrincipals/${APP_SP_ID}/owners`, dependsOn: ["user"] },
          { id: "after-missing", method: "GET", url: `/users/${USER_ID}`, dependsOn: ["missing"] },
          { id: "unserved", method: "GET", url: "/devices" },
          { id: "disable", method: "PATCH", url: `/servicePrincipals/${APP_SP_ID}`, headers: { "Content-Type": "application/json" }, body: { accountEnabled: false } },
        ],
      }),
    });
    expect(response.status).toBe(200);
    expect(azure.calls.count()).toBe(calls + 1);
    const byId = new Map<string, Awaited<ReturnType<typeof json>>>((await json(response))["responses"].map((item: { id: string }) => [item.id, item]));
    expect(byId.get("user")).toMatchObject({ status: 200, body: { id: USER_ID, displayName: "Dana Admin" } });
    expect(byId.get("user")?.body).not.toHaveProperty("userPrincipalName");
    expect(byId.get("roles")?.body.value[0].roleDefinition.displayName).toBe("Global Administrator");
    expect(byId.get("missing")).toMatchObject({ status: 404, body: { error: { code: "Request_ResourceNotFound" } } });
    expect(byId.get("owners")).toMatchObject({ status: 200, body: { value: [expect.objectContaining({ id: USER_ID })] } });
    expect(byId.get("after-missing")?.status).toBe(424);
    expect(byId.get("unserved")).toMatchObject({ status: 501, body: { error: { code: "FakeAzureUnsupportedRequest" } } });
    expect(byId.get("disable")?.status).toBe(204);
    expect(azure.state.directory.servicePrincipals.get(APP_SP_ID)?.accountEnabled).toBe(false);
  });

  it("answers an injected status fault on the request inside the batch it matches, once per match", async () => {
    azure.faults.inject({ url: "https://graph.microsoft.com/v1.0/directoryObjects/*", status: 429, headers: { "retry-after": "2" }, times: 1 });
    const body = JSON.stringify({
      requests: [
        { id: "1", method: "GET", url: `/directoryObjects/${USER_ID}` },
        { id: "2", method: "GET", url: `/users/${USER_ID}` },
      ],
    });
    const first = await json(await graph("/$batch", { method: "POST", body }));
    expect(first["responses"].map((item: { status: number }) => item.status)).toEqual([429, 200]);
    expect(first["responses"][0].headers["retry-after"]).toBe("2");
    const second = await json(await graph("/$batch", { method: "POST", body }));
    expect(second["responses"].map((item: { status: number }) => item.status)).toEqual([200, 200]);
  });

  it("refuses a malformed batch as a whole: more than 20 requests, duplicate ids, a body without Content-Type, absolute urls per request", async () => {
    const post = (requests: unknown) => graph("/$batch", { method: "POST", body: JSON.stringify({ requests }) });
    const many = Array.from({ length: 21 }, (_, index) => ({ id: String(index), method: "GET", url: `/users/${USER_ID}` }));
    const tooMany = await post(many);
    expect(tooMany.status).toBe(400);
    expect((await json(tooMany))["error"].message).toContain("at most 20");
    expect((await post(many.slice(0, 20))).status).toBe(200);
    expect((await post([{ id: "a", method: "GET", url: "/me" }, { id: "A", method: "GET", url: "/me" }])).status).toBe(400);
    expect((await post([{ id: "a", method: "PATCH", url: `/users/${USER_ID}`, body: { accountEnabled: false } }])).status).toBe(400);
    expect((await post([{ id: "a", method: "GET", url: "/users", dependsOn: ["b"] }])).status).toBe(400);
    expect((await post([])).status).toBe(400);
    const absolute = await json(await post([{ id: "a", method: "GET", url: `https://graph.microsoft.com/v1.0/users/${USER_ID}` }, { id: "b", method: "GET", url: "/$batch" }]));
    expect(absolute["responses"].map((item: { status: number }) => item.status)).toEqual([400, 400]);
    expect((await graph("/$batch")).status).toBe(405);
  });

  it("answers 501 naming the request for Graph paths it does not serve", async () => {
    const response = await graph("/groups");
    expect(response.status).toBe(501);
    expect((await json(response))["error"].message).toContain("GET https://graph.microsoft.com/v1.0/groups");
  });
});

describe("Microsoft.Insights diagnostic settings through arm-monitor 7", () => {
  it("lists a vault's diagnostic settings, creates and deletes one", async () => {
    const client = new MonitorClient(azure.credential, SUBSCRIPTION_ID, { retryOptions });
    expect((await client.diagnosticSettings.list(VAULT_ID)).value).toEqual([]);
    const workspaceId = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-secrets/providers/Microsoft.OperationalInsights/workspaces/law`;
    await client.diagnosticSettings.createOrUpdate(VAULT_ID, "to-law", { workspaceId, logs: [{ category: "AuditEvent", enabled: true }], logAnalyticsDestinationType: "Dedicated" });
    const listed = await client.diagnosticSettings.list(VAULT_ID);
    expect(listed.value?.map((s) => [s.name, s.workspaceId, s.logAnalyticsDestinationType])).toEqual([["to-law", workspaceId, "Dedicated"]]);
    await client.diagnosticSettings.delete(VAULT_ID, "to-law");
    expect((await client.diagnosticSettings.list(VAULT_ID)).value).toEqual([]);
  });

  it("serves the scenario's setting that routes the vault's AuditEvent logs to its workspace", async () => {
    azure.reset(getScenario("tor-secret-reads"));
    const vaultId = [...azure.state.vaults.keys()][0]!;
    const client = new MonitorClient(azure.credential, "6a0f4c5e-2b1d-4e3f-8a9b-7c6d5e4f3a2b", { retryOptions });
    const [setting] = (await client.diagnosticSettings.list(vaultId)).value ?? [];
    expect(setting?.logs).toEqual([expect.objectContaining({ categoryGroup: "audit", enabled: true })]);
    azure.reset(baseSeed());
  });
});

describe("Microsoft.Network service tags", () => {
  it("lists service tags for IP classification", async () => {
    const response = await fetchWithToken(
      azure.credential,
      "https://management.azure.com/.default",
      `https://management.azure.com/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Network/locations/westeurope/serviceTags?api-version=2023-11-01`,
    );
    const body = await json(response);
    expect(body).toMatchObject({ type: "Microsoft.Network/serviceTags", cloud: "Public" });
    expect(body["values"].map((v: { name: string }) => v.name)).toContain("AzureKeyVault");
  });
});
