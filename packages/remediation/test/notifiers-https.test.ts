import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { RemediationError, TeamsNotifier, WebhookNotifier, type NotificationTask } from "../src/index.js";

/** A local HTTPS endpoint with a self-signed certificate for 127.0.0.1, made with openssl for this run. */
const dir = mkdtempSync(join(tmpdir(), "keywarden-https-"));
let server: Server;
let base = "";
let ca = "";
const received: { path: string; headers: Record<string, unknown>; body: unknown }[] = [];
let answer = 200;

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
      res.writeHead(answer, answer === 429 ? { "retry-after": "2" } : {}).end();
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
    expect(facts).toEqual(expect.arrayContaining([{ title: "sourceIp", value: "185.220.101.4" }, { title: "objectsRead", value: '["db-password"]' }]));
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
