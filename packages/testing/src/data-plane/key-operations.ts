import type { KeyObject, KeyRotationPolicy, KeyVersion } from "../state/data-plane-types.js";
import { applyAttributesPatch, serveAttributes } from "./object-attributes.js";
import { badParameter, objectDisabled, objectNotFound } from "./key-vault-errors.js";
import { checkObjectName, fail, ok, readJsonObject, readTags, type DataPlaneCall } from "./data-plane-call.js";
import { addIsoDuration, parseIsoDuration } from "./iso-duration.js";
import { EC_OPERATIONS, RSA_OPERATIONS, generateKeyMaterial, isRsa, keySpecOf, keySpecProblem, privateKeyPemOf, type KeySpec } from "./key-material.js";
import { apiVersionAtLeast } from "./api-versions.js";
import { pageOf } from "./paging.js";
import {
  assertNameWritable,
  deleteObject,
  findListable,
  getDeletedObject,
  listDeletedObjects,
  purgeObject,
  recoverObject,
  listLiveObjects,
  refuseManaged,
  requireLive,
  type ObjectStore,
} from "./soft-delete-operations.js";

/** Keys: `KeyBundle`/`KeyItem` serialisers and the operations of the 7.5 `keys.json` that responders use. */

export function keyId(call: DataPlaneCall, name: string, version?: string): string {
  return version === undefined ? `${call.vaultUrl}/keys/${name}` : `${call.vaultUrl}/keys/${name}/${version}`;
}

function latest(key: KeyObject): KeyVersion {
  const version = key.versions.at(-1);
  if (version === undefined) throw new Error(`Key ${key.name} has no versions; the state is inconsistent.`);
  return version;
}

/**
 * `KeyAttributes` as the requested api-version shapes them: `exportable` from 7.4 (default `false`), `hsmPlatform`
 * from 7.5-preview.1 (`"0"` for a software-protected key), neither before. Recorded under 2025-07-01: `"exportable": false,
 * "hsmPlatform": "0"` (Azure SDK for JS test-proxy recording `keys_client__create_read_update_and_delete_operations/
 * recording_can_get_a_key.json`); the 7.3 spec's KeyAttributes has neither field.
 */
export function keyAttributes(call: DataPlaneCall, attributes: KeyVersion["attributes"]): Record<string, unknown> {
  const { exportable, hsmPlatform, ...served } = serveAttributes(attributes, call.vault.resource);
  return {
    ...served,
    ...(apiVersionAtLeast(call.apiVersion, "7.4") ? { exportable: exportable ?? false } : {}),
    // Recorded with 7.5-preview.1 already (recording_can_get_a_key.json, keyvault-keys 4.8.0-beta.1).
    ...(apiVersionAtLeast(call.apiVersion, "7.5-preview.1") ? { hsmPlatform: hsmPlatform ?? "0" } : {}),
  };
}

export function keyBundle(call: DataPlaneCall, name: string, version: KeyVersion): Record<string, unknown> {
  return {
    key: { ...version.key, kid: keyId(call, name, version.version) },
    attributes: keyAttributes(call, version.attributes),
    ...(version.tags === undefined ? {} : { tags: version.tags }),
    ...(version.managed === undefined ? {} : { managed: version.managed }),
    ...(version.releasePolicy === undefined ? {} : { release_policy: version.releasePolicy }),
  };
}

function keyItem(call: DataPlaneCall, name: string, version: KeyVersion, versioned: boolean): Record<string, unknown> {
  return {
    kid: keyId(call, name, versioned ? version.version : undefined),
    attributes: keyAttributes(call, version.attributes),
    ...(version.tags === undefined ? {} : { tags: version.tags }),
    ...(version.managed === undefined ? {} : { managed: version.managed }),
  };
}

export function keyStore(call: DataPlaneCall): ObjectStore<KeyObject> {
  return {
    kind: "key",
    live: call.vault.keys,
    deleted: call.vault.deletedKeys,
    bundle: (c, key) => keyBundle(c, key.name, latest(key)),
    item: (c, key) => keyItem(c, key.name, latest(key), false),
  };
}

function findVersion(key: KeyObject, version: string): KeyVersion {
  if (version === "") return latest(key);
  const found = key.versions.find((candidate) => candidate.version.toLowerCase() === version.toLowerCase());
  if (found === undefined) fail(objectNotFound("key", `${key.name}/${version}`));
  return found;
}

function readKeyOps(value: unknown, kty: string): string[] {
  if (value === undefined || value === null) return [...(isRsa(kty) ? RSA_OPERATIONS : EC_OPERATIONS)];
  if (!Array.isArray(value) || value.some((op) => typeof op !== "string")) fail(badParameter("key_ops must be an array of strings."));
  return value as string[];
}

