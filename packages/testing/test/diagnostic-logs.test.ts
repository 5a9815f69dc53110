import { SecretClient } from "@azure/keyvault-secrets";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { describe, expect, it } from "vitest";
import { keyVaultOperationName } from "../src/diagnostics/key-vault-operation-name.js";
import { getScenario } from "../src/index.js";
import { useFakeAzure } from "../src/vitest.js";
import { retryOptions } from "./fixtures/sdk-options.js";

const azure = useFakeAzure({ seed: getScenario("tor-secret-reads"), diagnosticLogs: true });
const workspace = () => [...azure.state.workspaces.values()][0]!;

describe("diagnostic logs written by the data plane", () => {
  it("records each request as an AZKVAuditLogs row stamped by the tenant clock, without the secret's value", async () => {
    const before = workspace().tables.get("AZKVAuditLogs")!.rows.length;
    azure.clock.set("2026-01-15T13:00:00.000Z");
    const client = new SecretClient("https://kv-payments-prod.vault.azure.net", azure.credential, { retryOptions });
    const secret = await client.getSecret("jwt-signing-key");
    await azure.settled();
    const rows = workspace().tables.get("AZKVAuditLogs")!.rows.slice(before);
    expect(rows.map((r) => [r["OperationName"], r["HttpStatusCode"]])).toEqual([
      ["Authentication", 401],
      ["SecretGet", 200],
    ]);
    const get = rows[1]!;
    expect(get).toMatchObject({
      TimeGenerated: "2026-01-15T13:00:00.000Z",
      Id: secret.properties.id,
      CallerIpAddress: "203.0.113.10",
      ResultSignature: "OK",
      _ResourceId: expect.stringContaining("/providers/microsoft.keyvault/vaults/kv-payments-prod"),
      Identity: { claim: expect.objectContaining({ oid: azure.context.identity().objectId }) },
    });
    expect(JSON.stringify(rows)).not.toContain(secret.value!);
  });

  it("makes the new rows visible to Log Analytics queries", async () => {
    const client = new SecretClient("https://kv-payments-prod.vault.azure.net", azure.credential, { retryOptions });
    await client.getSecret("unused-legacy-token");
    await azure.settled();
    azure.clock.advance(60_000); // the query comes a minute later (the query API's end time is exclusive)
    const logs = new LogsQueryClient(azure.credential, { retryOptions });
    const result = await logs.queryWorkspace(
      workspace().resource.properties.customerId,
      `AZKVAuditLogs | where OperationName == "SecretGet" and Id contains "unused-legacy-token" | summarize count()`,
      { duration: "P7D" },
    );
    expect(result.status).toBe("Success");
    expect("tables" in result && result.tables[0]?.rows).toEqual([[1]]);
  });
});

describe("keyVaultOperationName", () => {
  it.each([
    ["GET", "/secrets/db/", "SecretGet"],
    ["GET", "/secrets/db/0123", "SecretGet"],
    ["GET", "/secrets", "SecretList"],
    ["GET", "/secrets/db/versions", "SecretListVersions"],
    ["PUT", "/secrets/db", "SecretSet"],
    ["PATCH", "/secrets/db/0123", "SecretUpdate"],
    ["DELETE", "/secrets/db", "SecretDelete"],
    ["GET", "/deletedsecrets/db", "SecretGetDeleted"],
    ["POST", "/deletedsecrets/db/recover", "SecretRecover"],
    ["DELETE", "/deletedsecrets/db", "SecretPurge"],
    ["POST", "/keys/k/rotate", "KeyRotate"],
    ["POST", "/keys/k/create", "KeyCreate"],
    ["GET", "/certificates/c/policy", "CertificatePolicyGet"],
  ])("%s %s -> %s", (method, path, name) => {
    expect(keyVaultOperationName(method, path, true)).toBe(name);
  });

  it("names the unauthenticated challenge leg Authentication", () => {
    expect(keyVaultOperationName("GET", "/secrets/db/", false)).toBe("Authentication");
  });
});
