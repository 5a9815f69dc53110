import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { admin, eventually, firstAlertJson, signedHeaders, signIn, startTestResponder, type TestResponder } from "./helpers/responder.js";

const ravi = "2042c8a7-76cc-4e41-879a-efcf7bd1b0b4";

interface StepJson {
  id: string;
  kind: string;
  status: string;
  requiresApproval: boolean;
}
interface IncidentJson {
  id: string;
  alertId: string;
  state: string;
  steps: StepJson[];
}

describe("end to end on the sandbox tenant: push, auto-apply, approve, apply, verify, roll back", () => {
  let responder: TestResponder;
  let incidentId: string;
  const get = async (id = incidentId) => (await responder.app.inject({ method: "GET", url: `/incidents/${id}`, headers: admin })).json<IncidentJson>();
  const stepStatus = async (stepId: string) => (await get()).steps.find((step) => step.id === stepId)?.status;
  const vault = () => [...responder.tenant.state.vaults.values()][0]!;
  const alertStatus = () => [...responder.tenant.state.alerts.values()][0]!.properties?.status;

  beforeAll(async () => {
    responder = await startTestResponder();
  });
  afterAll(async () => {
    await responder.cleanup();
  });

  it("POST /alerts → incident; safe steps applied automatically; the others wait for people", async () => {
    const body = JSON.stringify(firstAlertJson(responder.tenant));
    const response = await responder.app.inject({ method: "POST", url: "/alerts", headers: signedHeaders(body), payload: body });
    expect(response.statusCode).toBe(202);
    incidentId = response.json().incidentId;
    const incident = await eventually(async () => {
      const current = await get();
      return current.state === "awaiting-approval" ? current : undefined;
    }, 60_000, "awaiting-approval");
    // Contract shape.
    expect(Object.keys(incident)).toEqual(expect.arrayContaining(["id", "alertId", "state", "steps"]));
    for (const step of incident.steps) expect(Object.keys(step)).toEqual(expect.arrayContaining(["id", "kind", "status", "requiresApproval"]));
    const statuses = Object.fromEntries(incident.steps.map((step) => [step.id, step.status]));
    expect(statuses).toMatchObject({
      "s01-update-alert-state": "applied",
      "s02-contact-owner": "applied",
      "s03-enable-firewall": "pending-approval",
      "s04-revoke-sessions": "pending-approval",
      "s05-restrict-permissions": "pending-approval",
      "s08-update-alert-state": "planned",
    });
    expect(incident.steps.filter((step) => step.status === "pending-approval").every((step) => step.requiresApproval)).toBe(true);
    // The alert went In progress through the alerts client; nothing needing approval was written.
    expect(alertStatus()).toBe("InProgress");
    expect(vault().resource.properties.networkAcls?.defaultAction ?? "Allow").toBe("Allow");
    expect(responder.tenant.calls.filter({ method: "PATCH" })).toHaveLength(0);
    const pushed = await responder.store.getIncident(incidentId);
    expect(pushed?.differences).toEqual([]);
    // A step waiting for a person is journaled as waiting, never as a denial.
    const journal = await responder.store.journal(incidentId);
    expect(journal.filter((entry) => entry.event === "denied")).toEqual([]);
    const waiting = new Set(journal.filter((entry) => entry.event === "awaiting-approval").map((entry) => entry.stepId));
    expect(waiting).toEqual(new Set(incident.steps.filter((step) => step.status === "pending-approval").map((step) => step.id)));
    expect(journal.find((entry) => entry.event === "awaiting-approval")).toMatchObject({ code: "KW_REMEDIATION_I0008" });
  });

  it("refuses approvals without a session, with the wrong role, without CSRF, and from the suspected user", async () => {
    const url = `/incidents/${incidentId}/steps/s04-revoke-sessions/approve`;
    const refused = async (reason: string) => (await responder.metrics.approvalsRefused.get()).values.find((v) => v.labels["reason"] === reason)?.value ?? 0;

    expect((await responder.app.inject({ method: "POST", url, payload: { reason: "x" } })).statusCode).toBe(401);
    expect((await responder.app.inject({ method: "POST", url, headers: { authorization: "Bearer wrong-token-000000000000" }, payload: { reason: "x" } })).statusCode).toBe(401);
    expect(await refused("no-session")).toBe(2);

    const viewer = await signIn(responder.app, "victor", "sandbox-victor");
    expect((await responder.app.inject({ method: "POST", url, cookies: viewer.cookies, headers: { "x-csrf-token": viewer.csrf }, payload: { reason: "x" } })).statusCode).toBe(403);
    expect(await refused("role")).toBe(1);

    const alice = await signIn(responder.app, "alice", "sandbox-alice");
    const noCsrf = await responder.app.inject({ method: "POST", url, cookies: alice.cookies, payload: { reason: "x" } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error).toContain("CSRF");
    expect(await refused("csrf")).toBe(1);

    // Ravi is the principal the steps act against: he can neither lift nor approve his own containment.
    const suspect = await signIn(responder.app, "ravi", "sandbox-ravi");
    for (const action of ["approve", "reject"]) {
      const self = await responder.app.inject({ method: "POST", url: `/incidents/${incidentId}/steps/s04-revoke-sessions/${action}`, cookies: suspect.cookies, headers: { "x-csrf-token": suspect.csrf }, payload: { reason: "it was me" } });
      expect(self.statusCode).toBe(403);
      expect(self.json().error).toContain("target principal");
    }
    expect(await refused("self")).toBe(2);
    expect(await stepStatus("s04-revoke-sessions")).toBe("pending-approval");
    expect(responder.tenant.state.directory.users.get(ravi)?.signInSessionsValidFromDateTime ?? null).toBeNull();
  });

  it("approves a step once: 202, the second approval is 409, the step is applied once and verified in the tenant", async () => {
    const alice = await signIn(responder.app, "alice", "sandbox-alice");
    const url = `/incidents/${incidentId}/steps/s05-restrict-permissions/approve`;
    const first = await responder.app.inject({ method: "POST", url, cookies: alice.cookies, headers: { "x-csrf-token": alice.csrf }, payload: { reason: "confirmed with the owner" } });
    expect(first.statusCode).toBe(202);
    const second = await responder.app.inject({ method: "POST", url, headers: admin, payload: { reason: "again" } });
    expect(second.statusCode).toBe(409);
    await eventually(async () => ((await stepStatus("s05-restrict-permissions")) === "applied" ? true : undefined), 30_000, "s05 applied");
    const entry = vault().resource.properties.accessPolicies?.find((policy) => policy.objectId === ravi);
    expect(entry?.permissions.secrets ?? []).not.toContain("Get");
    expect(entry?.permissions.secrets ?? []).not.toContain("List");
    const journal = await responder.store.journal(incidentId);
    const approval = journal.find((e) => e.event === "approved" && e.stepId === "s05-restrict-permissions");
    expect(approval?.data).toMatchObject({ by: "Alice (on-call approver) <local:alice>", comment: "confirmed with the owner" });
    expect(journal.filter((e) => e.event === "succeeded" && e.stepId === "s05-restrict-permissions")).toHaveLength(1);
    // Still waiting for the others; approving an applied step is 409 too.
    expect((await get()).state).toBe("awaiting-approval");
    expect((await responder.app.inject({ method: "POST", url, headers: admin, payload: {} })).statusCode).toBe(409);
    expect((await responder.app.inject({ method: "POST", url: `/incidents/${incidentId}/steps/s01-update-alert-state/approve`, headers: admin, payload: {} })).statusCode).toBe(409);
    expect((await responder.app.inject({ method: "POST", url: `/incidents/${incidentId}/steps/s99-nothing/approve`, headers: admin, payload: {} })).statusCode).toBe(404);
    expect((await responder.app.inject({ method: "POST", url: `/incidents/inc_missing/steps/s05-restrict-permissions/approve`, headers: admin, payload: {} })).statusCode).toBe(404);
  });

  it("rejects with a reason (400 without one); a rejected step is never applied and cannot be approved", async () => {
    const url = `/incidents/${incidentId}/steps/s06-rotate-secrets/reject`;
    expect((await responder.app.inject({ method: "POST", url, headers: admin, payload: {} })).statusCode).toBe(400);
    expect((await responder.app.inject({ method: "POST", url, headers: admin, payload: { reason: "rotate at the source instead" } })).statusCode).toBe(202);
    expect(await stepStatus("s06-rotate-secrets")).toBe("rejected");
    expect((await responder.app.inject({ method: "POST", url: url.replace("reject", "approve"), headers: admin, payload: {} })).statusCode).toBe(409);
    expect((await responder.app.inject({ method: "POST", url, headers: admin, payload: { reason: "twice" } })).statusCode).toBe(409);
  });

  it("applies the rest once approved; the incident resolves and the alert is Resolved in Defender", async () => {
    for (const step of ["s03-enable-firewall", "s04-revoke-sessions", "s07-disable-secrets"]) {
      const response = await responder.app.inject({ method: "POST", url: `/incidents/${incidentId}/steps/${step}/approve`, headers: admin, payload: { reason: "contain" } });
      expect(response.statusCode, step).toBe(202);
    }
    const done = await eventually(async () => {
      const current = await get();
      return current.state === "resolved" || current.state === "failed" ? current : undefined;
    }, 60_000, "resolved");
    expect(done.state).toBe("resolved");
    expect(Object.fromEntries(done.steps.map((step) => [step.id, step.status]))).toMatchObject({
      "s03-enable-firewall": "applied",
      "s04-revoke-sessions": "applied",
      "s06-rotate-secrets": "rejected",
      "s07-disable-secrets": "applied",
    });
    expect(vault().resource.properties.networkAcls?.defaultAction).toBe("Deny");
    expect(responder.tenant.state.directory.users.get(ravi)?.signInSessionsValidFromDateTime).toBeTruthy();
    // The engine never resolves the alert while a step was rejected: it stays In progress for a person to close.
    expect(alertStatus()).toBe("InProgress");
    // Each write happened once, although the plan was applied in several passes.
    const journal = await responder.store.journal(incidentId);
    for (const step of ["s01-update-alert-state", "s02-contact-owner", "s03-enable-firewall", "s04-revoke-sessions", "s05-restrict-permissions", "s07-disable-secrets"]) {
      expect(journal.filter((e) => e.stepId === step && e.event === "succeeded"), step).toHaveLength(1);
    }
    expect(responder.tenant.calls.filter({ method: "POST", url: /revokeSignInSessions/ })).toHaveLength(1);
    expect(journal.some((e) => e.stepId === "s06-rotate-secrets" && e.event === "succeeded")).toBe(false);
  });

  it("rolls back what was applied (admin only)", async () => {
    const alice = await signIn(responder.app, "alice", "sandbox-alice");
    expect((await responder.app.inject({ method: "POST", url: `/incidents/${incidentId}/rollback`, cookies: alice.cookies, headers: { "x-csrf-token": alice.csrf }, payload: { reason: "x" } })).statusCode).toBe(403);
    const response = await responder.app.inject({ method: "POST", url: `/incidents/${incidentId}/rollback`, headers: admin, payload: { reason: "false positive" } });
    expect(response.statusCode).toBe(202);
    expect((await responder.app.inject({ method: "POST", url: `/incidents/${incidentId}/rollback`, headers: admin, payload: {} })).statusCode).toBe(409);
    const rollback = await eventually(async () => {
      const record = await responder.store.getIncident(incidentId);
      return record?.rollback?.status === "completed" || record?.rollback?.status === "incomplete" || record?.rollback?.status === "failed" ? record.rollback : undefined;
    }, 60_000, "rollback");
    expect(rollback.status).not.toBe("failed");
    expect(vault().resource.properties.networkAcls?.defaultAction).toBe("Allow");
  });

  it("lists incidents with filters, serves the journal, health and readiness", async () => {
    const list = (await responder.app.inject({ method: "GET", url: "/incidents?state=resolved", headers: admin })).json();
    expect(list.incidents.map((i: { id: string }) => i.id)).toEqual([incidentId]);
    expect((await responder.app.inject({ method: "GET", url: "/incidents?state=failed", headers: admin })).json().incidents).toEqual([]);
    expect((await responder.app.inject({ method: "GET", url: "/incidents?state=bogus", headers: admin })).statusCode).toBe(400);
    expect((await responder.app.inject({ method: "GET", url: "/incidents" })).statusCode).toBe(401);
    expect((await responder.app.inject({ method: "GET", url: `/incidents/${incidentId}/journal`, headers: admin })).json().entries.length).toBeGreaterThan(10);
    expect((await responder.app.inject({ method: "GET", url: "/incidents/inc_nope", headers: admin })).statusCode).toBe(404);
    expect((await responder.app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await responder.app.inject({ method: "GET", url: "/readyz" })).json()).toMatchObject({ status: "ready", store: "sqlite" });
    const metrics = (await responder.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toMatch(/keywarden_responder_steps_total\{outcome="applied"\} [1-9]/);
    expect(metrics).toMatch(/keywarden_responder_apply_duration_seconds_count\{result="incomplete"\} [1-9]/);
    expect(metrics).toContain("keywarden_responder_steps_awaiting_approval 0");
  });
});
