import type { SecretObject, SecretVersion } from "../state/data-plane-types.js";
import { applyAttributesPatch, serveAttributes } from "./object-attributes.js";
import { badParameter, objectDisabled, objectNotFound } from "./key-vault-errors.js";
import { checkObjectName, fail, ok, optionalString, readJsonObject, readTags, type DataPlaneCall } from "./data-plane-call.js";
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

/** Secrets: `SecretBundle`/`SecretItem` serialisers and the operations of the 7.5 `secrets.json`. */

export function secretId(call: DataPlaneCall, name: string, version?: string): string {
  return version === undefined ? `${call.vaultUrl}/secrets/${name}` : `${call.vaultUrl}/secrets/${name}/${version}`;
}

function latest(secret: SecretObject): SecretVersion {
  const version = secret.versions.at(-1);
  if (version === undefined) throw new Error(`Secret ${secret.name} has no versions; the state is inconsistent.`);
  return version;
}

/** `SecretBundle`; the value only where the service returns it (set and get). */
export function secretBundle(call: DataPlaneCall, name: string, version: SecretVersion, withValue: boolean): Record<string, unknown> {
  return {
    ...(withValue ? { value: version.value } : {}),
    id: secretId(call, name, version.version),
    ...(version.contentType === undefined ? {} : { contentType: version.contentType }),
    attributes: serveAttributes(version.attributes, call.vault.resource),
    ...(version.tags === undefined ? {} : { tags: version.tags }),
    ...(version.kid === undefined ? {} : { kid: version.kid }),
    ...(version.managed === undefined ? {} : { managed: version.managed }),
  };
}

function secretItem(call: DataPlaneCall, name: string, version: SecretVersion, versioned: boolean): Record<string, unknown> {
  return {
    id: secretId(call, name, versioned ? version.version : undefined),
    attributes: serveAttributes(version.attributes, call.vault.resource),
    ...(version.contentType === undefined ? {} : { contentType: version.contentType }),
    ...(version.tags === undefined ? {} : { tags: version.tags }),
    ...(version.managed === undefined ? {} : { managed: version.managed }),
  };
}

export function secretStore(call: DataPlaneCall): ObjectStore<SecretObject> {
  return {
    kind: "secret",
    live: call.vault.secrets,
    deleted: call.vault.deletedSecrets,
    bundle: (c, secret) => secretBundle(c, secret.name, latest(secret), false),
    item: (c, secret) => secretItem(c, secret.name, latest(secret), false),
  };
}

function findVersion(call: DataPlaneCall, secret: SecretObject, version: string): SecretVersion {
  if (version === "") return latest(secret);
  const found = secret.versions.find((candidate) => candidate.version.toLowerCase() === version.toLowerCase());
  if (found === undefined) fail(objectNotFound("secret", `${secret.name}/${version}`));
  return found;
}

/** PUT `/secrets/{name}`: a new version (the first one creates the secret). */
export async function setSecret(call: DataPlaneCall, name: string): Promise<Response> {
  checkObjectName(name);
  const store = secretStore(call);
  assertNameWritable(call, store, name);
  const body = await readJsonObject(call);
  const value = body["value"];
  if (typeof value !== "string") fail(badParameter("The secret value is required and must be a string."));
  const existing = call.vault.secrets.get(name);
  refuseManaged(store, existing, "set");
  const contentType = optionalString(body["contentType"], "contentType");
  const tags = readTags(body["tags"]);
  const version: SecretVersion = {
    version: call.ctx.ids.hex32(),
    value,
    attributes: { enabled: true, created: call.nowSeconds, updated: call.nowSeconds },
    ...(contentType === undefined ? {} : { contentType }),
    ...(tags === undefined ? {} : { tags }),
  };
  const problem = applyAttributesPatch(version.attributes, body["attributes"]);
  if (problem !== undefined) fail(badParameter(problem));
  if (existing === undefined) call.vault.secrets.set(name, { name, versions: [version] });
  else existing.versions.push(version);
  return ok(call, secretBundle(call, existing?.name ?? name, version, true));
}

/** GET `/secrets/{name}/{version?}`: 403 `SecretDisabled` for a disabled version, as recorded. */
export function getSecret(call: DataPlaneCall, name: string, version: string): Response {
  const secret = requireLive(call, secretStore(call), name);
  const found = findVersion(call, secret, version);
  if (!found.attributes.enabled) fail(objectDisabled("secret", "get"));
  return ok(call, secretBundle(call, secret.name, found, true));
}

/** PATCH `/secrets/{name}/{version}`: attributes, content type and tags; never the value. */
export async function updateSecret(call: DataPlaneCall, name: string, version: string): Promise<Response> {
  const secret = requireLive(call, secretStore(call), name);
  const found = findVersion(call, secret, version);
  const body = await readJsonObject(call);
  if (found.managed === true) refuseManaged(secretStore(call), secret, "update");
  const next = { ...found.attributes };
  const problem = applyAttributesPatch(next, body["attributes"]);
  if (problem !== undefined) fail(badParameter(problem));
  const contentType = optionalString(body["contentType"], "contentType");
  const tags = readTags(body["tags"]);
  found.attributes = { ...next, updated: call.nowSeconds };
  if (contentType !== undefined) found.contentType = contentType;
  if (tags !== undefined) found.tags = tags;
  return ok(call, secretBundle(call, secret.name, found, false));
}

/** GET `/secrets`: one item per secret (latest version's attributes, id without version). */
export function listSecrets(call: DataPlaneCall): Response {
  return listLiveObjects(call, secretStore(call));
}

/** GET `/secrets/{name}/versions`. */
export function listSecretVersions(call: DataPlaneCall, name: string): Response {
  const secret = findListable(call, secretStore(call), name);
  return ok(call, pageOf(call, secret?.versions.map((version) => secretItem(call, secret.name, version, true)) ?? []));
}

export function deleteSecret(call: DataPlaneCall, name: string): Response {
  const secret = requireLive(call, secretStore(call), name);
  refuseManaged(secretStore(call), secret, "delete");
  return deleteObject(call, secretStore(call), name);
}

export const getDeletedSecret = (call: DataPlaneCall, name: string): Response => getDeletedObject(call, secretStore(call), name);
export const listDeletedSecrets = (call: DataPlaneCall): Response => listDeletedObjects(call, secretStore(call));
export function recoverDeletedSecret(call: DataPlaneCall, name: string): Response {
  refuseManaged(secretStore(call), call.vault.deletedSecrets.get(name)?.object, "recover");
  return recoverObject(call, secretStore(call), name);
}
export function purgeDeletedSecret(call: DataPlaneCall, name: string): Response {
  refuseManaged(secretStore(call), call.vault.deletedSecrets.get(name)?.object, "purge");
  return purgeObject(call, secretStore(call), name);
}
