import { fail, type DataPlaneCall } from "./data-plane-call.js";
import { checkDataAccess } from "./data-access.js";
import { backupObject, restoreObject } from "./backup-operations.js";
import { signDigest, verifyDigest } from "./key-signing.js";
import type { ObjectKind } from "./object-kind.js";
import {
  createKey,
  deleteKey,
  keyStore,
  getDeletedKey,
  getKey,
  getKeyRotationPolicy,
  listDeletedKeys,
  listKeys,
  listKeyVersions,
  purgeDeletedKey,
  recoverDeletedKey,
  rotateKey,
  updateKey,
  updateKeyRotationPolicy,
} from "./key-operations.js";
import {
  deleteSecret,
  secretStore,
  getDeletedSecret,
  getSecret,
  listDeletedSecrets,
  listSecrets,
  listSecretVersions,
  purgeDeletedSecret,
  recoverDeletedSecret,
  setSecret,
  updateSecret,
} from "./secret-operations.js";
import {
  cancelCertificateOperation,
  certificateStore,
  createCertificate,
  deleteCertificate,
  deleteCertificateOperation,
  getCertificate,
  getCertificateOperation,
  getCertificatePolicy,
  getDeletedCertificate,
  listCertificates,
  listCertificateVersions,
  listDeletedCertificates,
  purgeDeletedCertificate,
  recoverDeletedCertificate,
  updateCertificate,
  updateCertificatePolicy,
} from "./certificate-operations.js";

type Operation = (call: DataPlaneCall) => Response | Promise<Response>;

const DATA_ACTION_PREFIX = "Microsoft.KeyVault/vaults";

/**
 * An operation behind the vault's data-access check: the access-policy permission the 7.5 spec names for it and the
 * RBAC data action (`Microsoft.KeyVault/vaults/{secrets|keys|certificates}/...`).
 */
function guarded(kind: ObjectKind, permission: string, dataAction: string, objectName: string | undefined, run: Operation): Operation {
  const need = { kind, permission, dataAction: `${DATA_ACTION_PREFIX}/${dataAction}`, objectName };
  return (call) => {
    const refusal = checkDataAccess(call.ctx.state, call.vault, call.claims, need);
    if (refusal !== undefined) fail(refusal);
    return run(call);
  };
}

/** `/{collection}` (an optional trailing slash included) lists. */
const isListPath = (rest: readonly string[]): boolean => rest.length === 0 || (rest.length === 1 && rest[0] === "");

function secretRoutes(method: string, rest: readonly string[]): Operation | undefined {
  const s = (permission: string, action: string, name: string | undefined, run: Operation): Operation =>
    guarded("secret", permission, `secrets/${action}`, name, run);
  if (isListPath(rest)) return method === "GET" ? s("list", "readMetadata/action", undefined, listSecrets) : undefined;
  const [name = "", third, fourth] = rest;
  if (fourth !== undefined) return undefined;
  if (third === undefined) {
    if (name === "restore" && method === "POST") return s("restore", "restore/action", undefined, (c) => restoreObject(c, secretStore(c)));
    if (method === "PUT") return s("set", "setSecret/action", name, (c) => setSecret(c, name));
    if (method === "DELETE") return s("delete", "delete", name, (c) => deleteSecret(c, name));
    if (method === "GET") return s("get", "getSecret/action", name, (c) => getSecret(c, name, ""));
    return undefined;
  }
  if (third === "versions" && method === "GET") return s("list", "readMetadata/action", name, (c) => listSecretVersions(c, name));
  if (third === "backup")
    return method === "POST" ? s("backup", "backup/action", name, (c) => backupObject(c, secretStore(c), name)) : undefined;
  if (method === "GET") return s("get", "getSecret/action", name, (c) => getSecret(c, name, third));
  if (method === "PATCH") return s("set", "update/action", name, (c) => updateSecret(c, name, third));
  return undefined;
}

