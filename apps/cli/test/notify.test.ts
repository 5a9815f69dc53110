import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

/**
 * Tasks told to real people, end to end in the sandbox: recipients come from the sandbox tenant (owner tag, manager,
 * security contacts), tasks go out by e-mail (Graph sendMail in the fake) and to a local HTTPS webhook (self-signed
 * certificate on loopback), each delivery is journaled "sent" or "not delivered", and the exit code follows.
 */
const work = makeWorkDir();
const certificate = join(work.dir, "cert.pem");
const cli = (args: string[]) => runCli(args, { cwd: work.dir, env: { NODE_EXTRA_CA_CERTS: certificate } });
const statePath = join(work.dir, ".keywarden/sandbox.json");
const readState = (): JsonDocument => JSON.parse(readFileSync(statePath, "utf8"));

let server: Server;
let hookUrl = "";
const received: { path: string; key: string | undefined; body: JsonDocument }[] = [];
let answer = 200;
let alertId = "";
let suspect: { objectId: string; userPrincipalName?: string } = { objectId: "" };

function writePolicy(name: string, notify: unknown): string {
  writeFileSync(join(work.dir, name), JSON.stringify({ notify }, null, 2));
  return name;
}

function journal(path: string): JsonDocument[] {
  return readFileSync(join(work.dir, path), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}

beforeAll(async () => {
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(work.dir, "key.pem"), "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  server = createServer({ key: readFileSync(join(work.dir, "key.pem")), cert: readFileSync(certificate) }, (request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ path: request.url ?? "", key: request.headers["idempotency-key"] as string | undefined, body: JSON.parse(body) });
      response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hookUrl = `https://127.0.0.1:${(server.address() as { port: number }).port}/hook`;

  expect((await cli(["sandbox", "reset"])).code).toBe(0);
  const list = await cli(["--sandbox", "alerts", "list", "--format", "json"]);
  const alerts = parseJsonOutput<JsonDocument[]>(list);
  // The alert whose triage asks the owner to confirm access.
  for (const alert of alerts) {
    const triage = parseJsonOutput(await cli(["--sandbox", "triage", alert.id, "--format", "json"]));
    if (triage.decision.recommendedActions.some((action: JsonDocument) => action.kind === "contact-owner") && triage.source.principal.objectId !== undefined) {
      alertId = alert.id;
      suspect = { objectId: triage.source.principal.objectId, userPrincipalName: triage.source.principal.userPrincipalName };
      break;
    }
  }
  expect(alertId).not.toBe("");
  // The tenant says who to tell: an owner tag on the vault (naming the suspect too), her manager, the SOC.
  const state = readState();
  const triage = parseJsonOutput(await cli(["--sandbox", "triage", alertId, "--format", "json"]));
  const vault = state.vaults.find((candidate: JsonDocument) => candidate.id.toLowerCase() === triage.source.vault.resourceId.toLowerCase());
  vault.tags = { ...vault.tags, owner: `payments@contoso.example;${suspect.userPrincipalName ?? "x@contoso.example"}` };
  state.directory.users.push(
    { id: "0c0c0c0c-0000-4000-8000-0000000000d1", displayName: "Mo Manager", userPrincipalName: "mo@contoso.example", mail: "mo@contoso.example" },
    { id: "0c0c0c0c-0000-4000-8000-0000000000d2", displayName: "Keywarden", userPrincipalName: "keywarden@contoso.example", mail: "keywarden@contoso.example" },
  );
  state.directory.managers = [{ userId: suspect.objectId, managerId: "0c0c0c0c-0000-4000-8000-0000000000d1" }];
  state.securityContacts = [
    {
      id: `/subscriptions/${triage.source.vault.subscriptionId}/providers/Microsoft.Security/securityContacts/default`,
      name: "default",
      type: "Microsoft.Security/securityContacts",
      properties: { emails: "soc@contoso.example", isEnabled: true },
    },
  ];
  writeFileSync(statePath, JSON.stringify(state));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  work.cleanup();
});

describe("notifications from the CLI, in the sandbox", () => {
  it("respond plans tasks for the people the tenant names, each with its source, never the suspect", async () => {
    const respond = await cli(["--sandbox", "respond", alertId, "--out", "plan.json"]);
    expect(respond.code, respond.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(work.dir, "plan.json"), "utf8"));
    const task = plan.steps.find((step: JsonDocument) => step.kind === "contact-owner");
    expect(task.parameters.recipientSources.map((recipient: JsonDocument) => [recipient.address, recipient.source])).toEqual([
      ["payments@contoso.example", "vault-tag"],
      ["mo@contoso.example", "manager"],
      ["soc@contoso.example", "security-contact"],
    ]);
    expect(JSON.stringify(task.parameters.recipients)).not.toContain(suspect.userPrincipalName ?? suspect.objectId);
    expect(respond.stdout).toContain("mo@contoso.example: manager (manager of");
  });

  it("apply sends each task by e-mail and to the webhook, journals it as sent, and prints the evidence", async () => {
    received.length = 0;
    answer = 200;
    const policy = writePolicy("notify.json", { channels: [{ type: "email", mailbox: "keywarden@contoso.example" }, { type: "webhook", url: hookUrl }], delivery: { attempts: 2, backoffInMs: 10 } });
    const applied = await cli(["--sandbox", "apply", "plan.json", "--yes", "--policy", policy, "--journal", "sent.jsonl"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("✉ sent");
    // The console task carries the evidence and where each recipient came from.
    expect(applied.stderr).toMatch(/\[contact-owner\][\s\S]*mo@contoso\.example \(manager: manager of[\s\S]*evidence:[\s\S]*source IP: /u);
    const mail = readState().directory.sentMail;
    expect(mail).toHaveLength(1);
    expect(mail[0].from).toBe("keywarden@contoso.example");
    expect(mail[0].message.toRecipients.map((recipient: JsonDocument) => recipient.emailAddress.address)).toEqual(["payments@contoso.example", "mo@contoso.example", "soc@contoso.example"]);
    expect(mail[0].message.body.content).toContain("response (what the plan does):");
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toMatchObject({ type: "keywarden.task", kind: "contact-owner" });
    const sent = journal("sent.jsonl").find((entry) => entry.kind === "contact-owner" && entry.event === "succeeded");
    expect(sent).toMatchObject({ code: "KW_REMEDIATION_I0020", data: expect.objectContaining({ delivery: "sent", channel: "cli+email+webhook" }) });
    expect(sent.message).not.toContain("verified");
  });

  it("a target answering 4xx: journaled not delivered with the reason, the result says so, exit 1; best-effort exits 0", async () => {
    // A plan of only the task (the containment steps were applied above).
    writeFileSync(join(work.dir, "tasks-policy.json"), JSON.stringify({ remediation: { manageAlertState: false, skip: ["enable-firewall", "revoke-sessions", "restrict-permissions", "remove-access-policy", "remove-role-assignments", "rotate-secrets", "disable-secrets", "delete-secrets", "escalate-to-admin"] } }));
    const respond = await cli(["--sandbox", "respond", alertId, "--policy", "tasks-policy.json", "--out", "tasks.json"]);
    expect(respond.code, respond.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(work.dir, "tasks.json"), "utf8")).steps.map((step: JsonDocument) => step.kind)).toEqual(["contact-owner"]);
    received.length = 0;
    answer = 403;
    const strict = writePolicy("strict.json", { channels: [{ type: "webhook", url: hookUrl }], delivery: { attempts: 3, backoffInMs: 10 } });
    const failed = await cli(["--sandbox", "apply", "tasks.json", "--yes", "--policy", strict, "--journal", "strict.jsonl", "--format", "json"]);
    expect(failed.code, failed.stderr).toBe(1);
    const result = parseJsonOutput(failed);
    expect(result.status).toBe("incomplete");
    expect(result.steps.find((step: JsonDocument) => step.kind === "contact-owner")).toMatchObject({ status: "not-delivered", error: { code: "KW_REMEDIATION_E0040", status: 403 } });
    // A 4xx is final: sent once, not retried.
    expect(received).toHaveLength(1);
    const entry = journal("strict.jsonl").find((line) => line.kind === "contact-owner" && line.event === "failed");
    expect(entry.message).toMatch(/not delivered: .*answered 403/u);

    const lenient = writePolicy("lenient.json", { channels: [{ type: "webhook", url: hookUrl }], delivery: { attempts: 1, bestEffort: true } });
    const text = await cli(["--sandbox", "apply", "tasks.json", "--yes", "--policy", lenient, "--journal", "lenient.jsonl"]);
    expect(text.code, `${text.stdout}\n${text.stderr}`).toBe(0);
    expect(text.stdout).toContain("✘ not delivered");
    expect(text.stdout).toMatch(/1 task\(s\) not delivered/u);
    answer = 200;
  });

  it("refuses a notify section with an http:// URL or a bad delivery setting at load, every problem listed, exit 2", async () => {
    const bad = writePolicy("bad.json", { channels: [{ type: "teams", url: "http://outlook.office.com/webhook/x" }], delivery: { attempts: 0 } });
    const refused = await cli(["--sandbox", "apply", "plan.json", "--yes", "--policy", bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("notify.channels[0].url: is not HTTPS");
    expect(refused.stderr).toMatch(/notify\.delivery\.attempts: /u);
    const flag = await cli(["--sandbox", "apply", "plan.json", "--yes", "--notify", "webhook:http://127.0.0.1/hook"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("not HTTPS");
  });
});
