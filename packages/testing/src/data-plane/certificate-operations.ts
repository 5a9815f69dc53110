import { X509Certificate, type KeyObject as CryptoKeyObject } from "node:crypto";
import type { CaseInsensitiveMap } from "../state/case-insensitive-map.js";
import type {
  CertificateDraftVersion,
  CertificateObject,
  CertificatePendingOperation,
  CertificateVersion,
  DeletedObject,
  KeyObject,
  ObjectAttributes,
  SecretObject,
} from "../state/data-plane-types.js";
import { keyOperationsFor, PEM, resolveCertificatePolicy } from "./certificate-policy.js";
import { applyAttributesPatch, serveAttributes } from "./object-attributes.js";
import { badParameter, objectNotFound } from "./key-vault-errors.js";
import { checkObjectName, fail, ok, readJsonObject, readTags, type DataPlaneCall } from "./data-plane-call.js";
import { generateKeyMaterial } from "./key-material.js";
import { keyId } from "./key-operations.js";
import { byName, pageOf } from "./paging.js";
import { createPkcs12 } from "./pkcs12.js";
import { secretId } from "./secret-operations.js";
import {
  assertNameWritable,
  deleteObject,
  findListable,
  getDeletedObject,
  listDeletedObjects,
  purgeObject,
  recoverObject,
  requireLive,
  type ObjectStore,
} from "./soft-delete-operations.js";
import { startPurge } from "./object-lifecycle.js";
import { createCertificateSigningRequest, createSelfSignedCertificate, thumbprintOf } from "./x509.js";

/**
 * Certificates. A certificate is three objects with one name and one version id: the certificate, a managed key
 * (its key pair) and a managed secret (its private key and certificate as PKCS#12 or PEM). Creating a version is an
 * operation at `/certificates/{name}/pending` that a self-signed issuer completes after the vault's
 * `certificateIssueDelayMs`; other issuers stay `inProgress` (they would need a merge, which the fake does not serve).
 */

export function certificateId(call: DataPlaneCall, name: string, version?: string): string {
  return version === undefined ? `${call.vaultUrl}/certificates/${name}` : `${call.vaultUrl}/certificates/${name}/${version}`;
}

/**
 * Key pairs generated for pending operations (their CSR) until the version is issued, keyed by the operation object
 * itself: no collisions between tenants that share an id seed, and nothing kept once the operation is gone.
 */
const pendingKeys = new WeakMap<CertificatePendingOperation, { privateKey: CryptoKeyObject; publicKey: CryptoKeyObject }>();

function contentTypeOf(certificate: CertificateObject): string {
  return certificate.policy?.secret_props?.contentType ?? "application/x-pkcs12";
}

const isIssued = (version: CertificateVersion | CertificateDraftVersion): version is CertificateVersion => "cer" in version;

/**
 * `CertificateBundle`. As recorded (Azure SDK for JS test-proxy recordings, `certificates_client__lro__create`): no
 * `contentType` (the secret carries it), and a `pending` link while the certificate's create operation exists, also
 * after it completed. A draft (the version of an operation still in progress) has no `cer`, `x5t`, `kid` or `sid`.
 */
export function certificateBundle(
  call: DataPlaneCall,
  certificate: CertificateObject,
  version: CertificateVersion | CertificateDraftVersion,
  withPolicy: boolean
): Record<string, unknown> {
  return {
    id: certificateId(call, certificate.name, version.version),
    ...(isIssued(version)
      ? {
          kid: keyId(call, certificate.name, version.version),
          sid: secretId(call, certificate.name, version.version),
          x5t: version.x5t,
          cer: version.cer,
        }
      : {}),
    attributes: serveAttributes(version.attributes, call.vault.resource),
    ...(version.tags === undefined ? {} : { tags: version.tags }),
    ...(withPolicy && certificate.policy !== undefined ? { policy: certificate.policy } : {}),
    ...(withPolicy && certificate.pending !== undefined ? { pending: { id: `${certificateId(call, certificate.name)}/pending` } } : {}),
  };
}

function certificateItem(
  call: DataPlaneCall,
  certificate: CertificateObject,
  version: CertificateVersion | CertificateDraftVersion,
  versioned: boolean
): Record<string, unknown> {
  return {
    id: certificateId(call, certificate.name, versioned ? version.version : undefined),
    attributes: serveAttributes(version.attributes, call.vault.resource),
    ...(version.tags === undefined ? {} : { tags: version.tags }),
    ...(isIssued(version) ? { x5t: version.x5t } : {}),
  };
}

