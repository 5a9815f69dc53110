import { DefenderAlertsClient } from "@keywarden/alerts";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { alertStateClientFrom, ConsoleNotifier, RemediationCodes, WebhookNotifier, type NotificationTask } from "../src/index.js";
import { applyFast, buildPlan, common, executorsFor } from "./support/harness.js";
import { ALERT_ID, ALERT_NAME, ATTACKER, remediationSeed, SUB } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });

const contactPlan = () =>
  buildPlan([
    {
      kind: "contact-owner",
      target: { principal: { objectId: ATTACKER, type: "user" } },
      parameters: {
        recipients: ["owner@contoso.example"],
        subject: "Confirm access to kv-prod",
        message: "Was this you?",
        evidence: { ipAddress: "185.220.101.1", operations: ["SecretGet"] },
      },
      ...common,
      risk: "safe",
      reversible: false,
    },
  ]);

describe("revoke-sessions through Microsoft Graph", () => {
  it("fails verification when Graph accepts the revocation but the valid-from time did not move forward", async () => {
    const user = tenant.state.directory.users.get(ATTACKER);
    expect(user).toBeDefined();
    if (user !== undefined) user.signInSessionsValidFromDateTime = "2026-01-01T00:00:00Z";
    // Graph answers "true" but revokes nothing: the timestamp stays where it was.
    tenant.server.use(http.post("https://graph.microsoft.com/v1.0/users/:id/revokeSignInSessions", () => HttpResponse.json({ value: true })));
    try {
      const plan = buildPlan([
        { kind: "revoke-sessions", target: { principal: { objectId: ATTACKER, type: "user" } }, parameters: {}, ...common, reversible: false },
      ]);
      const { result } = await applyFast(tenant, plan);
      expect(result.status).toBe("failed");
      expect(result.steps[0]?.error?.code).toBe(RemediationCodes.notVerified);
      expect(tenant.state.directory.users.get(ATTACKER)?.signInSessionsValidFromDateTime).toBe("2026-01-01T00:00:00Z");
    } finally {
      tenant.server.resetHandlers();
      tenant.reset();
    }
  });

  it("revokes the user's sessions and verifies the new valid-from time", async () => {
    const plan = buildPlan([
      { kind: "revoke-sessions", target: { principal: { objectId: ATTACKER, type: "user" } }, parameters: {}, ...common, reversible: false },
    ]);
    const { result, entries } = await applyFast(tenant, plan);
    expect(result.status).toBe("completed");
    expect(tenant.state.directory.users.get(ATTACKER)?.signInSessionsValidFromDateTime).toBeTruthy();
    expect(entries.find((entry) => entry.event === "succeeded")?.after).toEqual({
      signInSessionsValidFrom: tenant.state.directory.users.get(ATTACKER)?.signInSessionsValidFromDateTime,
    });
  });

  it("refuses a service principal with a clear message", async () => {
    const plan = buildPlan([
      { kind: "revoke-sessions", target: { principal: { objectId: ATTACKER, type: "service-principal" } }, parameters: {}, ...common, reversible: false },
    ]);
    const { result } = await applyFast(tenant, plan);
    expect(result.steps[0]?.error?.message).toContain("applies to users");
  });
});

