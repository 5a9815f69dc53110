import { createServer, type Server } from "node:http";

import { type webcrypto } from "node:crypto";

import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";

type CryptoKey = webcrypto.CryptoKey;
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { firstAlertJson, signedHeaders, startTestResponder, type TestResponder } from "./helpers/responder.js";

async function counter(responder: TestResponder, outcome: string): Promise<number> {
  const metric = await responder.metrics.alertsReceived.get();
  return metric.values.find((value) => value.labels["outcome"] === outcome)?.value ?? 0;
}

async function incidentCount(responder: TestResponder): Promise<number> {
  return (await responder.store.listIncidents({ limit: 1000 })).length;
}

describe("POST /alerts (signed deliveries)", () => {
  let responder: TestResponder;
  beforeAll(async () => {
    responder = await startTestResponder({ worker: false, overrides: { bodyLimitBytes: 64 * 1024 } });
  });
  afterAll(async () => {
    await responder.cleanup();
  });

  it("accepts a signed alert with 202 { incidentId } and the same alert again is the same incident", async () => {
    const body = JSON.stringify(firstAlertJson(responder.tenant));
    const sentAt = Math.floor(Date.now() / 1000);
    const first = await responder.app.inject({ method: "POST", url: "/alerts", headers: signedHeaders(body, sentAt), payload: body });
    expect(first.statusCode).toBe(202);
    const { incidentId } = first.json();
    expect(incidentId).toMatch(/^inc_/);
    // Workflow automation retries: a new delivery (another timestamp than the first, even across a second boundary).
    const again = await responder.app.inject({ method: "POST", url: "/alerts", headers: signedHeaders(body, sentAt - 1), payload: body });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ incidentId });
    expect(await incidentCount(responder)).toBe(1);
    expect((await responder.store.queueStats(Date.now())).depth).toBe(1);
    expect(await counter(responder, "duplicate")).toBe(1);
  });

  it("accepts a list: one incident per distinct system alert id", async () => {
    const one = firstAlertJson(responder.tenant);
    const other = structuredClone(one) as { id: string; name: string; properties: { systemAlertId: string } };
    other.id = other.id.replace(/alerts\/[^/]+$/, "alerts/2517185428349999998_other");
    other.name = "2517185428349999998_other";
    other.properties.systemAlertId = other.name;
    const body = JSON.stringify({ value: [one, other, other] });
    const response = await responder.app.inject({ method: "POST", url: "/alerts", headers: signedHeaders(body), payload: body });
    expect(response.statusCode).toBe(202);
    const { incidentId, incidentIds } = response.json();
    expect(incidentIds).toHaveLength(3);
    expect(incidentIds[1]).toBe(incidentIds[2]);
    expect(incidentIds[0]).toBe(incidentId);
    expect(await incidentCount(responder)).toBe(2);
  });

  it.each([
    ["no signature", () => ({ "content-type": "application/json" }), 401, "missing signature", "unauthenticated"],
    ["a wrong signature", (body: string) => ({ ...signedHeaders(body), "x-keywarden-signature": `sha256=${"0".repeat(64)}` }), 401, "does not match", "bad-signature"],
    ["another key", (body: string) => signedHeaders(body, undefined, "another-key-0123456789abcdef"), 401, "does not match", "bad-signature"],
    ["a malformed signature", (body: string) => ({ ...signedHeaders(body), "x-keywarden-signature": "md5=abc" }), 401, "sha256=", "bad-signature"],
    ["a timestamp without signature", () => ({ "content-type": "application/json", "x-keywarden-timestamp": "1" }), 401, "required", "bad-signature"],
    ["a stale timestamp (5 min + 1 s)", (body: string) => signedHeaders(body, Math.floor(Date.now() / 1000) - 301), 401, "timestamp", "stale"],
    ["a timestamp in the future", (body: string) => signedHeaders(body, Math.floor(Date.now() / 1000) + 400), 401, "timestamp", "stale"],
  ])("refuses %s and stores nothing", async (_name, headers, status, reason, outcome) => {
    const alert = firstAlertJson(responder.tenant) as { properties: { systemAlertId: string }; id: string };
    alert.properties.systemAlertId = "refused-one";
    alert.id = alert.id.replace(/alerts\/[^/]+$/, "alerts/refused-one");
    const body = JSON.stringify(alert);
    const before = await incidentCount(responder);
    const countBefore = await counter(responder, outcome);
    const response = await responder.app.inject({ method: "POST", url: "/alerts", headers: headers(body), payload: body });
    expect(response.statusCode).toBe(status);
    expect(response.json().error).toContain(reason);
    expect(await incidentCount(responder)).toBe(before);
    expect(await counter(responder, outcome)).toBe(countBefore + 1);
  });

  it("refuses a replayed delivery (same timestamp and signature) with 409", async () => {
    const body = JSON.stringify(firstAlertJson(responder.tenant));
    const headers = signedHeaders(body, Math.floor(Date.now() / 1000) - 5);
    expect((await responder.app.inject({ method: "POST", url: "/alerts", headers, payload: body })).statusCode).toBe(202);
    const replay = await responder.app.inject({ method: "POST", url: "/alerts", headers, payload: body });
    expect(replay.statusCode).toBe(409);
    expect(replay.json().error).toContain("replayed");
    expect(await counter(responder, "replayed")).toBeGreaterThanOrEqual(1);
  });

  it("refuses an oversize body with 413 and counts it", async () => {
    const body = JSON.stringify({ padding: "x".repeat(70 * 1024) });
    const response = await responder.app.inject({ method: "POST", url: "/alerts", headers: signedHeaders(body), payload: body });
    expect(response.statusCode).toBe(413);
    expect(await counter(responder, "oversize")).toBe(1);
  });

  it("refuses signed non-alerts (422) and non-JSON (400); a malformed payload never creates an incident", async () => {
    const before = await incidentCount(responder);
    for (const body of ['{"hello":"world"}', "[]", '{"value":[{"properties":{"alertType":7}}]}', JSON.stringify({ ...firstAlertJson(responder.tenant), id: "not-an-arm-id" })]) {
      const response = await responder.app.inject({ method: "POST", url: "/alerts", headers: signedHeaders(body), payload: body });
      expect(response.statusCode, body.slice(0, 60)).toBe(422);
      expect(response.json().error.length).toBeLessThan(400);
    }
    const notJson = "{not json";
    expect((await responder.app.inject({ method: "POST", url: "/alerts", headers: signedHeaders(notJson), payload: notJson })).statusCode).toBe(400);
    expect(await incidentCount(responder)).toBe(before);
  });

  it("refuses other content types with 415", async () => {
    const response = await responder.app.inject({ method: "POST", url: "/alerts", headers: { "content-type": "application/xml" }, payload: "<a/>" });
    expect(response.statusCode).toBe(415);
  });

  it("exposes the delivery counters on /metrics", async () => {
    const metrics = await responder.app.inject({ method: "GET", url: "/metrics" });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/keywarden_responder_alerts_received_total\{outcome="accepted"\} [1-9]/);
    expect(metrics.body).toMatch(/keywarden_responder_alerts_received_total\{outcome="stale"\} 2/);
    expect(metrics.body).toContain("keywarden_responder_queue_depth");
    expect(metrics.body).toContain('keywarden_responder_incidents{state="received"} 2');
  });
});

