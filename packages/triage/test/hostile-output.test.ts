import { DefenderAlertsClient, type KeyVaultAlert } from "@keywarden/alerts";
import { forgedOutputProblems, getScenario, HOSTILE_TEXT, replaceStrings, SCENARIO_NAMES, type FakeAzureSeed } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArmVaultInspector, AzureNetworkIntelligence, formatTriageReport, GraphDirectory, triageAlerts, type TriageContext, type TriageReport } from "../src/index.js";
import { torFixture } from "./support/table-world.js";

const retryOptions = { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
const azure = useFakeAzure();
/** Every payload at once: whatever field the formatter forgot, one of them shows it. */
const HOSTILE = HOSTILE_TEXT.join(" · ");

async function triageSeed(seed: FakeAzureSeed): Promise<TriageReport> {
  azure.reset(seed);
  const subscriptionIds = (seed.subscriptions ?? []).map((s) => s.subscriptionId);
  const alerts: KeyVaultAlert[] = [];
  for await (const alert of new DefenderAlertsClient(azure.credential, { retryOptions }).listAlerts({ subscriptionIds })) alerts.push(alert);
  const context: TriageContext = {
    ...(seed.tenantId === undefined ? {} : { tenantId: seed.tenantId }),
    tenantAddressSpace: [{ range: "198.51.100.0/24", label: HOSTILE }],
    directory: new GraphDirectory(azure.credential, { retryOptions }),
    vaults: new ArmVaultInspector(azure.credential, { retryOptions }),
    network: new AzureNetworkIntelligence(azure.credential, { subscriptionId: subscriptionIds[0] ?? "", torExitList: { text: torFixture }, retryOptions }),
    now: () => azure.clock.date(),
  };
  const [report] = await triageAlerts(alerts, context);
  if (report === undefined) throw new Error("the scenario has no alert");
  return report;
}

/** The scenario with an attacker's text in the alert's names, entities and extended properties and in the directory. */
function hostileSeed(): FakeAzureSeed {
  const seed = structuredClone(getScenario("tor-secret-reads"));
  for (const alert of seed.alerts ?? []) {
    const properties = (alert as { properties: Record<string, unknown> & { extendedProperties?: Record<string, string>; entities?: Record<string, unknown>[] } }).properties;
    properties["alertDisplayName"] = `Access from a TOR exit node ${HOSTILE}`;
    properties["description"] = HOSTILE;
    Object.assign(properties.extendedProperties ?? {}, { "client Information": HOSTILE, "user Agent": HOSTILE, "alert Reasons": `[${HOSTILE}]` });
    for (const entity of properties.entities ?? []) {
      if (entity["type"] === "ip") entity["location"] = { countryCode: "US", countryName: HOSTILE, state: HOSTILE, city: HOSTILE };
      if (entity["type"] === "account") Object.assign(entity, { name: HOSTILE, upnSuffix: HOSTILE });
    }
  }
  for (const user of seed.directory?.users ?? []) Object.assign(user, { displayName: HOSTILE, jobTitle: HOSTILE });
  for (const vault of seed.vaults ?? []) vault.tags = { ...vault.tags, owner: HOSTILE, [HOSTILE]: HOSTILE };
  return seed;
}

describe("alert and tenant text cannot forge the triage report", () => {
  it("a hostile alert and directory go through formatTriageReport shown, never acting", async () => {
    const text = formatTriageReport(await triageSeed(hostileSeed()));
    expect(text).toContain("\\x1b[2J\\x1b[Hcleared");
    expect(forgedOutputProblems(text, "text")).toEqual([]);
  });

  it("any string of any shipped scenario's report, whatever it holds, is escaped (property)", async () => {
    const reports: TriageReport[] = [];
    for (const name of SCENARIO_NAMES) reports.push(await triageSeed(getScenario(name)));
    const payloads = fc.array(fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string({ unit: "binary" }), fc.constantFrom("constructor", "__proto__", "hasOwnProperty", "toString")), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.constantFrom(...reports), payloads, fc.boolean(), (report, chosen, evidence) => {
        let next = 0;
        // An action's kind picks its description (the report's schema fixes it); every other string is outside text.
        const hostile = replaceStrings(report, (text, path) => (path.at(-1) === "kind" ? text : (chosen[next++ % chosen.length] ?? text)));
        const text = formatTriageReport(hostile, { evidence });
        expect(forgedOutputProblems(text, "text"), text).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