function latest(certificate: CertificateObject): CertificateVersion | undefined {
  return certificate.versions.at(-1);
}

/** The latest issued version, else the draft of the first create operation (a certificate always has one of them). */
function requireLatest(certificate: CertificateObject): CertificateVersion | CertificateDraftVersion {
  const version = latest(certificate) ?? certificate.draft;
  if (version === undefined) fail(objectNotFound("certificate", certificate.name));
  return version;
}

/** A certificate's managed key or secret: a live and a deleted store holding objects of the same name. */
interface Companion<
  T extends {
    name: string;
    visibleAt?: number;
    versions: { managed?: boolean }[];
  }
> {
  live: CaseInsensitiveMap<T>;
  deleted: CaseInsensitiveMap<DeletedObject<T>>;
}

/** Moves a managed companion out of the live store, into the deleted one when the certificate was soft-deleted. */
function deleteCompanion<
  T extends {
    name: string;
    visibleAt?: number;
    versions: { managed?: boolean }[];
  }
>(companion: Companion<T>, name: string, deletion: DeletedObject<unknown> | undefined): void {
  const object = companion.live.get(name);
  if (object === undefined || object.versions.at(-1)?.managed !== true) return;
  companion.live.delete(name);
  if (deletion !== undefined) {
    companion.deleted.set(object.name, {
      object,
      deletedDate: deletion.deletedDate,
      scheduledPurgeDate: deletion.scheduledPurgeDate,
      ...(deletion.visibleAt === undefined ? {} : { visibleAt: deletion.visibleAt }),
    });
  }
}

/** Brings a companion back with its certificate, readable when the certificate is. */
function recoverCompanion<
  T extends {
    name: string;
    visibleAt?: number;
    versions: { managed?: boolean }[];
  }
>(companion: Companion<T>, name: string, visibleAt: number | undefined): void {
  const entry = companion.deleted.get(name);
  if (entry === undefined) return;
  companion.deleted.delete(name);
  const object = entry.object;
  if (visibleAt === undefined) delete object.visibleAt;
  else object.visibleAt = visibleAt;
  companion.live.set(object.name, object);
}

/** The certificate store: the managed key and secret follow their certificate through delete, recover and purge. */
export function certificateStore(call: DataPlaneCall): ObjectStore<CertificateObject> {
  const secrets: Companion<SecretObject> = {
    live: call.vault.secrets,
    deleted: call.vault.deletedSecrets,
  };
  const keys: Companion<KeyObject> = {
    live: call.vault.keys,
    deleted: call.vault.deletedKeys,
  };
  return {
    kind: "certificate",
    live: call.vault.certificates,
    deleted: call.vault.deletedCertificates,
    bundle: (c, certificate) => certificateBundle(c, certificate, requireLatest(certificate), true),
    item: (c, certificate) => certificateItem(c, certificate, requireLatest(certificate), false),
    afterDelete(c, certificate, softDeleted) {
      delete certificate.pending;
      const deletion = softDeleted ? c.vault.deletedCertificates.get(certificate.name) : undefined;
      deleteCompanion(secrets, certificate.name, deletion);
      deleteCompanion(keys, certificate.name, deletion);
    },
    afterRecover(_c, certificate) {
      recoverCompanion(secrets, certificate.name, certificate.visibleAt);
      recoverCompanion(keys, certificate.name, certificate.visibleAt);
    },
    afterPurge(c, certificate) {
      // The managed secret and key go with their certificate, names included, for as long as its purge runs.
      for (const kind of ["secret", "key"] as const) {
        const companion = kind === "secret" ? secrets : keys;
        if (companion.deleted.has(certificate.name)) startPurge(c.vault, kind, certificate.name, c.nowMs);
        companion.deleted.delete(certificate.name);
      }
    },
  };
}