/** POST `/keys/{name}/create`: a new version with fresh key material. */
export async function createKey(call: DataPlaneCall, name: string): Promise<Response> {
  checkObjectName(name);
  const store = keyStore(call);
  assertNameWritable(call, store, name);
  const body = await readJsonObject(call);
  const kty = body["kty"];
  if (typeof kty !== "string") fail(badParameter("The key type (kty) is required."));
  const spec: KeySpec = {
    kty,
    keySize: typeof body["key_size"] === "number" ? body["key_size"] : undefined,
    curve: typeof body["crv"] === "string" ? body["crv"] : undefined,
    publicExponent: typeof body["public_exponent"] === "number" ? body["public_exponent"] : undefined,
  };
  const problem = keySpecProblem(spec);
  if (problem !== undefined) fail(badParameter(problem));
  if (kty.endsWith("-HSM") && call.vault.resource.properties.sku.name.toLowerCase() !== "premium") {
    fail(
      badParameter(`The key type ${kty} needs a premium vault; ${call.vault.resource.name} is ${call.vault.resource.properties.sku.name}.`)
    );
  }
  const existing = call.vault.keys.get(name);
  refuseManaged(store, existing, "create");
  const keyOps = readKeyOps(body["key_ops"], kty);
  const tags = readTags(body["tags"]);
  const generated = await generateKeyMaterial(spec);
  const version: KeyVersion = {
    version: call.ctx.ids.hex32(),
    key: { ...generated.jwk, key_ops: keyOps },
    privateKeyPem: privateKeyPemOf(generated),
    attributes: { enabled: true, created: call.nowSeconds, updated: call.nowSeconds },
    ...(tags === undefined ? {} : { tags }),
  };
  const attributesProblem = applyAttributesPatch(version.attributes, body["attributes"]);
  if (attributesProblem !== undefined) fail(badParameter(attributesProblem));
  // The generation above awaited: re-read the map so concurrent creates both land as versions.
  const current = call.vault.keys.get(name);
  if (current === undefined) call.vault.keys.set(name, { name, versions: [version] });
  else current.versions.push(version);
  return ok(call, keyBundle(call, current?.name ?? name, version));
}

/** GET `/keys/{name}/{version?}`: a disabled version answers 403 `KeyDisabled` like a disabled secret. */
export function getKey(call: DataPlaneCall, name: string, version: string): Response {
  const key = requireLive(call, keyStore(call), name);
  const found = findVersion(key, version);
  if (!found.attributes.enabled) fail(objectDisabled("key", "get"));
  return ok(call, keyBundle(call, key.name, found));
}

/** PATCH `/keys/{name}/{version}`: attributes, key_ops and tags. */
export async function updateKey(call: DataPlaneCall, name: string, version: string): Promise<Response> {
  const key = requireLive(call, keyStore(call), name);
  const found = findVersion(key, version);
  const body = await readJsonObject(call);
  if (found.managed === true) refuseManaged(keyStore(call), key, "update");
  const next = { ...found.attributes };
  const problem = applyAttributesPatch(next, body["attributes"]);
  if (problem !== undefined) fail(badParameter(problem));
  const tags = readTags(body["tags"]);
  if (body["key_ops"] !== undefined) found.key = { ...found.key, key_ops: readKeyOps(body["key_ops"], found.key.kty) };
  found.attributes = { ...next, updated: call.nowSeconds };
  if (tags !== undefined) found.tags = tags;
  return ok(call, keyBundle(call, key.name, found));
}

export function listKeys(call: DataPlaneCall): Response {
  return listLiveObjects(call, keyStore(call));
}

export function listKeyVersions(call: DataPlaneCall, name: string): Response {
  const key = findListable(call, keyStore(call), name);
  return ok(call, pageOf(call, key?.versions.map((version) => keyItem(call, key.name, version, true)) ?? []));
}

export function deleteKey(call: DataPlaneCall, name: string): Response {
  const key = requireLive(call, keyStore(call), name);
  refuseManaged(keyStore(call), key, "delete");
  return deleteObject(call, keyStore(call), name);
}

export const getDeletedKey = (call: DataPlaneCall, name: string): Response => getDeletedObject(call, keyStore(call), name);
export const listDeletedKeys = (call: DataPlaneCall): Response => listDeletedObjects(call, keyStore(call));
export function recoverDeletedKey(call: DataPlaneCall, name: string): Response {
  refuseManaged(keyStore(call), call.vault.deletedKeys.get(name)?.object, "recover");
  return recoverObject(call, keyStore(call), name);
}
export function purgeDeletedKey(call: DataPlaneCall, name: string): Response {
  refuseManaged(keyStore(call), call.vault.deletedKeys.get(name)?.object, "purge");
  return purgeObject(call, keyStore(call), name);
}