describe("contact-owner and escalate-to-admin", () => {
  it("delivers one task per step, with a stable id, through the notifier", async () => {
    const harness = executorsFor(tenant);
    const plan = contactPlan();
    const { result } = await applyFast(tenant, plan, undefined, {}, harness);
    expect(result.status).toBe("completed");
    expect(harness.notifier.tasks).toEqual([
      expect.objectContaining({ id: `${plan.id}/s01-contact-owner`, recipients: ["owner@contoso.example"], subject: "Confirm access to kv-prod", alertIds: plan.basedOn.alertIds }),
    ]);
  });

  it("posts to a webhook with an idempotency key and retries a 503", async () => {
    const received: { key: string | null; body: NotificationTask }[] = [];
    let failures = 1;
    tenant.server.use(
      http.post("https://hooks.example.com/keywarden", async ({ request }) => {
        if (failures-- > 0) return new HttpResponse(null, { status: 503, headers: { "retry-after": "0" } });
        received.push({ key: request.headers.get("idempotency-key"), body: (await request.json()) as NotificationTask });
        return new HttpResponse(null, { status: 202, headers: { "x-request-id": "hook-1" } });
      }),
    );
    const harness = executorsFor(tenant, { notifier: new WebhookNotifier({ url: "https://hooks.example.com/keywarden" }) });
    const plan = contactPlan();
    const { result, entries } = await applyFast(tenant, plan, undefined, {}, harness);
    expect(result.status).toBe("completed");
    expect(result.steps[0]?.retries).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0]?.key).toBe(`${plan.id}/s01-contact-owner`);
    expect(received[0]?.body.evidence).toEqual({ ipAddress: "185.220.101.1", operations: ["SecretGet"] });
    expect(entries.find((entry) => entry.event === "succeeded")?.after).toEqual({ delivered: true, channel: "webhook", deliveryId: "hook-1" });
  });

  it("prints tasks as text or as JSON lines", async () => {
    const lines: string[] = [];
    const text = new ConsoleNotifier({ write: (line) => lines.push(line) });
    const json = new ConsoleNotifier({ format: "json", write: (line) => lines.push(line) });
    const task: NotificationTask = {
      id: "p/s1",
      kind: "escalate-to-admin",
      planId: "p",
      alertIds: ["a"],
      recipients: ["admins"],
      subject: "Review roles",
      message: "Global Administrator held",
      evidence: { role: "Global Administrator" },
    };
    await text.notify(task);
    await json.notify(task);
    expect(lines[0]).toContain("[escalate-to-admin] Review roles");
    expect(JSON.parse(lines[1] ?? "")).toMatchObject({ type: "keywarden.task", id: "p/s1" });
  });
});

describe("update-alert-state through @keywarden/alerts", () => {
  it("moves the alert to InProgress at the start and Resolved at the end", async () => {
    const alerts = alertStateClientFrom(new DefenderAlertsClient(tenant.credential, { retryOptions: { maxRetries: 0 } }));
    const target = { alert: { id: ALERT_ID, systemAlertId: ALERT_NAME, subscriptionId: SUB } };
    const plan = buildPlan([
      { kind: "update-alert-state", target, parameters: { state: "InProgress" }, ...common, risk: "safe" },
      { kind: "update-alert-state", target, parameters: { state: "Resolved" }, ...common, risk: "safe" },
    ]);
    const harness = executorsFor(tenant, { alerts });
    const { result, entries } = await applyFast(tenant, plan, undefined, {}, harness);
    expect(result.status).toBe("completed");
    expect(entries.filter((entry) => entry.event === "succeeded").map((entry) => entry.after)).toEqual([{ state: "InProgress" }, { state: "Resolved" }]);
    expect(await alerts.getAlertState(ALERT_ID)).toBe("Resolved");

    // The same finished plan applied again with a NEW journal: the alert is never reopened (no Resolved -> InProgress).
    const writesBefore = tenant.calls.all().filter((call) => call.method.toUpperCase() === "POST" && call.status !== 401).length;
    const again = await applyFast(tenant, plan, undefined, {}, harness);
    expect(again.result.status).toBe("completed");
    expect(again.result.steps.map((step) => step.status)).toEqual(["already-done", "already-done"]);
    expect(again.result.steps[0]?.warnings.map((warning) => warning.code)).toContain(RemediationCodes.alertAlreadyClosed);
    expect(tenant.calls.all().filter((call) => call.method.toUpperCase() === "POST" && call.status !== 401).length).toBe(writesBefore);
    expect(await alerts.getAlertState(ALERT_ID)).toBe("Resolved");
  });
});