function operationBody(call: DataPlaneCall, certificate: CertificateObject, pending: CertificatePendingOperation): Record<string, unknown> {
  const completed = pending.status === "completed";
  return {
    id: `${certificateId(call, certificate.name)}/pending`,
    issuer: { name: certificate.policy?.issuer?.name ?? "Self" },
    ...(pending.csr === undefined ? {} : { csr: pending.csr }),
    cancellation_requested: pending.cancellationRequested ?? false,
    status: pending.status,
    ...(pending.statusDetails === undefined ? {} : { status_details: pending.statusDetails }),
    ...(completed ? { target: certificateId(call, certificate.name) } : {}),
    request_id: pending.requestId,
  };
}

const IN_PROGRESS_DETAILS =
  "Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later.";
/**
 * A self-signed version's validity as recorded (recording_can_read_cancel_and_delete_a_certificates_operation: issued
 * 2026-04-06 03:38:08, X.509 notBefore 03:28:08 and notAfter 2027-04-06 03:38:08, `nbf`/`exp` the same): from ten
 * minutes before issue to `months` calendar months after it (a day past the target month's end clamps to its last day).
 */
function validityPeriod(nowSeconds: number, months: number): { notBefore: Date; notAfter: Date } {
  const issued = new Date(nowSeconds * 1000);
  const target = new Date(Date.UTC(issued.getUTCFullYear(), issued.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  const notAfter = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(issued.getUTCDate(), lastDay), issued.getUTCHours(), issued.getUTCMinutes(), issued.getUTCSeconds())
  );
  return { notBefore: new Date((nowSeconds - 600) * 1000), notAfter };
}

/** Issues the pending version when a self-signed operation's time has come: certificate, managed key and secret. */
async function settlePending(call: DataPlaneCall, certificate: CertificateObject): Promise<void> {
  const pending = certificate.pending;
  if (pending?.status !== "inProgress" || pending.completesAt > call.nowMs) return;
  const policy = certificate.policy;
  if (policy?.issuer?.name?.toLowerCase() !== "self") return;
  // A cancel of a self-signed issuance is only a request the service does not act on: recorded
  // (recording_can_read_cancel_and_delete_a_certificates_operation, 2025-07-01), the operation answers inProgress
  // with cancellation_requested true, then completes and the certificate gets its version as if never cancelled.
  const keySpec = {
    kty: policy.key_props?.kty ?? "RSA",
    keySize: policy.key_props?.key_size,
    curve: policy.key_props?.crv,
  };
  const keys = pendingKeys.get(pending) ?? (await generateKeyMaterial(keySpec));
  pendingKeys.delete(pending);
  if (certificate.pending !== pending || pending.status !== "inProgress") return; // settled by a concurrent request
  const { notBefore, notAfter } = validityPeriod(call.nowSeconds, policy.x509_props?.validity_months ?? 12);
  const der = createSelfSignedCertificate({
    ...keys,
    subject: policy.x509_props?.subject ?? "",
    sans: policy.x509_props?.sans,
    keyUsage: policy.x509_props?.key_usage,
    ekus: policy.x509_props?.ekus,
    notBefore,
    notAfter,
  });
  const version = certificate.draft?.version ?? call.ctx.ids.hex32();
  delete certificate.draft;
  const attributes: ObjectAttributes = {
    enabled: policy.attributes?.enabled ?? true,
    nbf: Math.floor(notBefore.getTime() / 1000),
    exp: Math.floor(notAfter.getTime() / 1000),
    created: call.nowSeconds,
    updated: call.nowSeconds,
  };
  const tags = (pending as CertificatePendingOperation & { tags?: Record<string, string> }).tags;
  certificate.versions.push({
    version,
    cer: der.toString("base64"),
    x5t: thumbprintOf(der),
    attributes: { ...attributes },
    ...(tags === undefined ? {} : { tags }),
  });
  const jwk = keys.publicKey.export({ format: "jwk" });
  const keyMaterial =
    jwk.kty === "RSA"
      ? { kty: policy.key_props?.kty ?? "RSA", n: jwk.n, e: jwk.e }
      : {
          kty: policy.key_props?.kty ?? "EC",
          crv: policy.key_props?.crv ?? "P-256",
          x: jwk.x,
          y: jwk.y,
        };
  const keyVersion = {
    version,
    key: { ...keyMaterial, key_ops: keyOperationsFor(policy) },
    attributes: {
      ...attributes,
      ...(policy.key_props?.exportable === undefined ? {} : { exportable: policy.key_props.exportable }),
    },
    managed: true,
  };
  const existingKey = call.vault.keys.get(certificate.name);
  if (existingKey === undefined)
    call.vault.keys.set(certificate.name, {
      name: certificate.name,
      versions: [keyVersion],
    });
  else existingKey.versions.push(keyVersion);
  const contentType = contentTypeOf(certificate);
  const value =
    contentType === PEM
      ? `${keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString()}${toPem(der)}`
      : createPkcs12(keys.privateKey, der).toString("base64");
  const secretVersion = {
    version,
    value,
    contentType,
    attributes: { ...attributes },
    kid: keyId(call, certificate.name, version),
    managed: true,
  };
  const existingSecret = call.vault.secrets.get(certificate.name);
  if (existingSecret === undefined)
    call.vault.secrets.set(certificate.name, {
      name: certificate.name,
      versions: [secretVersion],
    });
  else existingSecret.versions.push(secretVersion);
  pending.status = "completed";
  delete pending.statusDetails;
  // Recorded: the completed operation answers cancellation_requested false, whatever was asked before.
  pending.cancellationRequested = false;
}

