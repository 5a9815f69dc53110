import { readdirSync, readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { VaultProperties } from "../state/arm-types.js";
import type { VaultDataPlaneSettings } from "../state/data-plane-types.js";
import { createDataPlaneHarness } from "./data-plane-harness.js";

/**
 * Issue 14, item 1: public Azure SDK for JS test-proxy recordings of Key Vault secrets, keys and certificates
 * (Azure/azure-sdk-assets, MIT; every file, its path and commit in `__fixtures__/recordings/SOURCES.md`), each
 * re-sent through the fake in order. For every entry the fake must give the recorded status, the recorded error
 * code and the recorded set of response fields (recursively, and for the first element of every list), the recorded
 * values of the fields the request or the vault decides (`VALUE_FIELDS`, times within two seconds), the challenge's
 * `WWW-Authenticate` for the fake's tenant, and a `Location` where Azure sent one.
 *
 * How a recording is re-sent:
 * - the sanitized host (`Sanitized.vault.azure.net`, `keyvault_name.vault.azure.net`) becomes a vault of the fake
 *   made for that recording, with the retention the recording shows (`recoverableDays`);
 * - `Authorization: Sanitized` becomes a token the fake issues; the recorded 401 challenges are sent without one;
 * - the fake's clock follows the recorded `Date` headers. `Date` has a one-second resolution, so the entries of one
 *   recorded second are spread evenly over it (a poller's 404s and the 200 that ends them often share a second);
 * - each recording's vault gets the delays (`deletedObjectDelayMs`, ...) that its own timeline shows, since they vary
 *   from run to run in Azure (see {@link RECORDED_DELAYS}).
 * Each recording creates what it reads, so nothing else is seeded.
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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const FIXTURES = new URL("./__fixtures__/recordings/", import.meta.url);
/** The tenants the recordings' challenges name (sanitized, and Microsoft's own). */
const RECORDED_TENANTS = /12345678-1234-1234-1234-123456789012|72f988bf-86f1-41af-91ab-2d7cd011db47/u;
const SANITIZED_HOST = /^https:\/\/(?:Sanitized|keyvault_name)\.vault\.azure\.net\//u;

/**
 * The delays each recording's timeline shows, where it shows one: the time from the delete to the first 200 of
 * `GET /deleted*` (after the 404s of the SDK's poller), from the recover to the first 200 of the object, and from the
 * create of a self-signed certificate to its completion. Every value lies between the last recorded "not yet" and
 * the first recorded "done" on the spread clock described above. The defaults stay Azure's documented ones.
 */
const RECORDED_DELAYS: ReadonlyMap<string, Partial<VaultDataPlaneSettings>> = new Map([
  // delete at 16:18:32.000, 404 at .333 and .667, 200 at 16:18:38
  ["secrets.can_delete_a_secret.json", { deletedObjectDelayMs: 4_000 }],
  // delete at 20:15:57.000, 404 at .250 and .500, 200 at 20:16:02
  ["keys.can_create_a_disabled_key.json", { deletedObjectDelayMs: 4_000 }],
  // delete at 17:46:52.000, 404 at .250 and .500, 200 at 17:46:57
  ["keys.can_get_a_key.json", { deletedObjectDelayMs: 4_000 }],
  // delete at 20:16:47.000, 404 at .250, 200 at .500: this delete settled within half a second
  ["keys.can_purge_a_deleted_key.json", { deletedObjectDelayMs: 400 }],
  // create at 03:38:07.000, inProgress at .250 and .750, cancel at 03:38:08.000 still inProgress, completed at .250
  ["certificates.can_read_cancel_and_delete_a_certificates_operation.json", { certificateIssueDelayMs: 1_100 }],
  // delete at 17:46:43.200, 404 at .400, 200 at .600, purge at .800
  ["keys.can_update_a_disabled_key.json", { deletedObjectDelayMs: 300 }],
  // delete at 16:18:07.250, 404 at .500 and .750, 200 at 16:18:12; recover at 16:18:13.000, 404 at .333 and .667, 200 at 16:18:18
  ["secrets.can_wait_until_a_secret_is_recovered.json", { deletedObjectDelayMs: 4_000, recoveredObjectDelayMs: 4_000 }],
  // delete at 20:16:39.333, 404 at .667 and 20:16:40, 200 at 20:16:45
  ["keys.can_get_a_deleted_key.json", { deletedObjectDelayMs: 4_000 }],
  // delete at 17:46:32.200, 404 at .400 and .600, 200 at 17:46:38
  ["keys.can_create_a_key_with_expires.json", { deletedObjectDelayMs: 4_000 }],
  // delete at 16:18:43.000, 404 at .333 and .667, 200 at 16:18:48
  ["secrets.can_get_a_deleted_secret.json", { deletedObjectDelayMs: 4_000 }],
  // delete at 17:24:57.250, 404 at .500 and .750, 200 at 17:25:02
  ["secrets.previousversion_is_undefined_for_noncertificatebacked_secrets.json", { deletedObjectDelayMs: 4_000 }],
  // the two recordings the first replay test used (delete ~5 s, recover ~6 s)
  ["keyvault-secrets.recording_can_recover_a_deleted_secret.json", { deletedObjectDelayMs: 4_000, recoveredObjectDelayMs: 5_000 }],
]);

/**
 * Deliberate differences, each with why it is not a gap: `file#entry` → reason. An entry listed here is still
 * re-sent (later entries depend on its effect) and its status is still compared; only its fields and values are not.
 * Empty: every difference the recordings showed was a gap, and was fixed (the abridgements of the stored files are
 * listed in SOURCES.md, the per-recording delays in RECORDED_DELAYS).
 */
const ALLOWED_DIFFERENCES: ReadonlyMap<string, string> = new Map([]);

function recordingFiles(): string[] {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith(".json") && !file.startsWith("arm-"))
    .sort();
}