function keyRoutes(method: string, rest: readonly string[]): Operation | undefined {
  const k = (permission: string, action: string, name: string | undefined, run: Operation): Operation =>
    guarded("key", permission, action, name, run);
  if (isListPath(rest)) return method === "GET" ? k("list", "keys/read", undefined, listKeys) : undefined;
  const [name = "", third, fourth, fifth] = rest;
  // Crypto operations on one version: POST /keys/{name}/{version}/sign | verify.
  if (fourth === "sign" && fifth === undefined && third !== undefined && third !== "") {
    return method === "POST" ? k("sign", "keys/sign/action", name, (c) => signDigest(c, name, third)) : undefined;
  }
  if (fourth === "verify" && fifth === undefined && third !== undefined && third !== "") {
    return method === "POST" ? k("verify", "keys/verify/action", name, (c) => verifyDigest(c, name, third)) : undefined;
  }
  if (fourth !== undefined) return undefined;
  if (third === undefined) {
    if (name === "restore" && method === "POST")
      return k("restore", "keys/restore/action", undefined, (c) => restoreObject(c, keyStore(c)));
    if (method === "DELETE") return k("delete", "keys/delete", name, (c) => deleteKey(c, name));
    if (method === "GET") return k("get", "keys/read", name, (c) => getKey(c, name, ""));
    return undefined;
  }
  if (third === "create") return method === "POST" ? k("create", "keys/create/action", name, (c) => createKey(c, name)) : undefined;
  if (third === "backup")
    return method === "POST" ? k("backup", "keys/backup/action", name, (c) => backupObject(c, keyStore(c), name)) : undefined;
  if (third === "rotate") return method === "POST" ? k("rotate", "keys/rotate/action", name, (c) => rotateKey(c, name)) : undefined;
  if (third === "versions" && method === "GET") return k("list", "keys/read", name, (c) => listKeyVersions(c, name));
  if (third === "rotationpolicy") {
    if (method === "GET") return k("get", "keyrotationpolicies/read", name, (c) => getKeyRotationPolicy(c, name));
    if (method === "PUT") return k("update", "keyrotationpolicies/write", name, (c) => updateKeyRotationPolicy(c, name));
    return undefined;
  }
  if (method === "GET") return k("get", "keys/read", name, (c) => getKey(c, name, third));
  if (method === "PATCH") return k("update", "keys/update/action", name, (c) => updateKey(c, name, third));
  return undefined;
}

function certificateRoutes(method: string, rest: readonly string[]): Operation | undefined {
  const cert = (permission: string, action: string, name: string | undefined, run: Operation): Operation =>
    guarded("certificate", permission, `certificates/${action}`, name, run);
  if (isListPath(rest)) return method === "GET" ? cert("list", "read", undefined, listCertificates) : undefined;
  const [name = "", third, fourth] = rest;
  if (fourth !== undefined) return undefined;
  if (third === undefined) {
    if (name === "restore" && method === "POST") return cert("restore", "restore/action", undefined, (c) => restoreObject(c, certificateStore(c)));
    if (method === "DELETE") return cert("delete", "delete", name, (c) => deleteCertificate(c, name));
    if (method === "GET") return cert("get", "read", name, (c) => getCertificate(c, name, ""));
    return undefined;
  }
  if (third === "create") return method === "POST" ? cert("create", "create/action", name, (c) => createCertificate(c, name)) : undefined;
  if (third === "backup")
    return method === "POST" ? cert("backup", "backup/action", name, (c) => backupObject(c, certificateStore(c), name)) : undefined;
  if (third === "versions") return method === "GET" ? cert("list", "read", name, (c) => listCertificateVersions(c, name)) : undefined;
  if (third === "policy") {
    if (method === "GET") return cert("get", "read", name, (c) => getCertificatePolicy(c, name));
    if (method === "PATCH") return cert("update", "update/action", name, (c) => updateCertificatePolicy(c, name));
    return undefined;
  }
  if (third === "pending") {
    if (method === "GET") return cert("get", "read", name, (c) => getCertificateOperation(c, name));
    if (method === "PATCH") return cert("update", "update/action", name, (c) => cancelCertificateOperation(c, name));
    if (method === "DELETE") return cert("update", "update/action", name, (c) => deleteCertificateOperation(c, name));
    return undefined;
  }
  if (method === "GET") return cert("get", "read", name, (c) => getCertificate(c, name, third));
  if (method === "PATCH") return cert("update", "update/action", name, (c) => updateCertificate(c, name, third));
  return undefined;
}

interface DeletedRoutes {
  kind: ObjectKind;
  /** RBAC data actions: reading deleted objects, recovering, purging. */
  actions: { read: string; recover: string; purge: string };
  list: Operation;
  get(call: DataPlaneCall, name: string): Response;
  purge(call: DataPlaneCall, name: string): Response;
  recover(call: DataPlaneCall, name: string): Response;
}

