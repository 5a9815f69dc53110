import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { allKinds, startResponderProcess, startSharedTenant, type ResponderProcess } from "./helpers/processes.js";
import { admin, eventually, firstAlertJson, signedHeaders } from "./helpers/responder.js";

interface IncidentJson {
  state: string;
  steps: Array<{ id: string; status: string }>;
}

describe("restart safety: kill -9 in the middle of an apply, start again, resume, nothing twice", () => {
  let shared: Awaited<ReturnType<typeof startSharedTenant>>;
  let dir: string;
  const processes: ResponderProcess[] = [];

  beforeAll(async () => {
    shared = await startSharedTenant();
    dir = mkdtempSync(join(tmpdir(), "kw-restart-"));
  });
  afterAll(async () => {
    for (const child of processes) await child.kill();
    await shared.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("resumes the plan from the journal after kill -9 and applies every step once", async () => {
    const env = { KEYWARDEN_RESPONDER_STORE: `sqlite:${join(dir, "responder.db")}`, KEYWARDEN_RESPONDER_SANDBOX_TENANT_URL: shared.url, KEYWARDEN_RESPONDER_AUTO_APPROVE: allKinds };
    // The firewall write takes 3 s: the responder is killed while it is in flight.
    shared.tenant.faults.inject({ method: "PATCH", url: "https://management.azure.com/subscriptions/*/resourceGroups/*/providers/Microsoft.KeyVault/vaults/*", delayInMs: 3_000, times: 1 });
    const first = await startResponderProcess(env);
    processes.push(first);
    const body = JSON.stringify(firstAlertJson(shared.tenant));
    const posted = await fetch(`${first.url}/alerts`, { method: "POST", headers: signedHeaders(body), body });
    expect(posted.status).toBe(202);
    const { incidentId } = (await posted.json()) as { incidentId: string };
    const get = async (url: string) => (await (await fetch(`${url}/incidents/${incidentId}`, { headers: admin })).json()) as IncidentJson;
    await eventually(async () => ((await get(first.url)).steps.find((s) => s.id === "s03-enable-firewall")?.status === "running" ? true : undefined), 60_000, "firewall step running");
    await first.kill("SIGKILL");

    const second = await startResponderProcess(env);
    processes.push(second);
    const done = await eventually(async () => {
      const incident = await get(second.url);
      // Revoking sessions and rotating always need a person, whatever auto-approval says: approve them as one would.
      for (const step of incident.steps.filter((candidate) => candidate.status === "pending-approval")) {
        await fetch(`${second.url}/incidents/${incidentId}/steps/${step.id}/approve`, {
          method: "POST",
          headers: { ...admin, "content-type": "application/json" },
          body: JSON.stringify({ reason: "restart test: approved after the restart" }),
        });
      }
      return incident.state === "resolved" || incident.state === "failed" ? incident : undefined;
    }, 90_000, `resolved after restart\n${second.output()}`);
    expect(done.state, second.output()).toBe("resolved");
    expect(done.steps.every((step) => step.status === "applied" || step.status === "skipped")).toBe(true);

    const journal = ((await (await fetch(`${second.url}/incidents/${incidentId}/journal`, { headers: admin })).json()) as { entries: Array<{ stepId: string; event: string; code: string }> }).entries;
    // The interrupted step was started once by the killed process and finished (verified in place) by the new one.
    const firewall = journal.filter((entry) => entry.stepId === "s03-enable-firewall");
    expect(firewall.filter((entry) => entry.event === "started").length).toBeGreaterThanOrEqual(1);
    for (const stepId of new Set(journal.map((entry) => entry.stepId).filter((id) => id !== ""))) {
      expect(journal.filter((entry) => entry.stepId === stepId && entry.event === "succeeded").length, stepId).toBeLessThanOrEqual(1);
    }
    // The fake's call log: irreversible writes happened once.
    expect(shared.tenant.calls.filter({ method: "POST", url: /revokeSignInSessions/ })).toHaveLength(1);
    const vault = [...shared.tenant.state.vaults.values()][0]!;
    expect(vault.resource.properties.networkAcls?.defaultAction).toBe("Deny");
    for (const secret of vault.secrets.values()) {
      const rotated = secret.versions.filter((version) => version.tags?.["keywarden-rotation"] !== undefined);
      expect(rotated.length, secret.name).toBeLessThanOrEqual(1);
    }
    expect([...vault.secrets.values()].some((secret) => secret.versions.some((version) => version.tags?.["keywarden-rotation"] !== undefined))).toBe(true);
    expect([...shared.tenant.state.alerts.values()][0]!.properties?.status).toBe("Resolved");
  });
});
