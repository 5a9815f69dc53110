import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDataPlaneHarness } from "./data-plane-harness.js";

/**
 * Replays the real Key Vault traffic recorded by the Azure SDK for JS test proxy (copied from
 * shared/azure-specs/keyvault/recordings/): the same requests, in order, at the recorded times on the fake's clock.
 * Each response must have the recorded status and the same fields, with the same values wherever the service's
 * values are not random (ids keep their shape and their version stays the one first handed out).
 */

interface RecordedEntry {
  RequestUri: string;
  RequestMethod: string;
  RequestHeaders: Record<string, string>;
  RequestBody: unknown;
  StatusCode: number;
  ResponseHeaders: Record<string, string>;
  ResponseBody: unknown;
}

const harness = createDataPlaneHarness();
const tenantId = harness.ctx.state.tenantId;
const RECORDED_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

beforeAll(() => harness.server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => expect(await harness.schemaCheckResults()).toEqual([]));
afterAll(() => {
  expect(harness.checkedBodies()).toBeGreaterThan(0);
  harness.server.close();
});

function loadRecording(file: string): RecordedEntry[] {
  const text = readFileSync(new URL(`./__fixtures__/recordings/${file}`, import.meta.url), "utf8");
  return (JSON.parse(text) as { Entries: RecordedEntry[] }).Entries;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const TIME_FIELDS = new Set(["created", "updated", "deletedDate", "scheduledPurgeDate"]);

/** Compares a fake response body with the recorded one, field by field. */
function compareBodies(actual: Json, recorded: Json, path: string, versions: Map<string, string>): void {
  if (recorded === null || typeof recorded !== "object") {
    const key = path.split(".").at(-1) ?? "";
    if (TIME_FIELDS.has(key)) {
      expect(typeof actual, path).toBe("number");
      expect(Math.abs((actual as number) - (recorded as number)), path).toBeLessThanOrEqual(1);
      return;
    }
    if (typeof recorded === "string" && /^https:\/\/keyvault_name\.vault\.azure\.net\//u.test(recorded)) {
      const expectedPath = recorded.replace("https://keyvault_name.vault.azure.net", "");
      const actualPath = (actual as string).replace(/^https:\/\/[^/]+/u, "");
      const recordedVersion = /\/([0-9a-f]{32})$/u.exec(expectedPath)?.[1];
      if (recordedVersion !== undefined) {
        const actualVersion = /\/([0-9a-f]{32})$/u.exec(actualPath)?.[1];
        expect(actualVersion, `${path} has a 32-hex version`).toBeDefined();
        const known = versions.get(recordedVersion);
        if (known === undefined) versions.set(recordedVersion, actualVersion!);
        else expect(actualVersion, `${path} keeps the version first handed out`).toBe(known);
        expect(actualPath.replace(/[0-9a-f]{32}$/u, ""), path).toBe(expectedPath.replace(/[0-9a-f]{32}$/u, ""));
      } else {
        expect(actualPath, path).toBe(expectedPath);
      }
      return;
    }
    expect(actual, path).toEqual(recorded);
    return;
  }
  expect(actual !== null && typeof actual === "object", `${path} is an object`).toBe(true);
  expect(Object.keys(actual as object).sort(), `${path} has the recorded fields`).toEqual(Object.keys(recorded).sort());
  for (const [key, value] of Object.entries(recorded)) {
    compareBodies((actual as Record<string, Json>)[key]!, value, `${path}.${key}`, versions);
  }
}

async function replay(file: string): Promise<number> {
  const entries = loadRecording(file);
  const token = (await harness.credential.getToken("https://vault.azure.net/.default", { tenantId }))!.token;
  const versions = new Map<string, string>();
  for (const [index, entry] of entries.entries()) {
    // The service's clock at the response: the fake's clock follows the recording.
    const at = Date.parse(entry.ResponseHeaders["Date"]!);
    if (at > harness.clock.now()) harness.clock.set(at);
    const headers = new Headers();
    for (const [name, value] of Object.entries(entry.RequestHeaders)) {
      if (["content-length", "connection", "accept-encoding", "x-ms-client-request-id", "user-agent"].includes(name.toLowerCase()))
        continue;
      headers.set(name, name.toLowerCase() === "authorization" ? `Bearer ${token}` : value);
    }
    const response = await fetch(entry.RequestUri, {
      method: entry.RequestMethod,
      headers,
      ...(entry.RequestBody === null ? {} : { body: JSON.stringify(entry.RequestBody) }),
    });
    const where = `${file} entry ${index}: ${entry.RequestMethod} ${entry.RequestUri}`;
    expect(response.status, where).toBe(entry.StatusCode);
    const recordedChallenge = entry.ResponseHeaders["WWW-Authenticate"];
    if (recordedChallenge !== undefined) {
      expect(response.headers.get("www-authenticate"), where).toBe(recordedChallenge.replace(RECORDED_TENANT, tenantId));
    }
    for (const header of ["x-ms-keyvault-network-info", "x-ms-keyvault-region", "x-ms-keyvault-service-version", "x-ms-request-id"]) {
      expect(response.headers.get(header), `${where} ${header}`).not.toBeNull();
    }
    compareBodies((await response.json()) as Json, entry.ResponseBody as Json, "body", versions);
  }
  return entries.length;
}

describe("recorded Key Vault traffic replayed against the fake", () => {
  it("can recover a deleted secret: challenge, set, delete, 404 twice while the delete settles, recover, 404 twice, 200", async () => {
    harness.clock.set(Date.parse("Thu, 13 Feb 2025 16:18:00 GMT"));
    // The recorded vault: 7-day retention (CustomizedRecoverable+Purgeable), deletes settling in about 5 s and
    // recovers in about 6 s.
    harness.addVault("Sanitized", { softDeleteRetentionInDays: 7 }, { deletedObjectDelayMs: 4_000, recoveredObjectDelayMs: 5_000 });
    expect(await replay("keyvault-secrets.recording_can_recover_a_deleted_secret.json")).toBe(12);
  });

  it("can't get a disabled secret: challenge, set disabled, 403 Forbidden/SecretDisabled", async () => {
    expect(await replay("keyvault-secrets.recording_cant_get_a_disabled_secret.json")).toBe(3);
  });
});
