import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { createServer as createNetServer } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { ClientSecretCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_IDENTITY, DEFAULT_TENANT_ID, getScenario, loadSeed, startFakeAzureServer, type FakeAzureServer } from "../src/index.js";
import { retryOptions } from "./fixtures/sdk-options.js";

// Server mode in this process: the real SDK clients over real TLS to the server, through the loopback agent (a hosts
// mapping without a hosts file). Child processes (HTTPS_PROXY, NODE_EXTRA_CA_CERTS, Python) are in server-cli.test.ts.
const SEED = loadSeed(readFileSync(new URL("./fixtures/server-mode/seed.json", import.meta.url), "utf8"));
const SUBSCRIPTION = "5e7a0f3c-1b2d-4c5e-8f9a-0b1c2d3e4f50";
const VAULT_URL = "https://kv-server.vault.azure.net";

let server: FakeAzureServer;
beforeAll(async () => {
  server = await startFakeAzureServer({ tenantOptions: { seed: SEED, profile: "strict" } });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.tenant.reset();
});

function credential(clientId: string = DEFAULT_IDENTITY.applicationId, tenantId: string = DEFAULT_TENANT_ID): ClientSecretCredential {
  return new ClientSecretCredential(tenantId, clientId, "not-checked-by-the-fake", { agent: server.agent, retryOptions });
}

