import { CertificateClient, DefaultCertificatePolicy } from "@azure/keyvault-certificates";
import { KeyClient } from "@azure/keyvault-keys";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDataPlaneHarness } from "./data-plane-harness.js";
import { restErrorOf } from "./rest-error-of.js";

/**
 * Issue 14, "Why": each test is one place where the fake answered differently from Azure, with the public recording
 * (Azure/azure-sdk-assets, Azure SDK for JS test-proxy recordings under `js/sdk/keyvault/...`, MIT) or report that
 * shows what Azure answers. Every body is also checked against the 7.5 spec by the harness.
 */

const harness = createDataPlaneHarness();
const retryOptions = { maxRetries: 0 };

beforeAll(() => harness.server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => expect(await harness.schemaCheckResults()).toEqual([]));
afterAll(() => harness.server.close());

let count = 0;
function vault(settings: Parameters<typeof harness.addVault>[2] = {}) {
  count += 1;
  const name = `kv-fidelity-${count}`;
  harness.addVault(name, {}, settings);
  const url = harness.vaultUrl(name);
  return {
    url,
    secrets: new SecretClient(url, harness.credential, { retryOptions }),
    keys: new KeyClient(url, harness.credential, { retryOptions }),
    certificates: new CertificateClient(url, harness.credential, { retryOptions }),
  };
}

async function raw(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = (await harness.credential.getToken("https://vault.azure.net/.default"))!.token;
  const response = await fetch(url, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } });
  const text = await response.text();
  return { status: response.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function all<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

describe("listing the versions of a name that never existed", () => {
  // Recorded: keyvault-secrets/.../secret_client__list_secrets_in_various_ways/recording_can_list_secret_versions_non_existing.json
  // (GET /secrets/{name}/versions -> 200 {"value":[],"nextLink":null}); the same for keys and certificates
  // (recording_can_list_key_versions_non_existing, recording_can_list_certificate_versions_non_existing).
  it("is 200 with an empty page for secrets, keys and certificates, not 404", async () => {
    const { url, secrets, keys, certificates } = vault();
    for (const collection of ["secrets", "keys", "certificates"]) {
      expect(await raw(`${url}/${collection}/never-existed/versions?api-version=7.5`)).toEqual({ status: 200, body: { value: [], nextLink: null } });
    }
    expect(await all(secrets.listPropertiesOfSecretVersions("never-existed"))).toEqual([]);
    expect(await all(keys.listPropertiesOfKeyVersions("never-existed"))).toEqual([]);
    expect(await all(certificates.listPropertiesOfCertificateVersions("never-existed"))).toEqual([]);
  });
});

describe("a certificate waiting for its first version", () => {
  // Recorded: keyvault-certificates/.../certificates_client__create_read_update_and_delete/
  // recording_can_read_cancel_and_delete_a_certificates_operation.json (api-version 2025-07-01, commit 364ad076).
  it("is readable (200, disabled, with policy and pending link); cancel keeps it inProgress; deleting the operation keeps the certificate", async () => {
    const { url, certificates } = vault({ certificateIssueDelayMs: 60_000 });
    const poller = await certificates.beginCreateCertificate("pending-cert", { issuerName: "Self", subject: "cn=MyCert" }, { intervalInMs: 1 });
    expect(poller.isDone()).toBe(false);

    const read = await raw(`${url}/certificates/pending-cert/?api-version=2025-07-01`);
    expect(read.status).toBe(200);
    expect(Object.keys(read.body).sort()).toEqual(["attributes", "id", "pending", "policy"]);
    expect(read.body["id"]).toMatch(new RegExp(`^${url}/certificates/pending-cert/[0-9a-f]{32}$`, "u"));
    expect(read.body["attributes"]).toMatchObject({ enabled: false, recoveryLevel: "Recoverable+Purgeable" });
    const attributes = read.body["attributes"] as Record<string, number>;
    expect(attributes["nbf"]).toBe(attributes["created"]! - 600);
    expect(read.body["pending"]).toEqual({ id: `${url}/certificates/pending-cert/pending` });

    const patched = await certificates.updateCertificateProperties("pending-cert", "", { tags: { stage: "pending" } });
    expect(patched.properties).toMatchObject({ enabled: false, tags: { stage: "pending" } });

    const cancelled = await raw(`${url}/certificates/pending-cert/pending?api-version=2025-07-01`, {
      method: "PATCH",
      body: JSON.stringify({ cancellation_requested: true }),
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      cancellation_requested: true,
      status: "inProgress",
      status_details: expect.stringContaining("Certificate request is in progress"),
    });

    const removed = await raw(`${url}/certificates/pending-cert/pending?api-version=2025-07-01`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ status: "inProgress", cancellation_requested: true });

    const afterDelete = await raw(`${url}/certificates/pending-cert/?api-version=2025-07-01`);
    expect(afterDelete.status).toBe(200);
    expect(afterDelete.body["id"]).toBe(read.body["id"]);
    expect(afterDelete.body["pending"]).toBeUndefined();

    expect(await raw(`${url}/certificates/pending-cert/pending?api-version=2025-07-01`)).toEqual({
      status: 404,
      body: { error: { code: "PendingCertificateNotFound", message: "Pending certificate not found: pending-cert" } },
    });
  });

  // Recorded: keyvault-certificates/.../certificates_client__lro__create/recording_can_wait_until_a_certificate_is_created.json:
  // the completed certificate's bundle has kid, sid, x5t, cer, attributes, policy and the pending link, no contentType.
  it("once issued, keeps the pending link and has no contentType", async () => {
    const { url, certificates } = vault();
    const created = await harness.untilDone(await certificates.beginCreateCertificate("issued", DefaultCertificatePolicy, { intervalInMs: 1 }));
    const read = await raw(`${url}/certificates/issued/?api-version=2025-07-01`);
    expect(Object.keys(read.body).sort()).toEqual(["attributes", "cer", "id", "kid", "pending", "policy", "sid", "x5t"]);
    expect(read.body["pending"]).toEqual({ id: `${url}/certificates/issued/pending` });
    expect(read.body["id"]).toBe(created.properties.id);
  });
});

