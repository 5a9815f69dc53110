import { badParameter } from "./key-vault-errors.js";
import { fail, type DataPlaneCall } from "./data-plane-call.js";
import {
  createKey,
  deleteKey,
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

/** `/{collection}` (an optional trailing slash included) lists. */
const isListPath = (rest: readonly string[]): boolean => rest.length === 0 || (rest.length === 1 && rest[0] === "");

function secretRoutes(method: string, rest: readonly string[]): Operation | undefined {
  if (isListPath(rest)) return method === "GET" ? listSecrets : undefined;
  const [name = "", third, fourth] = rest;
  if (fourth !== undefined) return undefined;
  if (third === undefined) {
    if (method === "PUT") return (c) => setSecret(c, name);
    if (method === "DELETE") return (c) => deleteSecret(c, name);
    if (method === "GET") return (c) => getSecret(c, name, "");
    return undefined;
  }
  if (third === "versions" && method === "GET") return (c) => listSecretVersions(c, name);
  if (method === "GET") return (c) => getSecret(c, name, third);
  if (method === "PATCH") return (c) => updateSecret(c, name, third);
  return undefined;
}

function keyRoutes(method: string, rest: readonly string[]): Operation | undefined {
  if (isListPath(rest)) return method === "GET" ? listKeys : undefined;
  const [name = "", third, fourth] = rest;
  if (fourth !== undefined) return undefined;
  if (third === undefined) {
    if (method === "DELETE") return (c) => deleteKey(c, name);
    if (method === "GET") return (c) => getKey(c, name, "");
    return undefined;
  }
  if (third === "create") return method === "POST" ? (c) => createKey(c, name) : undefined;
  if (third === "rotate") return method === "POST" ? (c) => rotateKey(c, name) : undefined;
  if (third === "versions" && method === "GET") return (c) => listKeyVersions(c, name);
  if (third === "rotationpolicy") {
    if (method === "GET") return (c) => getKeyRotationPolicy(c, name);
    if (method === "PUT") return (c) => updateKeyRotationPolicy(c, name);
    return undefined;
  }
  if (method === "GET") return (c) => getKey(c, name, third);
  if (method === "PATCH") return (c) => updateKey(c, name, third);
  return undefined;
}

function certificateRoutes(method: string, rest: readonly string[]): Operation | undefined {
  if (isListPath(rest)) return method === "GET" ? listCertificates : undefined;
  const [name = "", third, fourth] = rest;
  if (fourth !== undefined) return undefined;
  if (third === undefined) {
    if (method === "DELETE") return (c) => deleteCertificate(c, name);
    if (method === "GET") return (c) => getCertificate(c, name, "");
    return undefined;
  }
  if (third === "create") return method === "POST" ? (c) => createCertificate(c, name) : undefined;
  if (third === "versions") return method === "GET" ? (c) => listCertificateVersions(c, name) : undefined;
  if (third === "policy") {
    if (method === "GET") return (c) => getCertificatePolicy(c, name);
    if (method === "PATCH") return (c) => updateCertificatePolicy(c, name);
    return undefined;
  }
  if (third === "pending") {
    if (method === "GET") return (c) => getCertificateOperation(c, name);
    if (method === "PATCH") return (c) => cancelCertificateOperation(c, name);
    if (method === "DELETE") return (c) => deleteCertificateOperation(c, name);
    return undefined;
  }
  if (method === "GET") return (c) => getCertificate(c, name, third);
  if (method === "PATCH") return (c) => updateCertificate(c, name, third);
  return undefined;
}

interface DeletedRoutes {
  list: Operation;
  get(call: DataPlaneCall, name: string): Response;
  purge(call: DataPlaneCall, name: string): Response;
  recover(call: DataPlaneCall, name: string): Response;
}

function deletedRoutes(routes: DeletedRoutes, method: string, rest: readonly string[]): Operation | undefined {
  if (isListPath(rest)) return method === "GET" ? routes.list : undefined;
  const [name = "", action, extra] = rest;
  if (extra !== undefined) return undefined;
  if (action === undefined) {
    if (method === "GET") return (c) => routes.get(c, name);
    if (method === "DELETE") return (c) => routes.purge(c, name);
    return undefined;
  }
  if (action === "recover" && method === "POST") return (c) => routes.recover(c, name);
  return undefined;
}

const DELETED_SECRETS: DeletedRoutes = { list: listDeletedSecrets, get: getDeletedSecret, purge: purgeDeletedSecret, recover: recoverDeletedSecret };
const DELETED_KEYS: DeletedRoutes = { list: listDeletedKeys, get: getDeletedKey, purge: purgeDeletedKey, recover: recoverDeletedKey };
const DELETED_CERTIFICATES: DeletedRoutes = {
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

/**
 * Runs the operation a method and decoded path name, laid out like the 7.5 spec's paths. Anything else (backup,
 * restore, crypto operations, issuers, contacts, import) answers 400 naming what the fake does not serve, never a
 * made-up 200.
 */
export async function routeDataPlaneCall(call: DataPlaneCall): Promise<Response> {
  const operation = operationFor(call.request.method.toUpperCase(), call.segments);
  if (operation === undefined) {
    return fail(
      badParameter(
        `The fake Key Vault does not serve ${call.request.method.toUpperCase()} ${call.url.pathname}. See the "Key Vault data plane" section of the @keywarden/testing README for the operations it serves.`,
      ),
    );
  }
  return operation(call);
}
