import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { canonicalJson, type RemediationPlan } from "@keywarden/remediation";

import { admin, eventually, firstAlertJson, signedHeaders, startTestResponder, type TestResponder } from "./helpers/responder.js";

describe("signed plans: the responder signs each plan and refuses a stored plan edited after signing", () => {
  let responder: TestResponder;
  let incidentId: string;
  const dbPath = () => responder.config.store.slice("sqlite:".length);
  const writes = () => responder.tenant.calls.filter({ method: "PATCH" }).length + responder.tenant.calls.filter({ method: "PUT" }).length;
  const stepStatus = async (stepId: string) => (await responder.store.getIncident(incidentId))?.steps.find((step) => step.id === stepId)?.status;

  beforeAll(async () => {
    responder = await startTestResponder();
    const body = JSON.stringify(firstAlertJson(responder.tenant));
    incidentId = (await responder.app.inject({ method: "POST", url: "/alerts", headers: signedHeaders(body), payload: body })).json<{ incidentId: string }>().incidentId;
    await eventually(async () => ((await responder.store.getIncident(incidentId))?.state === "awaiting-approval" ? true : undefined), 60_000, "awaiting-approval");
  });
  afterAll(async () => {
    await responder?.cleanup();
  });

  it("stores the plan signed with the sandbox's generated Ed25519 key, kept in a 0600 file and never in the store", async () => {
    const plan = (await responder.store.getIncident(incidentId))!.plan as RemediationPlan;
    expect(plan.signature).toMatchObject({ algorithm: "ed25519", keyId: expect.stringMatching(/^ed25519:[0-9a-f]{16}$/) });
    await expect(responder.engine.verifyPlan(plan)).resolves.toBeUndefined();
    const keyFile = responder.config.planKeyFile!;
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const pem = readFileSync(keyFile, "utf8");
    const secretLine = pem.split("\n")[1]!;
    const everything = JSON.stringify({ incident: await responder.store.getIncident(incidentId), journal: await responder.store.journal(incidentId) });
    expect(everything).not.toContain(secretLine);
  });

  it("refuses an approval when the stored plan row was edited: 409, nothing decided, nothing written", async () => {
    const before = writes();
    // Someone with access to the database widens a step the approver is about to approve.
    const db = new Database(dbPath());
    try {
      const row = db.prepare("SELECT plan FROM incidents WHERE id = ?").get(incidentId) as { plan: string };
      const plan = JSON.parse(row.plan) as RemediationPlan;
      const step = plan.steps.find((candidate) => candidate.id === "s05-restrict-permissions")!;
      step.requiresApproval = false;
      // The id is content-derived and anyone can recompute it (a name, not a seal): only the signature catches this.
      const { id: _id, signature: _signature, ...content } = plan;
      const renamed = { ...plan, id: `kwp_${createHash("sha256").update(canonicalJson(content)).digest("hex").slice(0, 32)}` };
      db.prepare("UPDATE incidents SET plan = ? WHERE id = ?").run(JSON.stringify(renamed), incidentId);
    } finally {
      db.close();
    }
    const response = await responder.app.inject({ method: "POST", url: `/incidents/${incidentId}/steps/s05-restrict-permissions/approve`, headers: admin, payload: { reason: "looks fine" } });
    expect(response.statusCode).toBe(409);
    expect(response.json<{ error: string }>().error).toContain("KW_REMEDIATION_E0023");
    expect(await stepStatus("s05-restrict-permissions")).toBe("pending-approval");
    expect((await responder.store.getIncident(incidentId))!.steps.find((step) => step.id === "s05-restrict-permissions")!.decision).toBeUndefined();
    expect((await responder.store.journal(incidentId)).some((entry) => entry.event === "approved" && entry.stepId === "s05-restrict-permissions")).toBe(false);
    expect((await responder.metrics.approvalsRefused.get()).values.find((value) => value.labels["reason"] === "plan-signature")?.value).toBe(1);
    expect(writes()).toBe(before);
  });

  it("refuses to apply the edited plan when the worker runs it: the incident fails with the signature error, nothing written", async () => {
    const before = writes();
    const journalLength = (await responder.store.journal(incidentId)).length;
    await responder.store.enqueue(incidentId, "process", Date.now());
    const failed = await eventually(async () => {
      const incident = await responder.store.getIncident(incidentId);
      return incident?.state === "failed" ? incident : undefined;
    }, 30_000, "failed");
    expect(failed.error?.code).toBe("KW_REMEDIATION_E0023");
    expect(writes()).toBe(before);
    expect(await responder.store.journal(incidentId)).toHaveLength(journalLength);
  });
});
