import { describe, expect, it } from "vitest";
import { InMemoryDefenderAlerts, parseAlert, parseAlerts, type DefenderAlertsApi } from "../src/index.js";
import { fixture, fixtureText } from "./load-fixture.js";

const simulated = parseAlerts(fixtureText("kv-simulated-alerts.xsoar-excerpt.json"));
const real = parseAlert(fixture("cross-channel/arm.json"));
const vm = parseAlert(fixture("GetAlertSubscriptionLocation_example.json").responses["200"].body);

describe("InMemoryDefenderAlerts", () => {
  it("filters like the Azure client: Key Vault only, simulated opt-in, per subscription, paged", async () => {
    const api: DefenderAlertsApi = new InMemoryDefenderAlerts([...simulated, real, vm], 2);
    const ids = async (query: Parameters<DefenderAlertsApi["listAlerts"]>[0]): Promise<string[]> => {
      const out: string[] = [];
      for await (const alert of api.listAlerts(query)) out.push(alert.alertType);
      return out;
    };
    expect(await ids({ subscriptionIds: ["0f907ea4-bc8b-4c11-9d7e-805c2fd144fb", "6b1f1a3c-2d4e-4f5a-8b9c-0d1e2f3a4b5c"] })).toEqual(["KV_SuspiciousIPAccess"]);
    expect(await ids({ subscriptionIds: ["0f907ea4-bc8b-4c11-9d7e-805c2fd144fb"], includeSimulated: true, kinds: ["KV_TORAccess", "KV_PutGetAnomaly"] })).toEqual([
      "SIMULATED_KV_PutGetAnomaly",
      "SIMULATED_KV_TORAccess",
    ]);
    const pages: number[] = [];
    for await (const page of api.listAlerts({ subscriptionIds: ["0f907ea4-bc8b-4c11-9d7e-805c2fd144fb"], includeSimulated: true }).byPage()) pages.push(page.length);
    expect(pages).toEqual([2, 2, 1]);
  });

  it("changes status idempotently and records what it posted", async () => {
    const api = new InMemoryDefenderAlerts([real]);
    expect(await api.updateAlertState(real.id, "dismiss")).toMatchObject({ outcome: "updated", previousStatus: "Active", status: "Dismissed" });
    expect(await api.updateAlertState([real, real.id.toUpperCase()], "dismiss")).toMatchObject([{ outcome: "skipped" }, { outcome: "skipped" }]);
    expect(api.posted).toEqual([{ id: real.id, action: "dismiss" }]);
    expect((await api.getAlert(real.id)).status).toBe("Dismissed");
    expect(real.status).toBe("Active");
    await expect(api.getAlert(real.id.replace("alerts/", "alerts/x"))).rejects.toMatchObject({ status: 404 });
    expect(await api.updateAlertState(["not-an-id"], "resolve")).toMatchObject([{ outcome: "failed", error: { code: "KW_ALERTS_E0301" } }]);
    await api.simulateAlerts({ subscriptionId: "6b1f1a3c-2d4e-4f5a-8b9c-0d1e2f3a4b5c", location: "westeurope" });
    expect(api.simulations).toHaveLength(1);
  });

  it("stops on an aborted AbortSignalLike (core's OperationOptions), like the Azure client", async () => {
    const api = new InMemoryDefenderAlerts([real]);
    const abortSignal = { aborted: true, addEventListener: () => undefined, removeEventListener: () => undefined };
    await expect(api.getAlert(real.id, { abortSignal })).rejects.toMatchObject({ name: "AbortError" });
    await expect(api.updateAlertState(real.id, "dismiss", { abortSignal })).rejects.toMatchObject({ name: "AbortError" });
    expect(api.posted).toEqual([]);
  });
});
