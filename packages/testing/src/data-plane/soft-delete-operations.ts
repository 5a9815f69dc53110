import type { CaseInsensitiveMap } from "../state/case-insensitive-map.js";
import type { DeletedObject } from "../state/data-plane-types.js";
import {
  managedObject,
  beingDeleted,
  beingRecovered,
  deletedButRecoverable,
  deletedObjectNotFound,
  objectNotFound,
  purgeProtected,
} from "./key-vault-errors.js";
import { fail, noContent, ok, type DataPlaneCall } from "./data-plane-call.js";
import { isBeingPurged, isVisible, scheduledPurgeDateOf, softDeleteEnabled, startPurge } from "./object-lifecycle.js";
import { byName, pageOf } from "./paging.js";
import { OBJECT_KIND_WORDS, type ObjectKind } from "./object-kind.js";

/** A stored object kind as the soft-delete operations see it. */
export interface VaultObject {
  name: string;
  visibleAt?: number;
}

export interface ObjectStore<T extends VaultObject> {
  readonly kind: ObjectKind;
  readonly live: CaseInsensitiveMap<T>;
  readonly deleted: CaseInsensitiveMap<DeletedObject<T>>;
  /** The bundle of the current version (without secret values): the body of DELETE and recover. */
  bundle(call: DataPlaneCall, object: T): Record<string, unknown>;
  /** The list item of an object (`SecretItem`, `KeyItem`, `CertificateItem`). */
  item(call: DataPlaneCall, object: T): Record<string, unknown>;
  /** Runs after the object moved to (or was dropped from) the deleted store: certificates take their key and secret along. */
  afterDelete?(call: DataPlaneCall, object: T, softDeleted: boolean): void;
  afterRecover?(call: DataPlaneCall, object: T): void;
  afterPurge?(call: DataPlaneCall, object: T): void;
}

/** GET `/{collection}`: one item per object a read may see, by name, paged. */
export function listLiveObjects<T extends VaultObject>(call: DataPlaneCall, store: ObjectStore<T>): Response {
  const visible = byName([...store.live.values()].filter((object) => isVisible(object, call.nowMs)));
  return ok(
    call,
    pageOf(
      call,
      visible.map((object) => store.item(call, object))
    )
  );
}

/** A certificate's managed key or secret is written, deleted, recovered and purged only through the certificate. */
export function refuseManaged(
  store: ObjectStore<VaultObject>,
  object: { name: string; versions: Array<{ managed?: boolean }> } | undefined,
  operation: string
): void {
  if (object?.versions.at(-1)?.managed === true) fail(managedObject(store.kind, operation, object.name));
}

/** A live object that a read may see, or the recorded 404 while it is absent or still being recovered. */
export function requireLive<T extends VaultObject>(call: DataPlaneCall, store: ObjectStore<T>, name: string): T {
  const object = store.live.get(name);
  if (object === undefined || !isVisible(object, call.nowMs)) fail(objectNotFound(store.kind, name));
  return object;
}

/**
 * The object a versions listing shows, or `undefined`: listing the versions of a name that does not exist is
 * `200 {"value":[],"nextLink":null}`, not a 404 (recorded for secrets, keys and certificates: Azure SDK for JS
 * test-proxy recordings `recording_can_list_*_versions_non_existing.json`).
 */
export function findListable<T extends VaultObject>(call: DataPlaneCall, store: ObjectStore<T>, name: string): T | undefined {
  const object = store.live.get(name);
  return object === undefined || !isVisible(object, call.nowMs) ? undefined : object;
}

/**
 * Refuses to create an object under a name a soft-deleted object holds (409 `ObjectIsDeletedButRecoverable`, or
 * `ObjectIsBeingDeleted` while the delete is in progress) or that is still being recovered.
 */
export function assertNameWritable<T extends VaultObject>(call: DataPlaneCall, store: ObjectStore<T>, name: string): void {
  const deleted = store.deleted.get(name);
  if (deleted !== undefined) {
    fail(isVisible(deleted, call.nowMs) ? deletedButRecoverable(store.kind, name) : beingDeleted(store.kind, name));
  }
  if (isBeingPurged(call.vault, store.kind, name, call.nowMs)) fail(beingDeleted(store.kind, name));
  const live = store.live.get(name);
  if (live !== undefined && !isVisible(live, call.nowMs)) fail(beingRecovered(store.kind, name));
}

