import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { parseArmId } from "../arm/arm-id.js";
import { badParameter } from "./key-vault-errors.js";
import { fail, ok, readJsonObject, type DataPlaneCall } from "./data-plane-call.js";
import { OBJECT_KIND_WORDS } from "./object-kind.js";
import { assertNameWritable, refuseManaged, requireLive, type ObjectStore, type VaultObject } from "./soft-delete-operations.js";

/**
 * Backup and restore of secrets, keys and certificates (a certificate's backup carries its managed key and secret). Like the service's, a backup is an opaque, protected blob holding every
 * version of the object (at most 500), and it restores only into a vault of the subscription it was taken in; here it
 * is AES-256-GCM under a key derived from the tenant and subscription, so a test cannot read values out of it either.
 */

const MAX_BACKUP_VERSIONS = 500;
const FORMAT = Buffer.from("KWBK1", "ascii");

interface BackupPayload {
  kind: string;
  object: unknown;
  /** A certificate's managed key and secret, restored with it. */
  companions?: { key?: unknown; secret?: unknown };
}

function backupKey(call: DataPlaneCall): Buffer {
  const subscriptionId = parseArmId(call.vault.resource.id)?.subscriptionId ?? "";
  return createHash("sha256")
    .update(`keywarden-fake-backup|${call.ctx.state.tenantId.toLowerCase()}|${subscriptionId.toLowerCase()}`)
    .digest();
}

function seal(call: DataPlaneCall, payload: BackupPayload): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", backupKey(call), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(payload), "utf8"), cipher.final()]);
  return Buffer.concat([FORMAT, iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

function open(call: DataPlaneCall, blob: string): BackupPayload {
  const bytes = Buffer.from(blob, "base64url");
  if (bytes.length < FORMAT.length + 28 || !bytes.subarray(0, FORMAT.length).equals(FORMAT)) {
    // Recorded (Azure SDK for JS test-proxy recording `recording_can_restore_a_secret_malformed_backup_bytes`).
    fail({ status: 400, code: "Malformed backup blob", message: "Backup blob contains invalid or corrupt version." });
  }
  const iv = bytes.subarray(FORMAT.length, FORMAT.length + 12);
  const tag = bytes.subarray(FORMAT.length + 12, FORMAT.length + 28);
  try {
    const decipher = createDecipheriv("aes-256-gcm", backupKey(call), iv);
    decipher.setAuthTag(tag);
    const text = Buffer.concat([decipher.update(bytes.subarray(FORMAT.length + 28)), decipher.final()]).toString("utf8");
    return JSON.parse(text) as BackupPayload;
  } catch {
    return fail(
      badParameter(
        "The backup blob cannot be restored into this vault: a backup restores only into a vault of the subscription it was taken in."
      )
    );
  }
}

/** POST `/{secrets|keys}/{name}/backup`: `{ value: <blob> }`. */
export function backupObject<T extends VaultObject & { versions: readonly object[] }>(
  call: DataPlaneCall,
  store: ObjectStore<T>,
  name: string
): Response {
  const object = requireLive(call, store, name);
  refuseManaged(store, object as unknown as { name: string; versions: Array<{ managed?: boolean }> }, "backup");
  if (object.versions.length > MAX_BACKUP_VERSIONS) {
    fail(
      badParameter(
        `${OBJECT_KIND_WORDS[store.kind].title} ${object.name} has more than ${MAX_BACKUP_VERSIONS} versions, the most a backup holds.`
      )
    );
  }
  const stored: Record<string, unknown> = { ...(object as Record<string, unknown>) };
  delete stored["visibleAt"];
  // A restored certificate has no create operation in progress.
  delete stored["pending"];
  const payload: BackupPayload = { kind: store.kind, object: stored };
  if (store.kind === "certificate") {
    const key = call.vault.keys.get(object.name);
    const secret = call.vault.secrets.get(object.name);
    payload.companions = {
      ...(key?.versions.at(-1)?.managed === true ? { key: withoutVisibility(key) } : {}),
      ...(secret?.versions.at(-1)?.managed === true ? { secret: withoutVisibility(secret) } : {}),
    };
  }
  return ok(call, { value: seal(call, payload) });
}

function withoutVisibility<T extends { visibleAt?: number }>(object: T): T {
  const copy = { ...object };
  delete copy.visibleAt;
  return copy;
}

/** POST `/{secrets|keys}/restore` with `{ value: <blob> }`: every version comes back; 409 when the name is taken. */
export async function restoreObject<T extends VaultObject>(call: DataPlaneCall, store: ObjectStore<T>): Promise<Response> {
  const body = await readJsonObject(call);
  const blob = body["value"];
  if (typeof blob !== "string" || blob.length === 0) fail(badParameter("The backup blob (value) is required."));
  const payload = open(call, blob);
  if (payload.kind !== store.kind) fail(badParameter(`The backup blob holds a ${payload.kind}, not a ${store.kind}.`));
  const object = payload.object as T;
  assertNameWritable(call, store, object.name);
  const companionKey = payload.companions?.key as (VaultObject & Parameters<typeof call.vault.keys.set>[1]) | undefined;
  const companionSecret = payload.companions?.secret as (VaultObject & Parameters<typeof call.vault.secrets.set>[1]) | undefined;
  if (store.live.has(object.name) || (companionKey !== undefined && call.vault.keys.has(object.name)) || (companionSecret !== undefined && call.vault.secrets.has(object.name))) {
    fail({
      status: 409,
      code: "Conflict",
      message: `${OBJECT_KIND_WORDS[store.kind].title} ${
        object.name
      } already exists in this vault; delete and purge it before restoring a backup.`,
    });
  }
  store.live.set(object.name, object);
  if (companionKey !== undefined) call.vault.keys.set(companionKey.name, companionKey);
  if (companionSecret !== undefined) call.vault.secrets.set(companionSecret.name, companionSecret);
  return ok(call, store.bundle(call, object));
}