describe("POST /alerts (Entra ID bearer tokens, local JWKS)", () => {
  let responder: TestResponder;
  let jwks: Server;
  let privateKey: CryptoKey;
  let foreignKey: CryptoKey;
  let jwksUri: string;
  const issuer = "https://login.microsoftonline.com/4d3c2b1a-7e6f-4a5b-9c8d-0e1f2a3b4c5d/v2.0";
  const audience = "api://keywarden-responder";

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    privateKey = pair.privateKey;
    foreignKey = (await generateKeyPair("RS256")).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    jwks = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    const address = jwks.address() as { port: number };
    jwksUri = `http://127.0.0.1:${address.port}/discovery/v2.0/keys`;
    responder = await startTestResponder({ worker: false, overrides: { hmacKey: undefined, entra: { issuer, audience, jwksUri, requiredRole: "Keywarden.Alerts.Send" } } });
  });
  afterAll(async () => {
    await responder.cleanup();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const token = (options: { key?: CryptoKey; aud?: string; iss?: string; roles?: string[]; exp?: string } = {}) =>
    new SignJWT({ roles: options.roles ?? ["Keywarden.Alerts.Send"] })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? audience)
      .setSubject("logic-app-mi")
      .setIssuedAt()
      .setExpirationTime(options.exp ?? "5m")
      .sign(options.key ?? privateKey);

  it("accepts a token from the configured issuer for the audience, signed by a key in the JWKS", async () => {
    const body = JSON.stringify(firstAlertJson(responder.tenant));
    const response = await responder.app.inject({ method: "POST", url: "/alerts", headers: { "content-type": "application/json", authorization: `Bearer ${await token()}` }, payload: body });
    expect(response.statusCode).toBe(202);
  });

  it.each([
    ["another audience", { aud: "api://someone-else" }],
    ["another issuer", { iss: "https://login.microsoftonline.com/other/v2.0" }],
    ["a key not in the JWKS", { key: undefined as unknown as CryptoKey, foreign: true }],
    ["no sender role", { roles: [] }],
    ["an expired token", { exp: "-10m" }],
  ])("refuses %s with 401", async (_name, options) => {
    const body = JSON.stringify(firstAlertJson(responder.tenant));
    const jwt = await token({ ...options, ...("foreign" in options ? { key: foreignKey } : {}) });
    const response = await responder.app.inject({ method: "POST", url: "/alerts", headers: { "content-type": "application/json", authorization: `Bearer ${jwt}` }, payload: body });
    expect(response.statusCode).toBe(401);
  });

  it("refuses HMAC headers when only Entra is configured", async () => {
    const body = JSON.stringify(firstAlertJson(responder.tenant));
    const response = await responder.app.inject({ method: "POST", url: "/alerts", headers: signedHeaders(body), payload: body });
    expect(response.statusCode).toBe(401);
  });
});