export function deletedFields(
  call: DataPlaneCall,
  store: ObjectStore<VaultObject>,
  entry: DeletedObject<unknown>,
  name: string
): Record<string, unknown> {
  return {
    recoveryId: `${call.vaultUrl}/${OBJECT_KIND_WORDS[store.kind].deletedCollection}/${name}`,
    deletedDate: entry.deletedDate,
    scheduledPurgeDate: entry.scheduledPurgeDate,
  };
}

/** DELETE `/{kind}s/{name}`: soft delete (or a permanent delete when the vault has soft delete off). */
export function deleteObject<T extends VaultObject>(call: DataPlaneCall, store: ObjectStore<T>, name: string): Response {
  const object = requireLive(call, store, name);
  const storedName = object.name;
  const bundle = store.bundle(call, object);
  store.live.delete(name);
  if (!softDeleteEnabled(call.vault)) {
    store.afterDelete?.(call, object, false);
    return ok(call, bundle);
  }
  const stored: T = { ...object };
  delete stored.visibleAt;
  const entry: DeletedObject<T> = {
    object: stored,
    deletedDate: call.nowSeconds,
    scheduledPurgeDate: scheduledPurgeDateOf(call.vault, call.nowSeconds),
  };
  const delay = call.vault.settings.deletedObjectDelayMs;
  if (delay > 0) entry.visibleAt = call.nowMs + delay;
  store.deleted.set(storedName, entry);
  store.afterDelete?.(call, object, true);
  return ok(call, { ...deletedFields(call, store, entry, storedName), ...bundle });
}

function requireDeleted<T extends VaultObject>(call: DataPlaneCall, store: ObjectStore<T>, name: string): DeletedObject<T> {
  const entry = store.deleted.get(name);
  if (entry === undefined || !isVisible(entry, call.nowMs)) fail(deletedObjectNotFound(store.kind, name));
  return entry;
}

/** GET `/deleted{kind}s/{name}`: 404 until the delete has settled. */
export function getDeletedObject<T extends VaultObject>(call: DataPlaneCall, store: ObjectStore<T>, name: string): Response {
  const entry = requireDeleted(call, store, name);
  return ok(call, { ...deletedFields(call, store, entry, entry.object.name), ...store.bundle(call, entry.object) });
}

/** GET `/deleted{kind}s`: settled deleted objects, paged. */
export function listDeletedObjects<T extends VaultObject>(call: DataPlaneCall, store: ObjectStore<T>): Response {
  const settled = [...store.deleted.values()].filter((entry) => isVisible(entry, call.nowMs));
  const sorted = byName(settled.map((entry) => ({ name: entry.object.name, entry })));
  const page = pageOf(
    call,
    sorted.map(({ entry }) => ({ ...deletedFields(call, store, entry, entry.object.name), ...store.item(call, entry.object) }))
  );
  return ok(call, page);
}

/** POST `/deleted{kind}s/{name}/recover`: the object comes back, readable only after the vault's recover delay. */
export function recoverObject<T extends VaultObject>(call: DataPlaneCall, store: ObjectStore<T>, name: string): Response {
  const entry = store.deleted.get(name);
  if (entry === undefined) fail(deletedObjectNotFound(store.kind, name));
  if (!isVisible(entry, call.nowMs)) fail(beingDeleted(store.kind, name));
  store.deleted.delete(name);
  const object = entry.object;
  const delay = call.vault.settings.recoveredObjectDelayMs;
  if (delay > 0) object.visibleAt = call.nowMs + delay;
  else delete object.visibleAt;
  store.live.set(object.name, object);
  store.afterRecover?.(call, object);
  return ok(call, store.bundle(call, object));
}

/**
 * DELETE `/deleted{kind}s/{name}`: permanent; 403 under purge protection, 409 while the delete is in progress. The
 * purge itself then takes the vault's `purgeDelayMs`: the name answers 409 on create and restore until it is done.
 */
export function purgeObject<T extends VaultObject>(call: DataPlaneCall, store: ObjectStore<T>, name: string): Response {
  const entry = store.deleted.get(name);
  if (entry === undefined) fail(deletedObjectNotFound(store.kind, name));
  if (call.vault.resource.properties.enablePurgeProtection === true) {
    fail(purgeProtected(call.vault.resource.name, call.vault.resource.location));
  }
  if (!isVisible(entry, call.nowMs)) fail(beingDeleted(store.kind, name));
  store.deleted.delete(name);
  startPurge(call.vault, store.kind, entry.object.name, call.nowMs);
  store.afterPurge?.(call, entry.object);
  return noContent(call);
}
