import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { captureAzureLogs, useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { ArmPublicIpReader, ArmVaultInspector, AzureNetworkIntelligence, GraphDirectory, logger } from "../src/index.js";
import { packageVersion } from "../src/version.js";
import { SUBSCRIPTION } from "./support/build-alert.js";
import { AP_VAULT, providerSeed, USER_ID } from "./support/fake-tenant-seed.js";

const azure = useFakeAzure({ seed: providerSeed() });

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

describe("triage clients identify themselves, log and trace", () => {
  const { lines } = captureAzureLogs();

  it("sends keywarden-triage/<version> after the caller's own prefix, from Graph, ARM and the service tags client", async () => {
    const graph = userAgentRecorder();
    const arm = userAgentRecorder();
    const tags = userAgentRecorder();
    const own = `keywarden-triage/${packageVersion}`;
    await new GraphDirectory(azure.credential, { additionalPolicies: graph.additionalPolicies, userAgentOptions: { userAgentPrefix: "my-soar/2" } }).getDirectoryObject(USER_ID);
    await new ArmVaultInspector(azure.credential, { additionalPolicies: arm.additionalPolicies }).getVault(AP_VAULT);
    await new AzureNetworkIntelligence(azure.credential, { subscriptionId: SUBSCRIPTION, additionalPolicies: tags.additionalPolicies }).findServiceTags("20.50.1.1");
    expect(graph.seen.length).toBeGreaterThan(0);
    expect(graph.seen.every((agent) => agent.startsWith(`my-soar/2 ${own}`))).toBe(true);
    expect(arm.seen.length).toBeGreaterThan(0);
    expect(arm.seen.every((agent) => agent.startsWith(own))).toBe(true);
    expect(tags.seen.every((agent) => agent.startsWith(own))).toBe(true);
  });

  it("the public IP reader sends keywarden-triage/<version> and logs its listing at info", async () => {
    const recorder = userAgentRecorder();
    await new ArmPublicIpReader(azure.credential, { additionalPolicies: recorder.additionalPolicies, userAgentOptions: { userAgentPrefix: "my-soar/2" } }).listPublicIps(SUBSCRIPTION);
    expect(recorder.seen.length).toBeGreaterThan(0);
    expect(recorder.seen.every((agent) => agent.startsWith(`my-soar/2 keywarden-triage/${packageVersion}`))).toBe(true);
    expect(lines.some((line) => line.startsWith("azure:keywarden-triage:info") && line.includes(`GET public IP addresses of subscription ${SUBSCRIPTION}`))).toBe(true);
  });

  it("the public IP reader refuses a subscription id that is not a GUID before any request", async () => {
    const before = azure.calls.length;
    await expect(new ArmPublicIpReader(azure.credential).listPublicIps("../../providers/x")).rejects.toThrow(/not a subscription id/);
    expect(azure.calls.length).toBe(before);
  });

  it("logs each Azure call at info under keywarden-triage", async () => {
    await new ArmVaultInspector(azure.credential).getVault(AP_VAULT);
    await new GraphDirectory(azure.credential).getDirectoryObject(USER_ID);
    expect(logger.info.namespace).toBe("azure:keywarden-triage:info");
    expect(lines.some((line) => line.startsWith("azure:keywarden-triage:info") && line.includes("GET vault kv-payments"))).toBe(true);
    expect(lines.some((line) => line.startsWith("azure:keywarden-triage:info") && line.includes(`/directoryObjects/${USER_ID}`))).toBe(true);
    expect(lines.some((line) => line.startsWith("azure:keywarden-triage:verbose") && line.includes(`directory object ${USER_ID}: found`))).toBe(true);
  });
});
