import { createServer, type IncomingMessage, type Server } from "node:http";

import type { AccessToken, TokenCredential } from "@azure/core-auth";
import type { FakeAzure } from "@keywarden/testing";
import { http, passthrough } from "msw";
import { setupServer } from "msw/node";

import type { ResponderEnvironment } from "../environment/responder-environment.js";

/**
 * One sandbox tenant shared by several responder processes (replicas, restart tests, the e2e benchmark): the process
 * that owns the tenant serves it on loopback, and each responder forwards its Azure requests there. The Azure SDK
 * clients still run unchanged in the responders; only the transport crosses processes.
 */
const targetHeader = "x-keywarden-sandbox-target";

function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Serves `tenant` (already listening in this process) on 127.0.0.1; the URL to give the responders. */
export interface SharedTenantServer {
  url: string;
  server: Server;
  /** The most writes to one vault's properties (ARM) that were in flight at the same time, per vault name. */
  maxConcurrentVaultWrites(): Map<string, number>;
  close(): Promise<void>;
}

/** The vault whose properties an ARM write changes (PATCH/PUT of the vault or its access policies). */
function vaultWriteKey(method: string, target: URL): string | undefined {
  if (method === "GET" || method === "HEAD" || target.hostname !== "management.azure.com") return undefined;
  const match = /\/providers\/microsoft\.keyvault\/vaults\/([^/]+)(\/accesspolicies\/[^/]+)?$/i.exec(target.pathname);
  return match?.[1]?.toLowerCase();
}

export async function serveSharedTenant(tenant: FakeAzure, port = 0): Promise<SharedTenantServer> {
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const server = createServer((request, response) => {
    void (async () => {
      try {
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        if (url.pathname === "/__tenant/token") {
          const token = await tenant.credential.getToken(url.searchParams.getAll("scope"));
          response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(token));
          return;
        }
        if (url.pathname === "/__tenant/now") {
          response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ now: tenant.clock.now(), tenantId: tenant.state.tenantId }));
          return;
        }
        const target = request.headers[targetHeader];
        if (typeof target !== "string" || isLoopback(new URL(target))) {
          response.writeHead(400).end("missing target");
          return;
        }
        const headers = new Headers();
        for (const [name, value] of Object.entries(request.headers)) {
          if (name === targetHeader || name === "host" || name === "connection" || name === "content-length" || value === undefined) continue;
          headers.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        const body = request.method === "GET" || request.method === "HEAD" ? undefined : await readBody(request);
        const writeKey = vaultWriteKey(request.method ?? "GET", new URL(target));
        if (writeKey !== undefined) {
          const now = (inFlight.get(writeKey) ?? 0) + 1;
          inFlight.set(writeKey, now);
          maxInFlight.set(writeKey, Math.max(maxInFlight.get(writeKey) ?? 0, now));
        }
        // This fetch is intercepted by the tenant's msw server in this process.
        const answer = await fetch(target, { method: request.method ?? "GET", headers, ...(body === undefined ? {} : { body }) });
        const out: Record<string, string> = {};
        answer.headers.forEach((value, name) => {
          if (name !== "content-encoding" && name !== "content-length" && name !== "transfer-encoding") out[name] = value;
        });
        const payload = Buffer.from(await answer.arrayBuffer());
        if (writeKey !== undefined) inFlight.set(writeKey, (inFlight.get(writeKey) ?? 1) - 1);
        response.writeHead(answer.status, out).end(payload);
      } catch (error) {
        response.writeHead(502, { "content-type": "text/plain" }).end(`shared tenant: ${(error as Error).message}`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    maxConcurrentVaultWrites: () => new Map(maxInFlight),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The loopback handler a tenant-owning process needs so its own tests and the responders' traffic pass. */
export const loopbackPassthrough = http.all(({ request }) => isLoopback(new URL(request.url)), () => passthrough());

/** A responder environment whose Azure calls go to a shared tenant served by another process. */
export async function openSharedTenantEnvironment(tenantUrl: string, options: { responderAddresses?: readonly string[] } = {}): Promise<ResponderEnvironment> {
  const base = new URL(tenantUrl);
  const forward = http.all(
    ({ request }) => !isLoopback(new URL(request.url)),
    async ({ request }) => {
      const headers = new Headers(request.headers);
      headers.set(targetHeader, request.url);
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
      return fetch(new URL("/forward", base), { method: request.method, headers, ...(body === undefined ? {} : { body }) });
    },
  );
  const server = setupServer(loopbackPassthrough, forward);
  server.listen({ onUnhandledRequest: "error" });
  const credential: TokenCredential = {
    async getToken(scopes): Promise<AccessToken> {
      const url = new URL("/__tenant/token", base);
      for (const scope of Array.isArray(scopes) ? scopes : [scopes]) url.searchParams.append("scope", scope);
      return (await (await fetch(url)).json()) as AccessToken;
    },
  };
  const started = Date.now();
  const info = (await (await fetch(new URL("/__tenant/now", base))).json()) as { now: number; tenantId: string };
  const offset = info.now - started;
  return {
    mode: "sandbox",
    credential,
    tenantId: info.tenantId,
    retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 },
    pollIntervalInMs: 1,
    // The fake's default caller address: what it records for requests from "this machine".
    responderAddresses: ["203.0.113.10", ...(options.responderAddresses ?? [])],
    now: () => new Date(Date.now() + offset),
    close() {
      server.close();
      return Promise.resolve();
    },
  };
}