function toPem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/gu) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/**
 * Every Key Vault certificate has a policy. A seeded certificate without one gets the policy of a self-signed Key
 * Vault certificate, with the subject and DNS names of its `cer` when that parses (else `CN={name}`), stored so it
 * stays the same on every read.
 */
function ensurePolicy(call: DataPlaneCall, certificate: CertificateObject): void {
  if (certificate.policy !== undefined) return;
  let subject = `CN=${certificate.name}`;
  let dnsNames: string[] = [];
  const cer = latest(certificate)?.cer;
  try {
    if (cer !== undefined) {
      const parsed = new X509Certificate(Buffer.from(cer, "base64"));
      subject = parsed.subject.split("\n").join(", ");
      dnsNames = (parsed.subjectAltName ?? "")
        .split(", ")
        .filter((entry) => entry.startsWith("DNS:"))
        .map((entry) => entry.slice(4));
    }
  } catch {
    // Made-up bytes: keep CN={name}.
  }
  const requested = {
    issuer: { name: "Self" },
    x509_props: {
      subject,
      ...(dnsNames.length > 0 ? { sans: { dns_names: dnsNames } } : {}),
    },
  };
  certificate.policy = resolveCertificatePolicy(requested, undefined, call.nowSeconds, `${certificateId(call, certificate.name)}/policy`);
}


/** The draft of a new version: disabled, dated like the recorded ones (nbf ten minutes back, exp after the validity). */
function draftVersion(call: DataPlaneCall, version: string, months: number, tags: Record<string, string> | undefined): CertificateDraftVersion {
  return {
    version,
    attributes: {
      enabled: false,
      nbf: call.nowSeconds - 600,
      exp: Math.floor(validityPeriod(call.nowSeconds, months).notAfter.getTime() / 1000),
      created: call.nowSeconds,
      updated: call.nowSeconds,
    },
    ...(tags === undefined ? {} : { tags }),
  };
}

async function liveCertificate(call: DataPlaneCall, name: string): Promise<CertificateObject> {
  const certificate = requireLive(call, certificateStore(call), name);
  await settlePending(call, certificate);
  ensurePolicy(call, certificate);
  return certificate;
}

