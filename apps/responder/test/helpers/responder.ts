import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { FakeAzure } from "@keywarden/testing";

import { createResponder, type Responder } from "../../src/app.js";
import { loadConfig } from "../../src/config/config.js";
import { openSandboxEnvironment } from "../../src/environment/sandbox-environment.js";
import type { ResponderEnvironment } from "../../src/environment/responder-environment.js";
import { signDelivery, signatureHeader, timestampHeader } from "../../src/http/delivery-auth.js";

export const hmacKey = "test-hmac-key-0123456789abcdef";
export const adminToken = "test-admin-token-0123456789abcdef";

export interface TestResponder extends Responder {
  tenant: FakeAzure;
  cleanup(): Promise<void>;
}

/** A responder on a fresh sandbox tenant and a fresh SQLite file (or the given store). */
export async function startTestResponder(options: { store?: string; overrides?: Record<string, unknown>; env?: ResponderEnvironment; worker?: boolean; scenario?: string } = {}): Promise<TestResponder> {
  const dir = mkdtempSync(join(tmpdir(), "kw-responder-"));
  const config = loadConfig({
    env: {},
    overrides: {
      mode: "sandbox",
      port: 0,
      store: options.store ?? `sqlite:${join(dir, "responder.db")}`,
      hmacKey,
      adminToken,
      sessionSecret: "test-session-secret-0123456789abcdef-0123456789",
      worker: { enabled: options.worker ?? true, concurrency: 2, leaseInMs: 30_000, pollIntervalInMs: 20, maxAttempts: 3, vaultLockTtlInMs: 5_000 },
      ...options.overrides,
    },
  });
  const env = options.env ?? (await openSandboxEnvironment({ seed: options.scenario ?? "tor-secret-reads" }));
  const responder = await createResponder({ config, env });
  return Object.assign(responder, {
    tenant: env.tenant!,
    async cleanup() {
      await responder.close();
      if (options.env === undefined) await env.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** Signed delivery headers for a body (contract headers). */
export function signedHeaders(body: string, timestamp = Math.floor(Date.now() / 1000), key = hmacKey): Record<string, string> {
  return { "content-type": "application/json", [timestampHeader]: String(timestamp), [signatureHeader]: signDelivery(key, timestamp, body) };
}

/** The sandbox tenant's first alert as ARM JSON (what Defender's API returns). */
export function firstAlertJson(tenant: FakeAzure): Record<string, unknown> {
  return structuredClone([...tenant.state.alerts.values()][0]!) as unknown as Record<string, unknown>;
}

export const admin = { authorization: `Bearer ${adminToken}` };

/** Waits until `check` returns a value (polling); fails with the last value after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, what = "condition"): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}${last === undefined ? "" : `: ${last instanceof Error ? last.message : JSON.stringify(last)}`}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Signs in through the login form (CSRF token from the page, cookies carried); the cookies of the session. */
export async function signIn(app: Responder["app"], username: string, password: string): Promise<{ cookies: Record<string, string>; csrf: string }> {
  const form = await app.inject({ method: "GET", url: "/login" });
  const cookies: Record<string, string> = Object.fromEntries(form.cookies.map((c) => [c.name, c.value]));
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const login = await app.inject({
    method: "POST",
    url: "/login",
    cookies,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ username, password, _csrf: csrf }).toString(),
  });
  if (login.statusCode !== 303) throw new Error(`sign-in as ${username} failed: ${login.statusCode} ${login.body.slice(0, 200)}`);
  for (const c of login.cookies) cookies[c.name] = c.value;
  return { cookies, csrf };
}