/** The Notify action Key Vault adds to every rotation policy that lacks one (recorded). */
const DEFAULT_NOTIFY = { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" } } as const;
const MIN_EXPIRY_DAYS = 28;

function rotationPolicyBody(call: DataPlaneCall, name: string, policy: KeyRotationPolicy | undefined): Record<string, unknown> {
  const id = `${keyId(call, name)}/rotationpolicy`;
  if (policy === undefined) return { id, lifetimeActions: [DEFAULT_NOTIFY], attributes: {} };
  return { id, lifetimeActions: policy.lifetimeActions, attributes: policy.attributes ?? {} };
}

/** POST `/keys/{name}/rotate`: a new version of the same type, size and curve; `exp` from the policy's `expiryTime`. */
export async function rotateKey(call: DataPlaneCall, name: string): Promise<Response> {
  const key = requireLive(call, keyStore(call), name);
  const current = latest(key);
  refuseManaged(keyStore(call), key, "rotate");
  const material = await generateKeyMaterial(keySpecOf(current.key));
  const version: KeyVersion = {
    version: call.ctx.ids.hex32(),
    key: { ...material.jwk, ...(current.key.key_ops === undefined ? {} : { key_ops: [...current.key.key_ops] }) },
    privateKeyPem: privateKeyPemOf(material),
    attributes: { enabled: true, created: call.nowSeconds, updated: call.nowSeconds },
    ...(current.tags === undefined ? {} : { tags: { ...current.tags } }),
  };
  const expiryTime = key.rotationPolicy?.attributes?.expiryTime;
  const expiry = expiryTime === undefined ? undefined : parseIsoDuration(expiryTime);
  if (expiry !== undefined) version.attributes.exp = Math.floor(addIsoDuration(new Date(call.nowMs), expiry).getTime() / 1000);
  key.versions.push(version);
  return ok(call, keyBundle(call, key.name, version));
}

export function getKeyRotationPolicy(call: DataPlaneCall, name: string): Response {
  const key = requireLive(call, keyStore(call), name);
  return ok(call, rotationPolicyBody(call, key.name, key.rotationPolicy));
}

function readLifetimeActions(value: unknown, expiryTime: string | undefined): KeyRotationPolicy["lifetimeActions"] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(badParameter("lifetimeActions must be an array."));
  return value.map((entry: unknown, index) => {
    const trigger = (entry as { trigger?: { timeAfterCreate?: unknown; timeBeforeExpiry?: unknown } } | null)?.trigger;
    const type = (entry as { action?: { type?: unknown } } | null)?.action?.type;
    const after = trigger?.timeAfterCreate;
    const before = trigger?.timeBeforeExpiry;
    if ((after === undefined) === (before === undefined)) {
      fail(badParameter(`lifetimeActions[${index}].trigger must set exactly one of timeAfterCreate and timeBeforeExpiry.`));
    }
    const duration = after ?? before;
    if (typeof duration !== "string" || parseIsoDuration(duration) === undefined) {
      fail(badParameter(`lifetimeActions[${index}].trigger has an invalid ISO 8601 duration: ${String(duration)}.`));
    }
    if (typeof type !== "string" || !["rotate", "notify"].includes(type.toLowerCase())) {
      fail(badParameter(`lifetimeActions[${index}].action.type must be Rotate or Notify.`));
    }
    if (before !== undefined && expiryTime === undefined) {
      fail(badParameter(`lifetimeActions[${index}] uses timeBeforeExpiry, which needs attributes.expiryTime.`));
    }
    return {
      trigger: after === undefined ? { timeBeforeExpiry: duration } : { timeAfterCreate: duration },
      action: { type: type.toLowerCase() === "rotate" ? "Rotate" : "Notify" },
    };
  });
}

/** PUT `/keys/{name}/rotationpolicy`: validated, with the default Notify action added when none is given. */
export async function updateKeyRotationPolicy(call: DataPlaneCall, name: string): Promise<Response> {
  const key = requireLive(call, keyStore(call), name);
  const body = await readJsonObject(call);
  const attributes = (body["attributes"] ?? {}) as { expiryTime?: unknown };
  const expiryTime = attributes.expiryTime;
  if (expiryTime !== undefined && expiryTime !== null) {
    const parsed = typeof expiryTime === "string" ? parseIsoDuration(expiryTime) : undefined;
    if (parsed === undefined) fail(badParameter(`attributes.expiryTime is not an ISO 8601 duration: ${JSON.stringify(expiryTime)}.`));
    const start = new Date(call.nowMs);
    if (addIsoDuration(start, parsed).getTime() - start.getTime() < MIN_EXPIRY_DAYS * 86_400_000) {
      fail(badParameter(`attributes.expiryTime must be at least ${MIN_EXPIRY_DAYS} days (P${MIN_EXPIRY_DAYS}D).`));
    }
  }
  const expiry = typeof expiryTime === "string" ? expiryTime : undefined;
  const actions = readLifetimeActions(body["lifetimeActions"], expiry);
  if (!actions.some((action) => action.action.type === "Notify"))
    actions.push({ ...DEFAULT_NOTIFY, trigger: { ...DEFAULT_NOTIFY.trigger }, action: { ...DEFAULT_NOTIFY.action } });
  const created = key.rotationPolicy?.attributes?.created ?? call.nowSeconds;
  key.rotationPolicy = {
    lifetimeActions: actions,
    attributes: { ...(expiry === undefined ? {} : { expiryTime: expiry }), created, updated: call.nowSeconds },
  };
  return ok(call, rotationPolicyBody(call, key.name, key.rotationPolicy));
}