/** One raw HTTPS exchange with the server at 127.0.0.1, naming `servername` in SNI and `host` in the Host header. */
function rawHttps(options: { servername: string; host: string; path: string; method?: string; body?: string; contentType?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        port: server.port,
        servername: options.servername,
        path: options.path,
        method: options.method ?? "GET",
        ca: server.caPem,
        headers: { host: options.host, ...(options.contentType === undefined ? {} : { "content-type": options.contentType }) },
        agent: false,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("server mode from Node in-process (loopback agent)", () => {
  it("a ClientSecretCredential gets its token from the fake's Entra endpoint, and SecretClient writes and reads a secret over HTTPS", async () => {
    const client = new SecretClient(VAULT_URL, credential(), { agent: server.agent, retryOptions });
    await client.setSecret("db-password", "s3cret-over-tls");
    const read = await client.getSecret("db-password");
    expect(read.value).toBe("s3cret-over-tls");
    // The tenant behind the server is the one the test holds: the secret is in its state, the calls in its log.
    const vault = [...server.tenant.state.vaults.values()][0];
    expect(vault?.secrets.has("db-password")).toBe(true);
    const paths = server.tenant.calls.all().map((call) => `${call.method} ${new URL(call.url).pathname} ${call.status}`);
    expect(paths).toContain("PUT /secrets/db-password 200");
    expect(paths).toContain("GET /secrets/db-password/ 200");
  });

  it("the ARM client (arm-keyvault) reads the vault through the same server", async () => {
    const arm = new KeyVaultManagementClient(credential(), SUBSCRIPTION, { agent: server.agent, retryOptions });
    const vault = await arm.vaults.get("rg-server", "kv-server");
    expect(vault.properties.vaultUri).toBe(`${VAULT_URL}/`);
    const names: string[] = [];
    for await (const listed of arm.vaults.listBySubscription()) names.push(listed.name ?? "");
    expect(names).toEqual(["kv-server"]);
  });

  it("the strict profile's data-plane access check applies over the wire: a client the access policy does not name gets 403", async () => {
    server.tenant.state.directory.servicePrincipals.set("9d3c0a55-0000-4000-8000-000000000077", {
      id: "9d3c0a55-0000-4000-8000-000000000077",
      appId: "a1b2c3d4-0000-4000-8000-000000000078",
      displayName: "outsider",
    });
    const client = new SecretClient(VAULT_URL, credential("a1b2c3d4-0000-4000-8000-000000000078"), { agent: server.agent, retryOptions });
    await expect(client.getSecret("anything")).rejects.toMatchObject({ statusCode: 403, code: "Forbidden" });
  });

  it("the token endpoint answers as Entra does for an unknown client, another tenant and a scope without /.default", async () => {
    await expect(new SecretClient(VAULT_URL, credential("0badc0de-0000-4000-8000-000000000000"), { agent: server.agent, retryOptions }).getSecret("x")).rejects.toThrow(
      /AADSTS700016/u,
    );
    await expect(
      new SecretClient(VAULT_URL, credential(undefined, "ffffffff-0000-4000-8000-000000000000"), { agent: server.agent, retryOptions }).getSecret("x"),
    ).rejects.toThrow(/AADSTS90002|tenant/u);
    const noDefault = await rawHttps({
      servername: "login.microsoftonline.com",
      host: "login.microsoftonline.com",
      path: `/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`,
      method: "POST",
      contentType: "application/x-www-form-urlencoded",
      body: `grant_type=client_credentials&client_id=${DEFAULT_IDENTITY.applicationId}&client_secret=x&scope=https%3A%2F%2Fvault.azure.net%2Fuser_impersonation`,
    });
    expect(noDefault.status).toBe(400);
    expect(JSON.parse(noDefault.body)).toMatchObject({ error: "invalid_scope", error_codes: [1002012] });
    const noSecret = await rawHttps({
      servername: "login.microsoftonline.com",
      host: "login.microsoftonline.com",
      path: `/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`,
      method: "POST",
      contentType: "application/x-www-form-urlencoded",
      body: `grant_type=client_credentials&client_id=${DEFAULT_IDENTITY.applicationId}&scope=https%3A%2F%2Fvault.azure.net%2F.default`,
    });
    expect(noSecret.status).toBe(401);
    expect(JSON.parse(noSecret.body)).toMatchObject({ error: "invalid_client", error_codes: [7000216] });
  });

  it("serves the OpenID configuration and instance discovery MSAL asks for, pointing at the fake's token endpoint", async () => {
    const config = await rawHttps({
      servername: "login.microsoftonline.com",
      host: "login.microsoftonline.com",
      path: `/${DEFAULT_TENANT_ID}/v2.0/.well-known/openid-configuration`,
    });
    expect(config.status).toBe(200);
    expect(JSON.parse(config.body)).toMatchObject({
      token_endpoint: `https://login.microsoftonline.com/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`,
      issuer: `https://login.microsoftonline.com/${DEFAULT_TENANT_ID}/v2.0`,
    });
    const discovery = await rawHttps({
      servername: "login.microsoftonline.com",
      host: "login.microsoftonline.com",
      path: `/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/${DEFAULT_TENANT_ID}/oauth2/v2.0/authorize`,
    });
    expect(JSON.parse(discovery.body)).toMatchObject({
      tenant_discovery_endpoint: `https://login.microsoftonline.com/${DEFAULT_TENANT_ID}/v2.0/.well-known/openid-configuration`,
    });
  });
});

describe("server mode: the tenant's gate over the wire", () => {
  it("an injected connection reset kills the socket, and the SDK's retry succeeds on a new one", async () => {
    const client = new SecretClient(VAULT_URL, credential(), { agent: server.agent, retryOptions });
    await client.setSecret("flaky", "v");
    const fault = server.tenant.faults.inject({ method: "GET", url: "/secrets/flaky/*", reset: true, times: 1 });
    expect((await client.getSecret("flaky")).value).toBe("v");
    expect(fault.hits).toBe(1);
  });

  it("an injected 503 with Retry-After reaches the client as sent", async () => {
    server.tenant.faults.inject({ method: "GET", url: "/secrets/busy/*", status: 503, headers: { "retry-after": "7" } });
    const client = new SecretClient(VAULT_URL, credential(), { agent: server.agent, retryOptions: { maxRetries: 0 } });
    const error = (await client.getSecret("busy").catch((caught: unknown) => caught)) as { statusCode?: number; response?: { headers: { get(name: string): string | undefined } } };
    expect(error.statusCode).toBe(503);
    expect(error.response?.headers.get("retry-after")).toBe("7");
  });
});

describe("server mode: Graph and Log Analytics", () => {
  it("answers Microsoft Graph and the Log Analytics query API of a scenario over HTTPS, with tokens from its Entra endpoint", async () => {
    const own = await startFakeAzureServer({ scenario: "tor-secret-reads" });
    try {
      const { agent } = own;
      const tenantId = own.tenant.state.tenantId;
      const entra = new ClientSecretCredential(tenantId, DEFAULT_IDENTITY.applicationId, "x", { agent, retryOptions });
      const logs = new LogsQueryClient(entra, { agent, retryOptions });
      const workspace = [...own.tenant.state.workspaces.values()][0];
      const result = await logs.queryWorkspace(workspace?.resource.properties.customerId ?? "", "AZKVAuditLogs | summarize count()", { duration: "P30D" });
      expect(result.status).toBe("Success");
      expect("tables" in result && result.tables[0]?.rows).toEqual([[getScenario("tor-secret-reads").workspaces?.[0]?.tables?.["AZKVAuditLogs"]?.rows.length]]);

      const token = await entra.getToken("https://graph.microsoft.com/.default");
      const graph = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          { host: "graph.microsoft.com", path: "/v1.0/servicePrincipals?$select=appId", agent, headers: { authorization: `Bearer ${token.token}` } },
          (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on("error", reject);
        req.end();
      });
      expect(graph.status).toBe(200);
      const appIds = (JSON.parse(graph.body) as { value: { appId: string }[] }).value.map((principal) => principal.appId);
      expect(appIds).toEqual(expect.arrayContaining((getScenario("tor-secret-reads").directory?.servicePrincipals ?? []).map((principal) => principal.appId)));
    } finally {
      await own.close();
    }
  });
});

describe("server mode: addressing by host name", () => {
  it("routes by the Host header: the same socket address answers ARM and a vault", async () => {
    const arm = await rawHttps({ servername: "management.azure.com", host: "management.azure.com", path: `/subscriptions/${SUBSCRIPTION}?api-version=2022-12-01` });
    expect(arm.status).toBe(401); // no token: ARM's own answer, not the vault's
    expect(JSON.parse(arm.body)).toMatchObject({ error: { code: "AuthenticationFailed" } });
    const vault = await rawHttps({ servername: "kv-server.vault.azure.net", host: "kv-server.vault.azure.net", path: "/secrets/x?api-version=7.4" });
    expect(vault.status).toBe(401);
    expect(JSON.parse(vault.body)).toMatchObject({ error: { code: "Unauthorized" } });
  });

  it("answers 421 naming the served hosts for a Host header it does not serve", async () => {
    const other = await rawHttps({ servername: "management.azure.com", host: "example.org", path: "/" });
    expect(other.status).toBe(421);
    expect(JSON.parse(other.body)).toMatchObject({ error: { code: "FakeAzureUnservedHost" } });
    expect(other.body).toContain("management.azure.com");
  });

  it("presents a certificate, chained to the CA it hands out, that is valid for every served name and no other", async () => {
    const verify = (servername: string) =>
      new Promise<Error | undefined>((resolve) => {
        const socket = tlsConnect({ host: "127.0.0.1", port: server.port, servername, ca: server.caPem }, () => {
          socket.end();
          resolve(undefined);
        });
        socket.on("error", (error) => resolve(error));
      });
    for (const name of ["management.azure.com", "kv-anything.vault.azure.net", "graph.microsoft.com", "api.loganalytics.io", "login.microsoftonline.com"]) {
      expect(await verify(name), name).toBeUndefined();
    }
    expect((await verify("example.org"))?.message).toMatch(/altnames|Hostname/u);
    // A deeper name is not covered by the one-label wildcard, as with Key Vault's own certificate.
    expect((await verify("a.b.vault.azure.net"))?.message).toMatch(/altnames|Hostname/u);
  });

  it("the loopback agent refuses to connect anywhere but the served hosts", async () => {
    const client = new SecretClient("https://vault.example.org", credential(), { agent: server.agent, retryOptions: { maxRetries: 0 } });
    await expect(client.getSecret("x")).rejects.toThrow(/only connects to/u);
  });
});

describe("server mode: the CONNECT proxy", () => {
  function connectThroughProxy(target: string) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: server.proxyPort, method: "CONNECT", path: target, agent: false });
      // Node hands every answer to a CONNECT to "connect", with the socket: a refusal's body is read from it.
      req.on("connect", (res, socket, head) => {
        const status = res.statusCode ?? 0;
        if (status === 200) {
          socket.destroy();
          resolve({ status, body: "" });
          return;
        }
        let text = head.toString("utf8");
        socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        socket.on("end", () => resolve({ status, body: text }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("tunnels the served hosts on 443 and refuses any other target, never reaching the network", async () => {
    expect((await connectThroughProxy("kv-server.vault.azure.net:443")).status).toBe(200);
    expect((await connectThroughProxy("login.microsoftonline.com:443")).status).toBe(200);
    for (const target of ["example.org:443", "management.azure.com:80", "storage.blob.core.windows.net:443", "127.0.0.1:22"]) {
      const refused = await connectThroughProxy(target);
      expect(refused.status, target).toBe(403);
      expect(refused.body).toContain("never connects to the network");
    }
  });

  it("does not forward plain HTTP requests", async () => {
    const answer = await new Promise<{ status: number; allow: string | undefined }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: server.proxyPort, path: "http://example.org/", agent: false }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, allow: res.headers.allow });
      });
      req.on("error", reject);
      req.end();
    });
    expect(answer).toEqual({ status: 405, allow: "CONNECT" });
  });
});

