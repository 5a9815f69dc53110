import type { KeyVaultErrorSpec } from "./key-vault-response.js";
import { OBJECT_KIND_WORDS, type ObjectKind } from "./object-kind.js";

/**
 * The errors Key Vault answers on the data plane, with the codes and message texts seen in recordings and issue
 * reports (see `shared/reference/key-vault.md` section 3.3). Where the exact text is not recorded the message
 * follows the recorded ones' pattern.
 */

const RECOVERY_HELP = "For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182";

/** 404 for a live object or version (`SecretNotFound`, `KeyNotFound`, `CertificateNotFound`). */
export function objectNotFound(kind: ObjectKind, nameOrId: string): KeyVaultErrorSpec {
  const { title } = OBJECT_KIND_WORDS[kind];
  const word = title.toLowerCase();
  return {
    status: 404,
    code: `${title}NotFound`,
    message: `A ${word} with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this ${word} you may be able to recover it using the correct recovery command. ${RECOVERY_HELP}`,
  };
}

/** 404 for a soft-deleted object that does not exist (yet). */
export function deletedObjectNotFound(kind: ObjectKind, name: string): KeyVaultErrorSpec {
  const { title } = OBJECT_KIND_WORDS[kind];
  return { status: 404, code: `${title}NotFound`, message: `Deleted ${title} not found: ${name}` };
}

/** 403 for reading a disabled secret or key version (recorded for secrets: `SecretDisabled`). */
export function objectDisabled(kind: ObjectKind, operation: string): KeyVaultErrorSpec {
  const { title } = OBJECT_KIND_WORDS[kind];
  return {
    status: 403,
    code: "Forbidden",
    message: `Operation ${operation} is not allowed on a disabled ${title.toLowerCase()}.`,
    innerCode: `${title}Disabled`,
  };
}

/** 409 when a name is held by a soft-deleted object. */
export function deletedButRecoverable(kind: ObjectKind, name: string): KeyVaultErrorSpec {
  const { title } = OBJECT_KIND_WORDS[kind];
  const word = title.toLowerCase();
  return {
    status: 409,
    code: "Conflict",
    message: `${title} ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the ${word} can only be recovered or purged.`,
    innerCode: "ObjectIsDeletedButRecoverable",
  };
}

/**
 * 409 while a delete or a purge is still in progress: the name cannot be reused yet. The text is the service's, as
 * reported in Azure/azure-sdk-for-net#34322 (create right after a purge) and #26027 (restore right after a purge,
 * refused for 1 to 5 seconds while `GET /deletedsecrets/{name}` is already 404).
 */
export function beingDeleted(kind: ObjectKind, name: string): KeyVaultErrorSpec {
  const { title } = OBJECT_KIND_WORDS[kind];
  return {
    status: 409,
    code: "Conflict",
    message: `${title} ${name} is currently being deleted and cannot be re-created; retry later.`,
    innerCode: "ObjectIsBeingDeleted",
  };
}

/** 409 while a recover is still in progress (the object is not readable yet). Not recorded; follows the above. */
export function beingRecovered(kind: ObjectKind, name: string): KeyVaultErrorSpec {
  const { title } = OBJECT_KIND_WORDS[kind];
  return {
    status: 409,
    code: "Conflict",
    message: `${title} ${name} is currently being recovered.`,
    innerCode: "ObjectIsBeingRecovered",
  };
}

/** 403 for a purge under purge protection (sap-automation#200, AzureTRE#1951). */
export function purgeProtected(vaultName: string, location: string): KeyVaultErrorSpec {
  return {
    status: 403,
    code: "Forbidden",
    message: `Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.\r\nVault: ${vaultName};location=${location}`,
  };
}

/** 400 for a request the service rejects as malformed. */
export function badParameter(message: string): KeyVaultErrorSpec {
  return { status: 400, code: "BadParameter", message };
}

/** 403 for changing a certificate's managed key or secret directly. */
export function managedObject(kind: ObjectKind, operation: string, name: string): KeyVaultErrorSpec {
  const { title } = OBJECT_KIND_WORDS[kind];
  return {
    status: 403,
    code: "Forbidden",
    message: `Operation ${operation} is not allowed on ${title.toLowerCase()} ${name} because it is managed by a certificate. Use the certificate operations instead.`,
  };
}
