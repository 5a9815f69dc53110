/**
 * Key Vault data-plane objects as the fake stores them. Times are unix seconds, as in the data-plane API
 * (`Attributes.created`, `DeletedSecretBundle.deletedDate`, ...); `visibleAt` fields are clock milliseconds used to
 * model Key Vault's eventual consistency.
 */

/** `Attributes` without the fields the service derives from the vault (`recoveryLevel`, `recoverableDays`). */
export interface ObjectAttributes {
  enabled: boolean;
  /** Not before (unix seconds). */
  nbf?: number;
  /** Expires (unix seconds). */
  exp?: number;
  created: number;
  updated: number;
}

export interface KeyAttributes extends ObjectAttributes {
  exportable?: boolean;
  hsmPlatform?: string;
}

export interface SecretVersion {
  /** 32 lower-case hex characters. */
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes: ObjectAttributes;
  /** Set on a certificate's backing secret. */
  kid?: string;
  managed?: boolean;
}

export interface SecretObject {
  /** The name with the casing it was created with (lookups are case-insensitive). */
  name: string;
  /** Oldest first; the last one is the current version. */
  versions: SecretVersion[];
  /**
   * Clock millisecond before which the object still answers 404 (models the delay after a recover).
   * Absent means visible.
   */
  visibleAt?: number;
}

/** JSON Web Key public parts (`JsonWebKey` in the data-plane spec). Private material is never served. */
export interface JsonWebKeyMaterial {
  kty: "EC" | "EC-HSM" | "RSA" | "RSA-HSM" | "oct" | "oct-HSM" | (string & {});
  key_ops?: string[];
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
  [key: string]: unknown;
}

export interface KeyVersion {
  version: string;
  key: JsonWebKeyMaterial;
  /**
   * The private key (PKCS #8 PEM) of a version the fake created, rotated or was seeded with: what sign uses. Never
   * served (a Key Vault key's private part never leaves the vault).
   */
  privateKeyPem?: string;
  tags?: Record<string, string>;
  attributes: KeyAttributes;
  managed?: boolean;
  releasePolicy?: { contentType?: string; data?: string; immutable?: boolean };
}

/** `KeyRotationPolicy` (data plane). */
export interface KeyRotationPolicy {
  id?: string;
  lifetimeActions: Array<{
    trigger: { timeAfterCreate?: string; timeBeforeExpiry?: string };
    action: { type: "Rotate" | "Notify" | (string & {}) };
  }>;
  attributes?: { expiryTime?: string; created?: number; updated?: number };
}

export interface KeyObject {
  name: string;
  versions: KeyVersion[];
  rotationPolicy?: KeyRotationPolicy;
  visibleAt?: number;
}

/** `CertificatePolicy` (data plane), kept as sent. */
export interface CertificatePolicy {
  id?: string;
  key_props?: { exportable?: boolean; kty?: string; key_size?: number; crv?: string; reuse_key?: boolean };
  secret_props?: { contentType?: string };
  x509_props?: {
    subject?: string;
    sans?: { emails?: string[]; dns_names?: string[]; upns?: string[] };
    basic_constraints?: { ca: boolean };
    ekus?: string[];
    key_usage?: string[];
    validity_months?: number;
  };
  lifetime_actions?: Array<{
    trigger: { lifetime_percentage?: number; days_before_expiry?: number };
    action: { action_type: string };
  }>;
  issuer?: { name?: string; cty?: string; cert_transparency?: boolean };
  attributes?: { enabled?: boolean; created?: number; updated?: number };
  [key: string]: unknown;
}

export interface CertificateVersion {
  version: string;
  /** Base64 DER of the certificate (fake bytes are fine; nothing parses them). */
  cer: string;
  /** Base64url SHA-1 thumbprint. */
  x5t: string;
  tags?: Record<string, string>;
  attributes: ObjectAttributes;
}

/** A `CertificateOperation` in flight (`/certificates/{name}/pending`). */
export interface CertificatePendingOperation {
  requestId: string;
  status: "inProgress" | "completed" | "cancelled" | "failed" | (string & {});
  statusDetails?: string;
  cancellationRequested?: boolean;
  /** Clock millisecond at which the new version is issued. */
  completesAt: number;
  csr?: string;
}

/**
 * The version a create operation reserves before it is issued: Key Vault answers `GET /certificates/{name}/` with it
 * (disabled, no `cer`) while the operation runs, and keeps it when the operation is deleted (recorded).
 */
export interface CertificateDraftVersion {
  version: string;
  attributes: ObjectAttributes;
  tags?: Record<string, string>;
}

export interface CertificateObject {
  name: string;
  versions: CertificateVersion[];
  policy?: CertificatePolicy;
  /** The latest create operation; kept after it completes (the bundle links to it), removed by `DELETE .../pending`. */
  pending?: CertificatePendingOperation;
  /** The version being created, until it is issued. */
  draft?: CertificateDraftVersion;
  visibleAt?: number;
}

/** A soft-deleted object: the object plus its `Deleted*Bundle` fields. */
export interface DeletedObject<T> {
  object: T;
  /** Unix seconds. */
  deletedDate: number;
  /** Unix seconds. */
  scheduledPurgeDate: number;
  /** Clock millisecond before which `GET /deleted*` still answers 404 (the delete is still in progress). */
  visibleAt?: number;
}

/**
 * Per-vault knobs for the data plane's eventual consistency, driven by the tenant clock (`clock.advance`). The
 * defaults are Azure's observed timings, so code written against the fake waits where it must against Azure.
 */
export interface VaultDataPlaneSettings {
  /**
   * How long after a DELETE the deleted object becomes readable under `/deleted*` (and the name stays refused with
   * 409 `ObjectIsBeingDeleted`). Default 5 000 ms (recorded: the SDK's delete poller sees 404 for about 5 s).
   */
  deletedObjectDelayMs: number;
  /** How long after a recover the object becomes readable again. Default 6 000 ms (recorded: about 6 s). */
  recoveredObjectDelayMs: number;
  /**
   * How long a self-signed certificate's create operation stays `inProgress`. Default 10 000 ms (recorded: the
   * operation answers `Retry-After: 10` and completes about 10 s later).
   */
  certificateIssueDelayMs: number;
  /**
   * How long a purge stays in progress: the name is refused with 409 until then. Default 3 000 ms (reported: 1 to 5 s,
   * Azure/azure-sdk-for-net#26027).
   */
  purgeDelayMs: number;
  /**
   * Check every data-plane call against the vault's access policies (or, with `enableRbacAuthorization`, its role
   * assignments) and answer 403 `ForbiddenByPolicy`/`ForbiddenByRbac` like the service. On in the `strict` profile;
   * off by default so tenants that do not model access stay simple.
   */
  enforceDataAccess?: boolean;
  /**
   * The newest data-plane api-version this vault serves (one of `KEY_VAULT_API_VERSIONS`), for clouds that lag behind
   * public Azure (Azure Stack Hub, sovereign clouds): a later version answers 400 `BadParameter` "The specified version
   * (…) is not recognized. Consider using the latest supported version (…)." as those report. Unset: every version.
   */
  latestApiVersion?: string;
}

/** The `realistic` profile's vault settings (the default). */
export const DEFAULT_VAULT_DATA_PLANE_SETTINGS: VaultDataPlaneSettings = {
  deletedObjectDelayMs: 5_000,
  recoveredObjectDelayMs: 6_000,
  certificateIssueDelayMs: 10_000,
  purgeDelayMs: 3_000,
};