/** POST `/certificates/{name}/create`: 202 with the pending operation; the version is issued later. */
export async function createCertificate(call: DataPlaneCall, name: string): Promise<Response> {
  checkObjectName(name);
  const store = certificateStore(call);
  assertNameWritable(call, store, name);
  const body = await readJsonObject(call);
  const existing = call.vault.certificates.get(name);
  if (existing !== undefined) {
    await settlePending(call, existing);
    if (body["policy"] === undefined) ensurePolicy(call, existing);
  }
  if (existing?.pending?.status === "inProgress") {
    fail({
      status: 409,
      code: "Conflict",
      message: `There is a pending operation for certificate ${existing.name}; wait for it to finish or delete it first.`,
    });
  }
  const certificateName = existing?.name ?? name;
  const policy = resolveCertificatePolicy(
    body["policy"],
    existing?.policy,
    call.nowSeconds,
    `${certificateId(call, certificateName)}/policy`
  );
  const attributesPatch = { ...policy.attributes } as ObjectAttributes;
  const problem = applyAttributesPatch(attributesPatch, body["attributes"]);
  if (problem !== undefined) fail(badParameter(problem));
  policy.attributes = {
    ...policy.attributes,
    enabled: attributesPatch.enabled,
  };
  const tags = readTags(body["tags"]);
  const keySpec = {
    kty: policy.key_props?.kty ?? "RSA",
    keySize: policy.key_props?.key_size,
    curve: policy.key_props?.crv,
  };
  const keys = await generateKeyMaterial(keySpec);
  const requestId = call.ctx.ids.hex32();
  const csr = createCertificateSigningRequest({
    ...keys,
    subject: policy.x509_props?.subject ?? "",
    sans: policy.x509_props?.sans,
    keyUsage: policy.x509_props?.key_usage,
    ekus: policy.x509_props?.ekus,
  });
  const isSelf = policy.issuer?.name?.toLowerCase() === "self";
  const pending: CertificatePendingOperation & {
    tags?: Record<string, string>;
  } = {
    requestId,
    status: "inProgress",
    statusDetails: isSelf ? IN_PROGRESS_DETAILS : "Pending certificate created. Please Perform Merge to complete the request.",
    cancellationRequested: false,
    completesAt: isSelf ? call.nowMs + call.vault.settings.certificateIssueDelayMs : Number.POSITIVE_INFINITY,
    csr: csr.toString("base64"),
    ...(tags === undefined ? {} : { tags }),
  };
  pendingKeys.set(pending, {
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
  });
  const certificate: CertificateObject = existing ?? { name, versions: [] };
  certificate.policy = policy;
  certificate.pending = pending;
  certificate.draft = draftVersion(call, call.ctx.ids.hex32(), policy.x509_props?.validity_months ?? 12, tags);
  if (existing === undefined) call.vault.certificates.set(name, certificate);
  // Recorded: the 202 points at the operation to poll and asks for a 10 s wait.
  const location = `${certificateId(call, certificate.name)}/pending?api-version=${encodeURIComponent(call.apiVersion)}&request_id=${requestId}`;
  return ok(call, operationBody(call, certificate, pending), 202, { location, "retry-after": "10" });
}

function requirePending(call: DataPlaneCall, certificate: CertificateObject): CertificatePendingOperation {
  if (certificate.pending === undefined)
    fail({
      status: 404,
      code: "PendingCertificateNotFound",
      message: `Pending certificate not found: ${certificate.name}`,
    });
  return certificate.pending;
}

/** GET `/certificates/{name}/pending`: what the SDK's create poller polls. */
export async function getCertificateOperation(call: DataPlaneCall, name: string): Promise<Response> {
  const certificate = call.vault.certificates.get(name);
  if (certificate === undefined) fail(objectNotFound("certificate", name));
  await settlePending(call, certificate);
  return ok(call, operationBody(call, certificate, requirePending(call, certificate)));
}

/** PATCH `/certificates/{name}/pending` with `cancellation_requested: true`. */
export async function cancelCertificateOperation(call: DataPlaneCall, name: string): Promise<Response> {
  const certificate = call.vault.certificates.get(name);
  if (certificate === undefined) fail(objectNotFound("certificate", name));
  await settlePending(call, certificate);
  const pending = requirePending(call, certificate);
  const body = await readJsonObject(call);
  if (body["cancellation_requested"] !== true) fail(badParameter("cancellation_requested must be true."));
  // Recorded: the answer keeps status inProgress and status_details, with cancellation_requested now true.
  if (pending.status === "inProgress") pending.cancellationRequested = true;
  return ok(call, operationBody(call, certificate, pending));
}

/**
 * DELETE `/certificates/{name}/pending`: removes the operation (a later GET of it is 404 `PendingCertificateNotFound`)
 * and answers it as it was; the certificate stays, with its draft version (recorded).
 */
export async function deleteCertificateOperation(call: DataPlaneCall, name: string): Promise<Response> {
  const certificate = call.vault.certificates.get(name);
  if (certificate === undefined) fail(objectNotFound("certificate", name));
  await settlePending(call, certificate);
  const pending = requirePending(call, certificate);
  const body = operationBody(call, certificate, pending);
  delete certificate.pending;
  pendingKeys.delete(pending);
  return ok(call, body);
}

