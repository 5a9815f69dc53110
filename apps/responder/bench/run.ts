/**
 * `npm run bench -w apps/responder`
 *
 * BENCH responder-ingest: accepted alerts per second and p99 latency of POST /alerts (signature verified, incident and
 * queue item persisted; processing off) against a bare Fastify endpoint that only reads the body, in the same run and
 * with the same load generator, for SQLite and PostgreSQL. ratio = responder throughput / bare throughput.
 *
 * BENCH responder-e2e: alerts fully processed per minute (pushed, re-read, triaged, measured, planned, auto steps
 * applied) on the sandbox with 3 replica processes on one PostgreSQL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Fastify from "fastify";

import { createResponder } from "../src/app.js";
import { loadConfig } from "../src/config/config.js";
import type { ResponderEnvironment } from "../src/environment/responder-environment.js";
import { manyVaultsSeed } from "../test/helpers/many-vaults.js";
import { startResponderProcess, startSharedTenant } from "../test/helpers/processes.js";
import { startTestPostgres } from "../test/helpers/postgres-server.js";
import { admin, adminToken, hmacKey, signedHeaders } from "../test/helpers/responder.js";

const requests = Number(process.env["BENCH_REQUESTS"] ?? 1500);
const concurrency = Number(process.env["BENCH_CONCURRENCY"] ?? 16);
const e2eAlerts = Number(process.env["BENCH_E2E_ALERTS"] ?? 60);

interface Run {
  rps: number;
  p99: number;
}

async function drive(url: string, bodies: readonly string[]): Promise<Run> {
  // Signatures are made before the clock starts: the load generator's cost is not the server's.
  const prepared = bodies.map((body) => ({ body, headers: signedHeaders(body) }));
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < prepared.length; i = next++) {
        const t0 = performance.now();
        const response = await fetch(url, { method: "POST", headers: prepared[i]!.headers, body: prepared[i]!.body });
        await response.arrayBuffer();
        if (response.status !== 202) throw new Error(`POST ${url}: ${response.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: prepared.length / seconds, p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]! };
}

async function bareEndpoint(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ bodyLimit: 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => done(null, body));
  app.post("/alerts", (_request, reply) => reply.code(202).send({ incidentId: "bare" }));
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return { url: `${url}/alerts`, close: () => app.close() };
}

async function ingest(store: "sqlite" | "postgres", spec: string): Promise<void> {
  // No tenant and no msw in this process: interception would tax the load generator's every request. Ingest makes
  // no Azure call (processing is off), so the environment only has to exist.
  const alerts = (manyVaultsSeed(20, 2 * requests + 100) as unknown as { alerts: unknown[] }).alerts.map((alert) => JSON.stringify(alert));
  const env: ResponderEnvironment = {
    mode: "sandbox",
    credential: { getToken: () => Promise.reject(new Error("no Azure calls during the ingest benchmark")) },
    responderAddresses: [],
    now: () => new Date(),
    close: () => Promise.resolve(),
  };
  const config = loadConfig({
    env: {},
    overrides: { mode: "sandbox", host: "127.0.0.1", port: 0, store: spec, hmacKey, adminToken, rateLimitPerMinute: 10_000_000, worker: { enabled: false } },
  });
  const responder = await createResponder({ config, env });
  const base = await responder.listen();
  const bare = await bareEndpoint();
  try {
    // Warm both up (JIT, connection pools, prepared statements), then measure alternately.
    await drive(bare.url, alerts.slice(0, 100));
    await drive(`${base}/alerts`, alerts.slice(2 * requests, 2 * requests + 100));
    const bareRun = await drive(bare.url, alerts.slice(0, requests));
    const run = await drive(`${base}/alerts`, alerts.slice(0, requests));
    const stored = (await responder.store.listIncidents({ limit: 1000 })).length;
    if (stored < Math.min(1000, requests)) throw new Error(`only ${stored} incidents stored`);
    console.log(
      `BENCH responder-ingest store=${store} ratio=${(run.rps / bareRun.rps).toFixed(3)} p99_ms=${run.p99.toFixed(2)} rps=${run.rps.toFixed(0)} bare_rps=${bareRun.rps.toFixed(0)} bare_p99_ms=${bareRun.p99.toFixed(2)} requests=${requests} concurrency=${concurrency}`,
    );
  } finally {
    await bare.close();
    await responder.close();
    await env.close();
  }
}

async function e2e(postgresUrl: string): Promise<void> {
  const shared = await startSharedTenant(manyVaultsSeed(20, e2eAlerts));
  const database = await createDatabase(postgresUrl, "kw_bench_e2e");
  const replicas: Awaited<ReturnType<typeof startResponderProcess>>[] = [];
  try {
    for (let i = 0; i < 3; i += 1) {
      replicas.push(await startResponderProcess({ KEYWARDEN_RESPONDER_STORE: database, KEYWARDEN_RESPONDER_SANDBOX_TENANT_URL: shared.url, KEYWARDEN_RESPONDER_AUTO_APPROVE: "update-alert-state,contact-owner,enable-firewall,restrict-permissions" }));
    }
    const alerts = [...shared.tenant.state.alerts.values()];
    const started = performance.now();
    await Promise.all(
      alerts.map(async (alert, i) => {
        const body = JSON.stringify(alert);
        const response = await fetch(`${replicas[i % 3]!.url}/alerts`, { method: "POST", headers: signedHeaders(body), body });
        if (response.status !== 202) throw new Error(`POST: ${response.status}`);
      }),
    );
    for (;;) {
      const list = ((await (await fetch(`${replicas[0]!.url}/incidents?limit=1000`, { headers: admin })).json()) as { incidents: Array<{ state: string }> }).incidents;
      if (list.length === alerts.length && list.every((incident) => ["awaiting-approval", "resolved", "failed"].includes(incident.state))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const minutes = (performance.now() - started) / 60_000;
    console.log(`BENCH responder-e2e replicas=3 store=postgres alerts=${alerts.length} per_minute=${(alerts.length / minutes).toFixed(1)} seconds=${(minutes * 60).toFixed(1)}`);
  } finally {
    for (const replica of replicas) await replica.kill("SIGTERM");
    await shared.close();
  }
}

async function createDatabase(adminUrl: string, prefix: string): Promise<string> {
  const { default: pg } = await import("pg");
  const name = `${prefix}_${Date.now()}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const dir = mkdtempSync(join(tmpdir(), "kw-bench-"));
let postgres: { url: string; stop(): void } | undefined;
try {
  await ingest("sqlite", `sqlite:${join(dir, "bench.db")}`);
  let postgresUrl = process.env["KEYWARDEN_TEST_POSTGRES_URL"];
  if (postgresUrl === undefined || postgresUrl === "") {
    const started = await startTestPostgres();
    if ("unavailable" in started) throw new Error(`PostgreSQL: ${started.unavailable}`);
    postgres = started;
    postgresUrl = started.url;
  }
  await ingest("postgres", await createDatabase(postgresUrl, "kw_bench_ingest"));
  if (process.env["BENCH_SKIP_E2E"] !== "1") await e2e(postgresUrl);
} finally {
  postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
}