function deletedRoutes(routes: DeletedRoutes, method: string, rest: readonly string[]): Operation | undefined {
  const { kind, actions } = routes;
  if (isListPath(rest)) return method === "GET" ? guarded(kind, "list", actions.read, undefined, routes.list) : undefined;
  const [name = "", action, extra] = rest;
  if (extra !== undefined) return undefined;
  if (action === undefined) {
    if (method === "GET") return guarded(kind, "get", actions.read, name, (c) => routes.get(c, name));
    if (method === "DELETE") return guarded(kind, "purge", actions.purge, name, (c) => routes.purge(c, name));
    return undefined;
  }
  if (action === "recover" && method === "POST") return guarded(kind, "recover", actions.recover, name, (c) => routes.recover(c, name));
  return undefined;
}

const DELETED_SECRETS: DeletedRoutes = {
  kind: "secret",
  actions: { read: "secrets/readMetadata/action", recover: "secrets/recover/action", purge: "secrets/purge/action" },
  list: listDeletedSecrets,
  get: getDeletedSecret,
  purge: purgeDeletedSecret,
  recover: recoverDeletedSecret,
};
const DELETED_KEYS: DeletedRoutes = {
  kind: "key",
  actions: { read: "keys/read", recover: "keys/recover/action", purge: "keys/purge/action" },
  list: listDeletedKeys,
  get: getDeletedKey,
  purge: purgeDeletedKey,
  recover: recoverDeletedKey,
};
const DELETED_CERTIFICATES: DeletedRoutes = {
  kind: "certificate",
  actions: { read: "certificates/read", recover: "certificates/recover/action", purge: "certificates/purge/action" },
  list: listDeletedCertificates,
  get: getDeletedCertificate,
  purge: purgeDeletedCertificate,
  recover: recoverDeletedCertificate,
};

function operationFor(method: string, segments: readonly string[]): Operation | undefined {
  const [collection = "", ...rest] = segments;
  switch (collection.toLowerCase()) {
    case "secrets":
      return secretRoutes(method, rest);
    case "deletedsecrets":
      return deletedRoutes(DELETED_SECRETS, method, rest);
    case "keys":
      return keyRoutes(method, rest);
    case "deletedkeys":
      return deletedRoutes(DELETED_KEYS, method, rest);
    case "certificates":
      return certificateRoutes(method, rest);
    case "deletedcertificates":
      return deletedRoutes(DELETED_CERTIFICATES, method, rest);
    default:
      return undefined;
  }
}

const COLLECTIONS = new Set(["secrets", "keys", "certificates", "deletedsecrets", "deletedkeys", "deletedcertificates"]);

/** `PUT /secrets/`, `POST /certificates//create`: an object operation whose name segment is empty. */
function addressesEmptyName(method: string, segments: readonly string[]): boolean {
  const [collection = "", name, ...rest] = segments;
  if (!COLLECTIONS.has(collection.toLowerCase()) || name !== "") return false;
  return rest.length > 0 || method !== "GET";
}

/**
 * Runs the operation a method and decoded path name, laid out like the 7.5 spec's paths. Anything else (crypto
 * operations other than sign and verify, issuers, contacts, import) answers 501 naming what the fake does not model,
 * never a made-up 200.
 */
export async function routeDataPlaneCall(call: DataPlaneCall): Promise<Response> {
  const method = call.request.method.toUpperCase();
  if (addressesEmptyName(method, call.segments)) {
    // Recorded (Azure SDK for JS test-proxy recordings `recording_cannot_create_a_{secret,certificate}_with_an_empty_name`):
    // `PUT /secrets/` and `POST /certificates//create` reach no operation, and the service answers 405.
    // `POST /keys//create` is read as `POST /keys/create`, a key operation with no operation after the name (keys
    // take `POST /keys/{name}/{version}/{operation}`): 400 (`recording_cannot_create_a_key_with_an_empty_name`).
    if (method === "POST" && call.segments[0]?.toLowerCase() === "keys") {
      return fail({ status: 400, code: "BadParameter", message: "Operation not specified" });
    }
    return fail({ status: 405, code: "MethodNotAllowed", message: `HTTP ${method} not allowed` });
  }
  const operation = operationFor(method, call.segments);
  if (operation === undefined) {
    return fail({
      status: 501,
      code: "FakeAzureUnsupportedRequest",
      message: `The fake Key Vault does not model ${call.request.method.toUpperCase()} ${
        call.url.pathname
      }. See the "Key Vault data plane" section of the @keywarden/testing README for the operations it serves.`,
    });
  }
  return operation(call);
}
