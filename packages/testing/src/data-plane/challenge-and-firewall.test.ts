import { SecretClient } from "@azure/keyvault-secrets";
import type { GetTokenOptions } from "@azure/core-auth";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDataPlaneHarness } from "./data-plane-harness.js";
import { restErrorOf } from "./rest-error-of.js";

const harness = createDataPlaneHarness();
const retryOptions = { maxRetries: 0 };
const tenantId = harness.ctx.state.tenantId;

beforeAll(() => harness.server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => {
  expect(await harness.schemaCheckResults()).toEqual([]);
  harness.ctx.state.network.defaultCallerIp = "203.0.113.10";
});
afterAll(() => {
  expect(harness.checkedBodies()).toBeGreaterThan(0);
  harness.server.close();
});

async function vaultToken(): Promise<string> {
  const token = await harness.credential.getToken("https://vault.azure.net/.default", { tenantId });
  return token!.token;
}

harness.addVault("kv-challenge");
harness.addVault("kv-deny", {
  networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ value: "203.0.113.0/24" }, { value: "198.51.100.7/32" }] },
});
harness.addVault("kv-private", { publicNetworkAccess: "Disabled" });

describe("challenge-based authentication", () => {
  it("answers an unauthenticated request with the recorded 401 challenge, from the headers alone", async () => {
    // A body that is not JSON: a gate that read or parsed it would answer 400, not the challenge.
    const response = await fetch("https://kv-challenge.vault.azure.net/secrets/x?api-version=7.5", {
      method: "PUT",
      body: "{ not json",
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="https://vault.azure.net"`
    );
    expect(await response.json()).toEqual({
      error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." },
    });
    expect(response.headers.get("x-ms-keyvault-network-info")).toBe("conn_type=Ipv4;addr=203.0.113.10;act_addr_fam=InterNetwork;");
    expect(harness.ctx.findVaultByName("kv-challenge")?.secrets.has("x")).toBe(false);
  });

  it("lets the real SecretClient through the challenge once, with the vault scope and tenant", async () => {
    const requests: GetTokenOptions[] = [];
    const scopes: string[] = [];
    const credential = {
      getToken: async (scope: string | string[], options?: GetTokenOptions) => {
        scopes.push(...(Array.isArray(scope) ? scope : [scope]));
        if (options) requests.push(options);
        return harness.credential.getToken(scope, options ?? {});
      },
    };
    const unauthenticated: number[] = [];
    const listener = ({ request, response }: { request: Request; response: Response }) => {
      if (!request.headers.has("authorization")) unauthenticated.push(response.status);
    };
    harness.server.events.on("response:mocked", listener);
    const client = new SecretClient("https://kv-challenge.vault.azure.net", credential, { retryOptions });
    await client.setSecret("after-challenge", "value");
    expect((await client.getSecret("after-challenge")).value).toBe("value");
    harness.server.events.removeListener("response:mocked", listener);
    expect(unauthenticated).toEqual([401]);
    expect(scopes[0]).toBe("https://vault.azure.net/.default");
    expect(requests[0]).toMatchObject({ tenantId, enableCae: true });
  });

  it("refuses a token for another audience", async () => {
    const armToken = await harness.credential.getToken("https://management.azure.com/.default", { tenantId });
    const response = await fetch("https://kv-challenge.vault.azure.net/secrets?api-version=7.5", {
      headers: { authorization: `Bearer ${armToken!.token}` },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/^AKV10022: Invalid audience/u);
  });

  it("answers a vault outside the tenant like a real vault of another tenant: challenge, then AKV10032", async () => {
    const client = new SecretClient("https://not-in-this-tenant.vault.azure.net", harness.credential, { retryOptions });
    const refused = await restErrorOf(client.getSecret("anything"));
    expect(refused.statusCode).toBe(401);
    expect(refused.code).toBe("Unauthorized");
    expect(refused.message).toMatch(/^AKV10032: Invalid issuer\. Expected one of https:\/\/sts\.windows\.net\/[0-9a-f-]{36}\//u);
    expect(refused.message).not.toContain(tenantId);
  });
});

describe("vault firewall", () => {
  it("lets in a caller inside an ipRules range and refuses others with 403 ForbiddenByFirewall", async () => {
    // The caller IP of one request is set with the tenant's caller-IP header, here from a pipeline policy.
    let callerIp: string | undefined;
    const header = harness.ctx.state.network.callerIpHeader;
    const client = new SecretClient("https://kv-deny.vault.azure.net", harness.credential, {
      retryOptions,
      additionalPolicies: [
        {
          position: "perCall",
          policy: {
            name: "fake-caller-ip",
            sendRequest: (request, next) => {
              if (callerIp !== undefined) request.headers.set(header, callerIp);
              return next(request);
            },
          },
        },
      ],
    });
    await client.setSecret("inside", "v");
    callerIp = "198.51.100.7";
    expect((await client.getSecret("inside")).value).toBe("v");
    callerIp = "198.51.100.8";
    const refused = await restErrorOf(client.getSecret("inside"));
    expect(refused.statusCode).toBe(403);
    expect(refused.code).toBe("Forbidden");
    const token = JSON.parse(Buffer.from((await vaultToken()).split(".")[1]!, "base64url").toString("utf8")) as {
      appid: string;
      oid: string;
    };
    expect(refused.message).toBe(
      `Client address is not authorized and caller is not a trusted service.\r\nClient address: 198.51.100.8\r\nCaller: appid=${token.appid};oid=${token.oid};iss=https://sts.windows.net/${tenantId}/\r\nVault: kv-deny;location=westeurope`
    );
    const raw = await fetch("https://kv-deny.vault.azure.net/secrets/inside?api-version=7.5", {
      headers: { authorization: `Bearer ${await vaultToken()}`, [header]: "198.51.100.8" },
    });
    const body = (await raw.json()) as { error: { code: string; innererror: { code: string } } };
    expect(raw.status).toBe(403);
    expect(body.error.innererror.code).toBe("ForbiddenByFirewall");
  });

  it("uses the tenant's default caller IP when the request names none, and IPv6 callers never match an IPv4 rule", async () => {
    const client = new SecretClient("https://kv-deny.vault.azure.net", harness.credential, { retryOptions });
    harness.ctx.state.network.defaultCallerIp = "192.0.2.44";
    expect((await restErrorOf(client.getSecret("inside"))).statusCode).toBe(403);
    harness.ctx.state.network.defaultCallerIp = "2001:db8::1";
    const refused = await restErrorOf(client.getSecret("inside"));
    expect(refused.statusCode).toBe(403);
    expect(refused.response?.headers.get("x-ms-keyvault-network-info")).toBe(
      "conn_type=Ipv6;addr=2001:db8::1;act_addr_fam=InterNetworkV6;"
    );
  });

  it("refuses everyone on the public endpoint when publicNetworkAccess is Disabled (ForbiddenByConnection)", async () => {
    const token = await vaultToken();
    const response = await fetch("https://kv-private.vault.azure.net/secrets?api-version=7.5", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string; message: string; innererror: { code: string } } };
    expect(body.error.code).toBe("Forbidden");
    expect(body.error.innererror.code).toBe("ForbiddenByConnection");
    expect(body.error.message).toMatch(
      /^Public network access is disabled and request is not from a trusted service nor via an approved private link\.\r\nCaller: /u
    );
  });

  it("answers 501 naming the operation for requests the fake does not model", async () => {
    const token = await vaultToken();
    const response = await fetch("https://kv-challenge.vault.azure.net/keys/x/0123456789abcdef0123456789abcdef/encrypt?api-version=7.5", {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(501);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      "does not model POST /keys/x/0123456789abcdef0123456789abcdef/encrypt"
    );
  });
});