function loadRecording(file: string): RecordedEntry[] {
  return (JSON.parse(readFileSync(new URL(file, FIXTURES), "utf8")) as { Entries: RecordedEntry[] }).Entries;
}

/** The recorded `Date` of each entry, with the entries of one second spread evenly over it. */
function spreadTimes(entries: readonly RecordedEntry[]): number[] {
  const seconds = entries.map((entry) => Date.parse(entry.ResponseHeaders["Date"]!));
  return seconds.map((second, index) => {
    const sameSecond = seconds.filter((other) => other === second).length;
    const position = seconds.slice(0, index).filter((other) => other === second).length;
    return second + Math.floor((position * 1_000) / sameSecond);
  });
}

/** The recorded retention (`recoverableDays`) of the first object body that carries one; 90 (Azure's default) if none. */
function recordedRetention(entries: readonly RecordedEntry[]): number {
  const text = JSON.stringify(entries.map((entry) => entry.ResponseBody));
  const match = /"recoverableDays":(\d+)/u.exec(text);
  return match === null ? 90 : Number(match[1]);
}

/** Every difference between the fields of `actual` and `recorded`, recursively; lists by their first element. */
function fieldDifferences(actual: Json | undefined, recorded: Json, path: string): string[] {
  if (recorded === null || typeof recorded !== "object") return [];
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual)) return [`${path} is ${JSON.stringify(actual)}, recorded a list`];
    if (recorded.length === 0 || actual.length === 0) {
      return recorded.length === actual.length ? [] : [`${path} has ${actual.length} items, recorded ${recorded.length}`];
    }
    return fieldDifferences(actual[0], recorded[0]!, `${path}[0]`);
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${path} is ${JSON.stringify(actual)}, recorded an object`];
  const differences: string[] = [];
  const actualKeys = new Set(Object.keys(actual));
  for (const key of Object.keys(recorded)) {
    if (!actualKeys.has(key)) differences.push(`${path}.${key} is missing`);
    else differences.push(...fieldDifferences(actual[key], recorded[key]!, `${path}.${key}`));
  }
  for (const key of actualKeys) if (!Object.hasOwn(recorded, key)) differences.push(`${path}.${key} is not in the recording`);
  return differences;
}

const VERSION_AT_END = /\/([0-9a-f]{32})$/u;

/**
 * Learns which version the fake handed out where the recording shows one (`kid`, `id`, ... ending in a 32-hex version),
 * so later requests that name the recorded version are sent with the fake's.
 */
function learnVersions(actual: Json | undefined, recorded: Json, versions: Map<string, string>): void {
  if (typeof recorded === "string") {
    const recordedVersion = VERSION_AT_END.exec(recorded)?.[1];
    const actualVersion = typeof actual === "string" ? VERSION_AT_END.exec(actual)?.[1] : undefined;
    if (recordedVersion !== undefined && actualVersion !== undefined && !versions.has(recordedVersion)) versions.set(recordedVersion, actualVersion);
    return;
  }
  if (recorded === null || typeof recorded !== "object" || actual === null || typeof actual !== "object" || actual === undefined) return;
  if (Array.isArray(recorded)) {
    if (Array.isArray(actual) && recorded.length > 0) learnVersions(actual[0], recorded[0]!, versions);
    return;
  }
  if (Array.isArray(actual)) return;
  for (const [key, value] of Object.entries(recorded)) if (Object.hasOwn(actual, key)) learnVersions(actual[key], value, versions);
}

/**
 * Fields whose recorded value the fake must give too (what the request or the vault decides, not the service's
 * randomness): flags, levels, the key type and operations, operation states, list ends. Times are compared within
 * {@link TIME_TOLERANCE_S} of the recorded value, since the fake's clock follows the one-second `Date` headers.
 */
const VALUE_FIELDS = new Set([
  "enabled",
  "exp",
  "nbf",
  "recoveryLevel",
  "recoverableDays",
  "kty",
  "e",
  "key_ops",
  "exportable",
  "hsmPlatform",
  "value",
  "contentType",
  "status",
  "cancellation_requested",
  "nextLink",
  "name",
  "subject",
  "validity_months",
  "key_size",
  "reuse_key",
  "ekus",
  "key_usage",
  "ca",
  "action_type",
  "lifetime_percentage",
]);
const TIME_FIELDS = new Set(["created", "updated", "deletedDate", "scheduledPurgeDate"]);
const TIME_TOLERANCE_S = 2;

/** Every recorded value of {@link VALUE_FIELDS} and {@link TIME_FIELDS} the fake answers differently. */
function valueDifferences(actual: Json | undefined, recorded: Json, path: string, key = ""): string[] {
  if (recorded !== null && typeof recorded === "object" && !(Array.isArray(recorded) && VALUE_FIELDS.has(key))) {
    if (actual === null || typeof actual !== "object") return [];
    if (Array.isArray(recorded)) {
      return Array.isArray(actual) && recorded.length > 0 && actual.length > 0 ? valueDifferences(actual[0], recorded[0]!, `${path}[0]`) : [];
    }
    if (Array.isArray(actual)) return [];
    return Object.entries(recorded).flatMap(([name, value]) =>
      Object.hasOwn(actual, name) ? valueDifferences(actual[name], value, `${path}.${name}`, name) : []
    );
  }
  if (TIME_FIELDS.has(key) && typeof recorded === "number") {
    return typeof actual === "number" && Math.abs(actual - recorded) <= TIME_TOLERANCE_S ? [] : [`${path} is ${JSON.stringify(actual)}, recorded ${recorded}`];
  }
  if (!VALUE_FIELDS.has(key) || (typeof recorded === "string" && recorded.startsWith("<elided"))) return [];
  return JSON.stringify(actual) === JSON.stringify(recorded) ? [] : [`${path} is ${JSON.stringify(actual)}, recorded ${JSON.stringify(recorded)}`];
}

function errorCode(body: unknown): string | undefined {
  const error = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof error?.code === "string" ? error.code : undefined;
}

const harness = createDataPlaneHarness();
const tenantId = harness.ctx.state.tenantId;

beforeAll(() => harness.server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => expect(await harness.schemaCheckResults()).toEqual([]));
afterAll(() => harness.server.close());

let vaultCount = 0;

async function replay(file: string): Promise<{ entries: number; problems: string[] }> {
  const entries = loadRecording(file);
  vaultCount += 1;
  const vaultName = `kv-replay-${vaultCount}`;
  const properties: Partial<VaultProperties> = { softDeleteRetentionInDays: recordedRetention(entries) };
  const times = spreadTimes(entries);
  harness.clock.set(times[0]!);
  harness.addVault(vaultName, properties, RECORDED_DELAYS.get(file) ?? {});
  const token = (await harness.credential.getToken("https://vault.azure.net/.default", { tenantId }))!.token;
  const problems: string[] = [];
  const versions = new Map<string, string>();
  for (const [index, entry] of entries.entries()) {
    if (times[index]! > harness.clock.now()) harness.clock.set(times[index]!);
    const headers = new Headers();
    for (const [name, value] of Object.entries(entry.RequestHeaders)) {
      headers.set(name, name.toLowerCase() === "authorization" ? `Bearer ${token}` : value);
    }
    let url = entry.RequestUri.replace(SANITIZED_HOST, `https://${vaultName}.vault.azure.net/`);
    for (const [recorded, actual] of versions) url = url.replace(`/${recorded}`, `/${actual}`);
    const response = await fetch(url, {
      method: entry.RequestMethod,
      headers,
      ...(entry.RequestBody === null ? {} : { body: JSON.stringify(entry.RequestBody) }),
    });
    const where = `${file}#${index} ${entry.RequestMethod} ${new URL(url).pathname}`;
    const text = await response.text();
    const body = text === "" ? null : (JSON.parse(text) as Json);
    if (body !== null && entry.ResponseBody !== null) learnVersions(body, entry.ResponseBody as Json, versions);
    if (response.status !== entry.StatusCode) {
      problems.push(`${where}: status ${response.status}, recorded ${entry.StatusCode} (${text.slice(0, 200)})`);
      continue;
    }
    if (errorCode(body) !== errorCode(entry.ResponseBody)) {
      problems.push(`${where}: error code ${errorCode(body)}, recorded ${errorCode(entry.ResponseBody)}`);
    }
    const challenge = entry.ResponseHeaders["WWW-Authenticate"];
    if (challenge !== undefined && response.headers.get("www-authenticate") !== challenge.replace(RECORDED_TENANTS, tenantId)) {
      problems.push(`${where}: WWW-Authenticate ${response.headers.get("www-authenticate")}, recorded ${challenge}`);
    }
    if (entry.ResponseHeaders["Location"] !== undefined && response.headers.get("location") === null) {
      problems.push(`${where}: no Location header, recorded one`);
    }
    if (entry.ResponseBody === null) {
      if (body !== null) problems.push(`${where}: a body, recorded none`);
    } else if (!ALLOWED_DIFFERENCES.has(`${file}#${index}`)) {
      problems.push(...fieldDifferences(body, entry.ResponseBody as Json, "body").map((difference) => `${where}: ${difference}`));
      problems.push(...valueDifferences(body, entry.ResponseBody as Json, "body").map((difference) => `${where}: ${difference}`));
    }
  }
  return { entries: entries.length, problems };
}

describe("public Key Vault recordings replayed against the fake", () => {
  const files = recordingFiles();

  it("stores at least 40 recordings, of secrets, keys and certificates, each named in SOURCES.md", () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const kind of ["secrets", "keys", "certificates"]) expect(files.some((file) => file.includes(kind))).toBe(true);
    const sources = readFileSync(new URL("SOURCES.md", FIXTURES), "utf8");
    for (const file of files) expect(sources, `${file} has no row in SOURCES.md`).toContain(`| ${file} |`);
  });

  it("every allow-listed difference names an entry that exists", () => {
    for (const key of ALLOWED_DIFFERENCES.keys()) {
      const [file, index] = key.split("#");
      expect(files, key).toContain(file);
      expect(loadRecording(file!).length, key).toBeGreaterThan(Number(index));
    }
  });

  it.each(files)("%s", async (file) => {
    const { entries, problems } = await replay(file);
    expect(entries).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