describe("server mode: lifecycle", () => {
  it("close() stops both listeners and ends kept-alive connections", async () => {
    const own = await startFakeAzureServer({ tenantOptions: { seed: SEED } });
    const client = new SecretClient(VAULT_URL, new ClientSecretCredential(DEFAULT_TENANT_ID, DEFAULT_IDENTITY.applicationId, "x", { agent: own.agent }), {
      agent: own.agent,
      retryOptions,
    });
    await client.setSecret("kept-alive", "v");
    await own.close();
    const refused = await new Promise<string>((resolve) => {
      const socket = tlsConnect({ host: "127.0.0.1", port: own.port, servername: "management.azure.com", ca: own.caPem });
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? ""));
      socket.on("secureConnect", () => resolve("connected"));
    });
    expect(refused).toBe("ECONNREFUSED");
  });

  it("listens on loopback only: a wildcard or network address is refused before anything binds", async () => {
    for (const host of ["0.0.0.0", "::", "192.0.2.10"]) {
      await expect(startFakeAzureServer({ host }), host).rejects.toMatchObject({ code: "KW_TESTING_E0005", message: expect.stringContaining("loopback only") });
    }
  });

  it("a proxy port already in use fails the start and leaves no HTTPS listener behind", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createNetServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
      });
    });
    const attempt = startFakeAzureServer({ tenantOptions: { seed: SEED }, port, proxyPort: server.proxyPort ?? 0 });
    await expect(attempt).rejects.toMatchObject({ code: "EADDRINUSE" });
    // Had the HTTPS listener of the failed start stayed open, its port could not be taken again.
    const again = await startFakeAzureServer({ tenantOptions: { seed: SEED }, port });
    expect(again.port).toBe(port);
    await again.close();
  });

  it("refuses a tenant together with the options of a new one", async () => {
    await expect(startFakeAzureServer({ tenant: server.tenant, scenario: "tor-secret-reads" })).rejects.toMatchObject({ code: "KW_TESTING_E0005" });
  });
});
