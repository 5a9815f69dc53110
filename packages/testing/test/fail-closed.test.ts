import { SecretClient } from "@azure/keyvault-secrets";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeAzure, type FakeAzure } from "../src/index.js";
import { baseSeed, VAULT_NAME } from "./fixtures/base-seed.js";

/**
 * Issue 14, item 6: a request to an Azure host never reaches the network, whatever msw's unhandled-request strategy,
 * and closing a tenant never stops or empties an msw server it did not create.
 */

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const item of open.splice(0).reverse()) item.close();
});

function tenant(options: Parameters<typeof createFakeAzure>[0] = {}): FakeAzure {
  const fake = createFakeAzure({ seed: baseSeed(), ...options });
  open.push(fake);
  return fake;
}

describe("requests to Azure hosts the fake does not model", () => {
  it("get a 501 naming the request and the fix even with onUnhandledRequest: bypass, and show in the call log", async () => {
    const fake = tenant({ onUnhandledRequest: "bypass" });
    fake.listen();
    for (const url of [
      "https://myaccount.blob.core.windows.net/container/blob",
      "https://management.core.windows.net/subscriptions",
      "https://api.applicationinsights.io/v1/apps/x/query",
      "https://westeurope.api.cognitive.microsoft.com/text/analytics",
    ]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(501);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("FakeAzureUnsupportedRequest");
      expect(body.error.message).toContain(`GET ${new URL(url).origin}${new URL(url).pathname}`);
      expect(body.error.message).toContain("What it serves");
      expect(body.error.message).toContain("server.use(");
    }
    expect(fake.calls.all().map((call) => call.status)).toEqual([501, 501, 501, 501]);
  });

  it("answer a token request with the fix: use tenant.credential", async () => {
    const fake = tenant({ onUnhandledRequest: "bypass" });
    fake.listen();
    const response = await fetch("https://login.microsoftonline.com/common/oauth2/v2.0/token", { method: "POST", body: "grant_type=client_credentials" });
    expect(response.status).toBe(501);
    expect(((await response.json()) as { error_description: string }).error_description).toContain("tenant.credential");
  });

  it("are answered on a server the tenant was given, whatever that server's strategy", async () => {
    const server = setupServer();
    server.listen({ onUnhandledRequest: "bypass" });
    open.push(server);
    const fake = tenant({ server });
    fake.listen();
    expect((await fetch("https://example.blob.core.windows.net/c/b")).status).toBe(501);
  });

  it("fail as unhandled (not 501) when they are not Azure's, with the tenant's error strategy", async () => {
    const fake = tenant();
    fake.listen();
    await expect(fetch("https://example.invalid/anything")).rejects.toThrow();
    expect(fake.calls.last()).toMatchObject({ host: "example.invalid", unhandled: true });
  });
});

describe("close()", () => {
  it("of a tenant on a given server leaves the server listening with its owner's handlers", async () => {
    const server = setupServer(http.get("https://owner.example/ping", () => HttpResponse.json({ pong: true })));
    server.listen({ onUnhandledRequest: "error" });
    open.push(server);
    server.use(http.get("https://owner.example/runtime", () => HttpResponse.json({ runtime: true })));
    const fake = tenant({ server });
    fake.listen();
    const secrets = new SecretClient(`https://${VAULT_NAME}.vault.azure.net`, fake.credential, { retryOptions: { maxRetries: 0 } });
    expect((await secrets.getSecret("db-password")).value).toBeDefined();
    fake.close();
    // Before the fix close() called server.resetHandlers(), dropping the owner's runtime handler.
    expect(await (await fetch("https://owner.example/ping")).json()).toEqual({ pong: true });
    expect(await (await fetch("https://owner.example/runtime")).json()).toEqual({ runtime: true });
    // The closed tenant no longer answers: the owner's strategy applies again.
    await expect(fetch(`https://${VAULT_NAME}.vault.azure.net/secrets/db-password?api-version=7.5`)).rejects.toThrow();
    fake.listen();
    expect(server.listHandlers().filter((handler) => fake.handlers.includes(handler as never))).toHaveLength(1);
  });

  it("of one standalone tenant does not stop another standalone tenant that is still listening", async () => {
    const first = tenant();
    first.listen();
    const second = tenant({ seed: { ...baseSeed() } });
    second.listen();
    expect(second.server).toBe(first.server);
    second.close();
    const secrets = new SecretClient(`https://${VAULT_NAME}.vault.azure.net`, first.credential, { retryOptions: { maxRetries: 0 } });
    expect((await secrets.getSecret("db-password")).value).toBeDefined();
    expect(first.calls.count({ status: 200 })).toBe(1);
    expect(second.calls.count()).toBe(0);
  });

  it("of the last standalone tenant closes the shared server, and a new tenant starts a fresh one", async () => {
    const first = tenant();
    first.listen();
    const server = first.server;
    first.close();
    const next = tenant();
    next.listen();
    expect(next.server).not.toBe(server);
    const secrets = new SecretClient(`https://${VAULT_NAME}.vault.azure.net`, next.credential, { retryOptions: { maxRetries: 0 } });
    expect((await secrets.getSecret("db-password")).value).toBeDefined();
  });
});
