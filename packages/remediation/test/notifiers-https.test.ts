import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { InMemoryJournal, type Clock } from "@keywarden/core";
import {
  applyPlan,
  ConsoleNotifier,
  createAzureExecutors,
  RemediationCodes,
  RemediationError,
  stepOutcomesFromJournal,
  TeamsNotifier,
  WebhookNotifier,
  type NotificationTask,
  type NotifyDeliveryPolicy,
} from "../src/index.js";
import { buildPlan, common, vaultTarget } from "./support/harness.js";

/** A local HTTPS endpoint with a self-signed certificate for 127.0.0.1, made with openssl for this run. */
const dir = mkdtempSync(join(tmpdir(), "keywarden-https-"));
let server: Server;
let base = "";
let ca = "";
const received: { path: string; headers: Record<string, unknown>; body: unknown }[] = [];
let answer = 200;
/** Answers for the next requests, in order; then `answer`. */
const answers: number[] = [];

/** fetch over node:https trusting only the test certificate: the notifiers' own code sends the request. */
const trustingFetch: typeof fetch = (input, init) =>
  new Promise((resolve, reject) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const req = request(url, { method: init?.method ?? "GET", headers: init?.headers as Record<string, string>, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const headers = new Headers();
        for (const [key, value] of Object.entries(res.headers)) if (typeof value === "string") headers.set(key, value);
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers }));
      });
    });
    req.on("error", reject);
    req.end(typeof init?.body === "string" ? init.body : undefined);
  });

beforeAll(async () => {
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  ca = readFileSync(join(dir, "cert.pem"), "utf8");
  server = createServer({ key: readFileSync(join(dir, "key.pem")), cert: ca }, (req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: JSON.parse(body) as unknown });
      const status = answers.shift() ?? answer;
      res.writeHead(status, status === 429 ? { "retry-after": "2" } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `https://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const task: NotificationTask = {
  id: "kwp_1/s05-contact-owner",
  kind: "contact-owner",
  planId: "kwp_1",
  alertIds: ["/subscriptions/x/alerts/1"],
  recipients: ["owner@contoso.example"],
  subject: "Confirm access to kv-payments",
  message: "A Tor exit node read 3 secrets.",
  evidence: { sourceIp: "185.220.101.4", objectsRead: ["db-password"], actions: "firewall closed" },
  vault: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-payments",
};

describe("notifiers against a local HTTPS endpoint", () => {
  it("webhook: posts the task with an Idempotency-Key", async () => {
    answer = 200;
    received.length = 0;
    const receipt = await new WebhookNotifier({ url: `${base}/hook`, fetch: trustingFetch }).notify(task);
    expect(receipt.channel).toBe("webhook");
    expect(received[0]).toMatchObject({ path: "/hook", headers: { "idempotency-key": task.id }, body: { type: "keywarden.task", subject: task.subject } });
  });

  it("teams: posts an Adaptive Card whose facts carry the evidence", async () => {
    answer = 200;
    received.length = 0;
    expect((await new TeamsNotifier({ url: `${base}/teams`, fetch: trustingFetch }).notify(task)).channel).toBe("teams");
    const card = (received[0]?.body as { attachments: { contentType: string; content: { body: { type: string; facts?: { title: string; value: string }[] }[] } }[] }).attachments[0];
    expect(card?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const facts = card?.content.body.find((block) => block.type === "FactSet")?.facts ?? [];
    // Fact values are Markdown in Teams, escaped with markdownSafe: they render as the evidence once the backslash escapes are read.
    const rendered = facts.map((fact) => ({ ...fact, value: fact.value.replace(/\\(.)/g, "$1") }));
    expect(rendered).toEqual(expect.arrayContaining([{ title: "sourceIp", value: "185.220.101.4" }, { title: "objectsRead", value: '["db-password"]' }]));
  });

  it("an endpoint answering 4xx or 429 is a delivery error with the status (and Retry-After)", async () => {
    answer = 429;
    await expect(new TeamsNotifier({ url: `${base}/teams`, fetch: trustingFetch }).notify(task)).rejects.toMatchObject({ statusCode: 429, retryAfterInMs: 2000 });
    answer = 404;
    await expect(new WebhookNotifier({ url: `${base}/hook`, fetch: trustingFetch }).notify(task)).rejects.toMatchObject({ statusCode: 404, category: "not-found" });
  });

  it("refuses a URL that is not HTTPS when the notifier is created", () => {
    for (const create of [() => new WebhookNotifier({ url: "http://hooks.example.com/x" }), () => new TeamsNotifier({ url: "http://outlook.office.com/webhook/x" })]) {
      expect(create).toThrow(expect.objectContaining({ code: "KW_REMEDIATION_E0030", category: "invalid-input" }));
      expect(() => create()).toThrow(/not HTTPS/);
      try {
        create();
      } catch (error) {
        expect(RemediationError.isInstance(error)).toBe(true);
      }
    }
  });
});

/** A clock that records every wait and moves on at once: the delivery back-off is asserted, never waited for. */
function recordingClock(): Clock & { waits: number[] } {
  let now = Date.parse("2026-03-01T10:00:00Z");
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

const credential = { getToken: () => Promise.reject(new Error("no Azure call is expected in a notification test")) };

async function applyTask(url: string, delivery: NotifyDeliveryPolicy) {
  const plan = buildPlan([
    {
      kind: "contact-owner",
      target: { vault: vaultTarget("kv-payments") },
      parameters: {
        recipients: ["owner@contoso.example"],
        recipientSources: [{ address: "owner@contoso.example", source: "vault-tag", detail: 'tag "owner" on vault kv-payments' }],
        subject: "Confirm access to kv-payments",
        message: "Was this expected?",
        evidence: { ipAddress: "185.220.101.4" },
      },
      ...common,
      risk: "safe",
      reversible: false,
    },
  ]);
  const clock = recordingClock();
  const journal = new InMemoryJournal();
  const executors = createAzureExecutors({ credential, notifier: new WebhookNotifier({ url, fetch: trustingFetch }), notifyDelivery: delivery });
  const result = await applyPlan(plan, { journal, executors, clock, approve: () => true });
  const entries = await journal.entries();
  return { plan, result, entries, clock, outcomes: stepOutcomesFromJournal(plan.steps, entries, plan.id) };
}

describe("delivery through the engine: sent, retried, not delivered", () => {
  it("retries a 503 and a 429 per policy (back-off doubled, Retry-After honoured) and journals the task as sent", async () => {
    received.length = 0;
    answers.push(503, 429);
    answer = 200;
    const { result, entries, clock, outcomes } = await applyTask(`${base}/hook`, { attempts: 3, backoffInMs: 250 });
    expect(result.status).toBe("completed");
    expect(result.steps[0]?.status).toBe("sent");
    expect(received).toHaveLength(3);
    // 250 ms after the 503, then the 2 s the 429's Retry-After asked for.
    expect(clock.waits).toEqual([250, 2000]);
    const sent = entries.find((entry) => entry.stepId !== "" && entry.event === "succeeded");
    expect(sent).toMatchObject({ code: RemediationCodes.taskSent, data: expect.objectContaining({ delivery: "sent", attempts: 3 }) });
    expect(sent?.message).not.toContain("verified");
    expect(outcomes[0]?.status).toBe("sent");
  });

  it("a 4xx is not retried: the task is journaled not delivered with the reason and the run is incomplete", async () => {
    received.length = 0;
    answer = 404;
    const { result, entries, clock, outcomes } = await applyTask(`${base}/hook`, { attempts: 3, backoffInMs: 250 });
    expect(received).toHaveLength(1);
    expect(clock.waits).toEqual([]);
    expect(result.status).toBe("incomplete");
    expect(result.steps[0]).toMatchObject({ status: "not-delivered", error: { code: RemediationCodes.notifyNotDelivered, status: 404 } });
    const failed = entries.find((entry) => entry.event === "failed");
    expect(failed?.code).toBe(RemediationCodes.notifyNotDelivered);
    expect(failed?.message).toMatch(/not delivered: .*answered 404.*after 1 attempt/);
    expect(outcomes[0]?.status).toBe("not-delivered");
    answer = 200;
  });

  it("an unreachable target is retried, then not delivered; best-effort keeps the run completed with a warning", async () => {
    // A port nothing listens on: connection refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const { result, entries, clock } = await applyTask(`https://127.0.0.1:${port}/hook`, { attempts: 2, backoffInMs: 100, bestEffort: true });
    expect(clock.waits).toEqual([100]);
    expect(result.status).toBe("completed");
    expect(result.steps[0]?.status).toBe("not-delivered");
    expect(result.steps[0]?.warnings.map((warning) => warning.code)).toContain(RemediationCodes.taskNotDeliveredBestEffort);
    expect(entries.find((entry) => entry.event === "failed")?.message).toMatch(/not delivered: .*ECONNREFUSED.*after 2 attempt/);
  });
});