function findVersion(certificate: CertificateObject, version: string): CertificateVersion | CertificateDraftVersion {
  if (version === "") return requireLatest(certificate);
  const candidates = certificate.draft === undefined ? certificate.versions : [...certificate.versions, certificate.draft];
  const found = candidates.find((candidate) => candidate.version.toLowerCase() === version.toLowerCase());
  if (found === undefined) fail(objectNotFound("certificate", `${certificate.name}/${version}`));
  return found;
}

/** GET `/certificates/{name}/{version?}`: a disabled certificate is still readable (its private key is not here). */
export async function getCertificate(call: DataPlaneCall, name: string, version: string): Promise<Response> {
  const certificate = await liveCertificate(call, name);
  return ok(call, certificateBundle(call, certificate, findVersion(certificate, version), version === ""));
}

/**
 * PATCH `/certificates/{name}/{version}`: attributes and tags. The managed key and secret of that version take the
 * same attributes, so disabling a certificate version also stops reads of its private key through the secret.
 */
export async function updateCertificate(call: DataPlaneCall, name: string, version: string): Promise<Response> {
  const certificate = await liveCertificate(call, name);
  const found = findVersion(certificate, version);
  const body = await readJsonObject(call);
  const next = { ...found.attributes };
  const problem = applyAttributesPatch(next, body["attributes"]);
  if (problem !== undefined) fail(badParameter(problem));
  const tags = readTags(body["tags"]);
  found.attributes = { ...next, updated: call.nowSeconds };
  if (tags !== undefined) found.tags = tags;
  for (const managed of [call.vault.secrets.get(certificate.name), call.vault.keys.get(certificate.name)]) {
    const companion = managed?.versions.find((candidate) => candidate.version === found.version);
    if (companion?.managed !== true) continue;
    companion.attributes = {
      ...companion.attributes,
      enabled: next.enabled,
      updated: call.nowSeconds,
    };
    if (next.nbf === undefined) delete companion.attributes.nbf;
    else companion.attributes.nbf = next.nbf;
    if (next.exp === undefined) delete companion.attributes.exp;
    else companion.attributes.exp = next.exp;
  }
  return ok(call, certificateBundle(call, certificate, found, false));
}

export async function listCertificates(call: DataPlaneCall): Promise<Response> {
  const visible = [...call.vault.certificates.values()].filter(
    (certificate) => certificate.visibleAt === undefined || certificate.visibleAt <= call.nowMs
  );
  for (const certificate of visible) await settlePending(call, certificate);
  const issued = byName(visible.filter((certificate) => certificate.versions.length > 0));
  return ok(
    call,
    pageOf(
      call,
      issued.map((certificate) => certificateItem(call, certificate, requireLatest(certificate), false))
    )
  );
}

export async function listCertificateVersions(call: DataPlaneCall, name: string): Promise<Response> {
  const certificate = findListable(call, certificateStore(call), name);
  if (certificate !== undefined) await settlePending(call, certificate);
  return ok(call, pageOf(call, certificate?.versions.map((version) => certificateItem(call, certificate, version, true)) ?? []));
}

export async function getCertificatePolicy(call: DataPlaneCall, name: string): Promise<Response> {
  const certificate = await liveCertificate(call, name);
  ensurePolicy(call, certificate);
  return ok(call, certificate.policy);
}

export async function updateCertificatePolicy(call: DataPlaneCall, name: string): Promise<Response> {
  const certificate = await liveCertificate(call, name);
  const body = await readJsonObject(call);
  certificate.policy = resolveCertificatePolicy(
    body,
    certificate.policy,
    call.nowSeconds,
    `${certificateId(call, certificate.name)}/policy`
  );
  return ok(call, certificate.policy);
}

export async function deleteCertificate(call: DataPlaneCall, name: string): Promise<Response> {
  await liveCertificate(call, name);
  return deleteObject(call, certificateStore(call), name);
}

export const getDeletedCertificate = (call: DataPlaneCall, name: string): Response => getDeletedObject(call, certificateStore(call), name);
export const listDeletedCertificates = (call: DataPlaneCall): Response => listDeletedObjects(call, certificateStore(call));
export const recoverDeletedCertificate = (call: DataPlaneCall, name: string): Response => recoverObject(call, certificateStore(call), name);
export const purgeDeletedCertificate = (call: DataPlaneCall, name: string): Response => purgeObject(call, certificateStore(call), name);
