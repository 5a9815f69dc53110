import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { captureAzureLogs, useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { GraphClient, logger, RemediationClients } from "../src/index.js";
import { packageVersion } from "../src/version.js";
import { ATTACKER, remediationSeed, SUB, VAULT } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed() });

/** Records the User-Agent of every request as it leaves the pipeline (after the SDK's user-agent policy). */
function userAgentRecorder(): { seen: string[]; additionalPolicies: { policy: PipelinePolicy; position: "perRetry" }[] } {
  const seen: string[] = [];
  const policy: PipelinePolicy = {
    name: "recordUserAgent",
    sendRequest(request, next) {
      seen.push(request.headers.get("user-agent") ?? "");
      return next(request);
    },
  };
  return { seen, additionalPolicies: [{ policy, position: "perRetry" }] };
}

describe("remediation clients identify themselves and log", () => {
  const { lines } = captureAzureLogs();

  it("sends keywarden-remediation/<version> after the caller's prefix from Graph, ARM and Key Vault clients, once each", async () => {
    const recorder = userAgentRecorder();
    const own = `keywarden-remediation/${packageVersion}`;
    const clients = new RemediationClients({
      credential: tenant.credential,
      clientOptions: { additionalPolicies: recorder.additionalPolicies, userAgentOptions: { userAgentPrefix: "my-soar/2" } },
    });
    await clients.graph().getSignInSessionsValidFrom(ATTACKER);
    await clients.keyVaultManagement(SUB).vaults.get("rg-prod", VAULT);
    for await (const secret of clients.secrets(`https://${VAULT}.vault.azure.net/`).listPropertiesOfSecrets()) void secret;
    expect(recorder.seen.length).toBeGreaterThanOrEqual(3);
    for (const agent of recorder.seen) {
      expect(agent.startsWith(`my-soar/2 ${own}`)).toBe(true);
      expect(agent.split(own).length).toBe(2);
    }
  });

  it("logs each Graph call at info and each decision at verbose under keywarden-remediation", async () => {
    await new GraphClient(tenant.credential).revokeSignInSessions(ATTACKER);
    expect(logger.info.namespace).toBe("azure:keywarden-remediation:info");
    expect(lines.some((line) => line.startsWith("azure:keywarden-remediation:info") && line.includes(`POST /v1.0/users/${ATTACKER}/revokeSignInSessions`))).toBe(true);
    expect(lines.some((line) => line.startsWith("azure:keywarden-remediation:verbose") && line.includes(`sign-in sessions of ${ATTACKER}`))).toBe(true);
  });
});