describe("console notifier", () => {
  it("shows the evidence, where each recipient came from and what the response does, with outside text escaped", async () => {
    const lines: string[] = [];
    await new ConsoleNotifier({ write: (line) => lines.push(line) }).notify({
      ...task,
      subject: "Confirm access\u001b[2J to kv-payments",
      recipientSources: [{ address: "owner@contoso.example", source: "vault-tag", detail: 'tag "owner" on vault kv-payments' }],
      evidence: { origin: "outside-tenant", ipAddress: "185.220.101.4", findings: ["Tor exit node", "3 secrets read\u202e"], objectsRead: ["secret/db-password"] },
      response: ["enable-firewall (vault kv-payments): firewall: defaultAction Allow → Deny"],
    });
    const text = lines.join("\n");
    expect(text).toContain("[contact-owner] Confirm access\\x1b[2J to kv-payments");
    // eslint-disable-next-line no-control-regex -- asserting the escape character is gone
    expect(text).not.toMatch(/\u001b|\u202e/u);
    expect(text).toContain('owner@contoso.example (vault-tag: tag "owner" on vault kv-payments)');
    expect(text).toContain("source: outside-tenant");
    expect(text).toContain("source IP: 185.220.101.4");
    expect(text).toMatch(/findings:\n\s+- Tor exit node\n\s+- 3 secrets read\\u202e/u);
    expect(text).toContain("objects read: secret/db-password");
    expect(text).toContain("response (what the plan does):\n    - enable-firewall (vault kv-payments)");
  });
});
