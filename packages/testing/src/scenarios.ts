import deniedProbingSuspiciousIp from "../scenarios/denied-probing-suspicious-ip.json" with { type: "json" };
import directoryRoleUser from "../scenarios/directory-role-user.json" with { type: "json" };
import policyChangeThenReads from "../scenarios/policy-change-then-reads.json" with { type: "json" };
import torSecretReads from "../scenarios/tor-secret-reads.json" with { type: "json" };
import unusualApp from "../scenarios/unusual-app.json" with { type: "json" };
import { FakeAzureError } from "./errors/fake-azure-error.js";
import type { FakeAzureSeed } from "./seed/seed-types.js";

/** The ready-made tenants (`scenarios/*.json` in the package). */
export const SCENARIO_NAMES = ["tor-secret-reads", "unusual-app", "denied-probing-suspicious-ip", "directory-role-user", "policy-change-then-reads"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

const SCENARIOS: Record<ScenarioName, unknown> = {
  "tor-secret-reads": torSecretReads,
  "unusual-app": unusualApp,
  "denied-probing-suspicious-ip": deniedProbingSuspiciousIp,
  "directory-role-user": directoryRoleUser,
  "policy-change-then-reads": policyChangeThenReads,
};

export interface ScenarioInfo {
  name: ScenarioName;
  description: string;
}

/** Names and one-line descriptions of the ready-made scenarios. */
export function listScenarios(): ScenarioInfo[] {
  return SCENARIO_NAMES.map((name) => ({ name, description: (SCENARIOS[name] as FakeAzureSeed).description ?? "" }));
}

/**
 * A scenario's seed (a fresh copy: mutate it freely), to pass to `createFakeAzure({ seed })`. Unknown names throw
 * with the list of known ones.
 */
export function getScenario(name: ScenarioName | (string & {})): FakeAzureSeed {
  if (!(SCENARIO_NAMES as readonly string[]).includes(name)) {
    throw new FakeAzureError("KW_TESTING_E0002", `Unknown scenario '${name}'. Known scenarios: ${SCENARIO_NAMES.join(", ")}.`);
  }
  const { $schema: _schema, ...seed } = structuredClone(SCENARIOS[name as ScenarioName]) as FakeAzureSeed;
  return seed;
}
