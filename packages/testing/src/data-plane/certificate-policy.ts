import type { CertificatePolicy } from "../state/data-plane-types.js";
import { badParameter } from "./key-vault-errors.js";
import { fail } from "./data-plane-call.js";
import { isEc, isRsa, keySpecProblem } from "./key-material.js";

/**
 * Certificate policies as the service stores them: what the request gave, with the service's defaults filled in
 * (RSA 2048 exportable key, PKCS#12 secret, 12 months, server and client authentication EKUs, auto-renew at 80%).
 */

const DEFAULT_EKUS = ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"];
const DEFAULT_KEY_USAGE = ["digitalSignature", "keyEncipherment"];
export const PKCS12 = "application/x-pkcs12";
export const PEM = "application/x-pem-file";

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) fail(badParameter(`${field} must be a JSON object.`));
  return value as Record<string, unknown>;
}

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) fail(badParameter(`${field} must be an array of strings.`));
  return value as string[];
}

/** Merges a request's policy over a base (the stored policy, or nothing for a new certificate) and validates it. */
export function resolveCertificatePolicy(
  requested: unknown,
  base: CertificatePolicy | undefined,
  nowSeconds: number,
  id: string
): CertificatePolicy {
  const input = asObject(requested, "policy");
  const keyIn = asObject(input["key_props"], "policy.key_props");
  const secretIn = asObject(input["secret_props"], "policy.secret_props");
  const x509In = asObject(input["x509_props"], "policy.x509_props");
  const issuerIn = asObject(input["issuer"], "policy.issuer");
  const attributesIn = asObject(input["attributes"], "policy.attributes");

  const kty = (typeof keyIn["kty"] === "string" ? keyIn["kty"] : undefined) ?? base?.key_props?.kty ?? "RSA";
  const keySize = (typeof keyIn["key_size"] === "number" ? keyIn["key_size"] : undefined) ?? base?.key_props?.key_size;
  const crv = (typeof keyIn["crv"] === "string" ? keyIn["crv"] : undefined) ?? base?.key_props?.crv;
  const problem = keySpecProblem({ kty, keySize, curve: crv });
  if (problem !== undefined) fail(badParameter(problem));
  const contentType =
    (typeof secretIn["contentType"] === "string" ? secretIn["contentType"] : undefined) ?? base?.secret_props?.contentType ?? PKCS12;
  if (contentType !== PKCS12 && contentType !== PEM) {
    fail(badParameter(`policy.secret_props.contentType must be ${PKCS12} or ${PEM}, not ${contentType}.`));
  }
  const subject = (typeof x509In["subject"] === "string" ? x509In["subject"] : undefined) ?? base?.x509_props?.subject;
  const sansIn = x509In["sans"] === undefined ? base?.x509_props?.sans : asObject(x509In["sans"], "policy.x509_props.sans");
  const sans =
    sansIn === undefined
      ? undefined
      : {
          ...(stringList(sansIn["emails"], "sans.emails") === undefined ? {} : { emails: stringList(sansIn["emails"], "sans.emails") }),
          ...(stringList(sansIn["dns_names"], "sans.dns_names") === undefined
            ? {}
            : { dns_names: stringList(sansIn["dns_names"], "sans.dns_names") }),
          ...(stringList(sansIn["upns"], "sans.upns") === undefined ? {} : { upns: stringList(sansIn["upns"], "sans.upns") }),
        };
  const hasSans = sans !== undefined && Object.values(sans).some((list) => Array.isArray(list) && list.length > 0);
  // Recorded (recording_can_read_cancel_and_delete_a_certificates_operation, 2025-07-01): a policy created with
  // `"sans": {}` is stored and answered with `"sans": {}`; a policy without `sans` has none.
  const storedSans = sans;
  if ((subject === undefined || subject.trim() === "") && !hasSans) {
    fail(badParameter("The certificate policy needs x509_props.subject or at least one subject alternative name."));
  }
  const validity =
    (typeof x509In["validity_months"] === "number" ? x509In["validity_months"] : undefined) ?? base?.x509_props?.validity_months ?? 12;
  if (!Number.isInteger(validity) || validity < 1 || validity > 1200)
    fail(badParameter("x509_props.validity_months must be a whole number of months, at least 1."));
  const issuerName = (typeof issuerIn["name"] === "string" ? issuerIn["name"] : undefined) ?? base?.issuer?.name;
  if (issuerName === undefined) fail(badParameter("The certificate policy needs issuer.name (Self for a self-signed certificate)."));
  const lifetimeActions = (Array.isArray(input["lifetime_actions"])
    ? (input["lifetime_actions"] as CertificatePolicy["lifetime_actions"])
    : undefined) ??
    base?.lifetime_actions ?? [{ trigger: { lifetime_percentage: 80 }, action: { action_type: "AutoRenew" } }];
  return {
    id,
    key_props: {
      exportable: (typeof keyIn["exportable"] === "boolean" ? keyIn["exportable"] : undefined) ?? base?.key_props?.exportable ?? true,
      kty,
      ...(isRsa(kty) ? { key_size: keySize ?? 2048 } : {}),
      ...(isEc(kty) ? { crv: crv ?? "P-256" } : {}),
      reuse_key: (typeof keyIn["reuse_key"] === "boolean" ? keyIn["reuse_key"] : undefined) ?? base?.key_props?.reuse_key ?? false,
    },
    secret_props: { contentType },
    x509_props: {
      ...(subject === undefined ? {} : { subject }),
      ...(storedSans === undefined ? {} : { sans: storedSans }),
      ekus: stringList(x509In["ekus"], "x509_props.ekus") ?? base?.x509_props?.ekus ?? [...DEFAULT_EKUS],
      key_usage: stringList(x509In["key_usage"], "x509_props.key_usage") ?? base?.x509_props?.key_usage ?? [...DEFAULT_KEY_USAGE],
      validity_months: validity,
      // Recorded on every self-signed policy: a leaf certificate, never a CA.
      basic_constraints: { ca: base?.x509_props?.basic_constraints?.ca ?? false },
    },
    lifetime_actions: lifetimeActions,
    issuer: { name: issuerName },
    attributes: {
      enabled: (typeof attributesIn["enabled"] === "boolean" ? attributesIn["enabled"] : undefined) ?? base?.attributes?.enabled ?? true,
      created: base?.attributes?.created ?? nowSeconds,
      updated: nowSeconds,
    },
  };
}

/** The key operations a certificate's key gets from its key usage. */
export function keyOperationsFor(policy: CertificatePolicy): string[] {
  const usages = new Set((policy.x509_props?.key_usage ?? DEFAULT_KEY_USAGE).map((usage) => usage.toLowerCase()));
  const ops: string[] = [];
  if (usages.has("digitalsignature") || usages.has("nonrepudiation")) ops.push("sign", "verify");
  if (usages.has("keyencipherment")) ops.push("wrapKey", "unwrapKey");
  if (usages.has("dataencipherment")) ops.push("encrypt", "decrypt");
  return ops;
}