describe("key attributes follow the requested api-version", () => {
  // Recorded under 2025-07-01 (keyvault-keys/.../recording_can_get_a_key.json): "exportable": false, "hsmPlatform": "0";
  // and already under 7.5-preview.1 (the same recording at commit e40c1fe7, keyvault-keys 4.8.0-beta.1) and 7.5
  // (recording_can_create_a_disabled_key.json at ed94a0d2). The 7.3 spec's KeyAttributes has neither field, 7.4 adds
  // exportable.
  it("has no exportable before 7.4, exportable from 7.4, and hsmPlatform from 7.5-preview.1", async () => {
    const { url, keys } = vault();
    await keys.createRsaKey("versioned");
    const attributesAt = async (version: string) => (await raw(`${url}/keys/versioned?api-version=${version}`)).body["attributes"] as Record<string, unknown>;
    const old = await attributesAt("7.3");
    expect(old).not.toHaveProperty("exportable");
    expect(old).not.toHaveProperty("hsmPlatform");
    expect(await attributesAt("7.4")).toMatchObject({ exportable: false });
    expect(await attributesAt("7.4")).not.toHaveProperty("hsmPlatform");
    for (const version of ["7.5-preview.1", "7.5", "7.6-preview.2", "2025-07-01"]) {
      expect(await attributesAt(version), version).toMatchObject({ exportable: false, hsmPlatform: "0" });
    }
  });
});

describe("restoring a malformed backup", () => {
  // Recorded: keyvault-secrets/.../recording_can_restore_a_secret_malformed_backup_bytes.json:
  // 400 {"error":{"code":"Malformed backup blob","message":"Backup blob contains invalid or corrupt version."}}.
  it("answers 400 with the code 'Malformed backup blob'", async () => {
    const { secrets, keys } = vault();
    for (const restore of [secrets.restoreSecretBackup(new Uint8Array(4096)), keys.restoreKeyBackup(new Uint8Array(4096))]) {
      const error = await restErrorOf(restore);
      expect(error.statusCode).toBe(400);
      expect(error.code).toBe("Malformed backup blob");
      expect(error.message).toBe("Backup blob contains invalid or corrupt version.");
    }
  });
});

describe("an empty object name", () => {
  // Recorded: recording_cannot_create_a_secret_with_an_empty_name.json (PUT /secrets/ -> 405
  // {"error":{"code":"MethodNotAllowed","message":"HTTP PUT not allowed"}}) and
  // recording_cannot_create_a_certificate_with_an_empty_name.json (POST /certificates//create -> 405).
  it("is 405 MethodNotAllowed, through the SDK too", async () => {
    const { url, secrets } = vault();
    expect(await raw(`${url}/secrets/?api-version=2025-07-01`, { method: "PUT", body: JSON.stringify({ value: "v" }) })).toEqual({
      status: 405,
      body: { error: { code: "MethodNotAllowed", message: "HTTP PUT not allowed" } },
    });
    expect(await raw(`${url}/certificates//create?api-version=2025-07-01`, { method: "POST", body: "{}" })).toEqual({
      status: 405,
      body: { error: { code: "MethodNotAllowed", message: "HTTP POST not allowed" } },
    });
    expect((await restErrorOf(secrets.setSecret("", "v"))).statusCode).toBe(405);
  });
});

describe("a purge in progress", () => {
  // Reported: Azure/azure-sdk-for-net#34322 (set right after purge -> 409 Conflict "Secret mySecret is currently being
  // deleted and cannot be re-created; retry later.", innererror ObjectIsBeingDeleted) and #26027 (restore right after
  // purge -> 409 for 1 to 5 seconds while GET /deletedsecrets/{name} is already 404).
  it("keeps the name taken (409 on set and restore) until it completes, while the deleted object is already gone", async () => {
    const { url, secrets } = vault({ purgeDelayMs: 3_000 });
    await secrets.setSecret("rotating", "v1");
    const backup = await secrets.backupSecret("rotating");
    await harness.untilDone(await secrets.beginDeleteSecret("rotating", { intervalInMs: 1 }));
    await secrets.purgeDeletedSecret("rotating");

    expect((await restErrorOf(secrets.getDeletedSecret("rotating"))).statusCode).toBe(404);
    const conflict = await restErrorOf(secrets.setSecret("rotating", "v2"));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.message).toBe("Secret rotating is currently being deleted and cannot be re-created; retry later.");
    expect((await raw(`${url}/secrets/rotating?api-version=2025-07-01`, { method: "PUT", body: JSON.stringify({ value: "v2" }) })).body).toMatchObject({
      error: { code: "Conflict", innererror: { code: "ObjectIsBeingDeleted" } },
    });
    expect((await restErrorOf(secrets.restoreSecretBackup(backup!))).statusCode).toBe(409);

    harness.clock.advance(3_000);
    expect((await secrets.setSecret("rotating", "v2")).value).toBe("v2");
  });
});
