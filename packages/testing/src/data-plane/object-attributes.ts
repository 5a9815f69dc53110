import type { Vault } from "../state/arm-types.js";
import type { KeyAttributes, ObjectAttributes } from "../state/data-plane-types.js";
import { vaultRecoverableDays, vaultRecoveryLevel } from "../state/vault-state.js";

/** `Attributes` as served: stored fields plus `recoveryLevel`/`recoverableDays` derived from the vault. */
export interface ServedAttributes {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoveryLevel: string;
  recoverableDays: number;
  exportable?: boolean;
  hsmPlatform?: string;
}

export function serveAttributes(attributes: ObjectAttributes | KeyAttributes, vault: Vault): ServedAttributes {
  const served: ServedAttributes = {
    enabled: attributes.enabled,
    ...(attributes.nbf === undefined ? {} : { nbf: attributes.nbf }),
    ...(attributes.exp === undefined ? {} : { exp: attributes.exp }),
    created: attributes.created,
    updated: attributes.updated,
    recoveryLevel: vaultRecoveryLevel(vault),
    recoverableDays: vaultRecoverableDays(vault),
  };
  if ("exportable" in attributes && attributes.exportable !== undefined) served.exportable = attributes.exportable;
  if ("hsmPlatform" in attributes && attributes.hsmPlatform !== undefined) served.hsmPlatform = attributes.hsmPlatform;
  return served;
}

/** Attribute changes a request may carry (`SecretAttributes`, `KeyAttributes`, `CertificateAttributes`). */
export interface AttributesPatch {
  enabled?: unknown;
  nbf?: unknown;
  exp?: unknown;
}

/**
 * Applies the writable attributes of a request body; fields not given stay unchanged ("Attributes that are not
 * specified in the request are left unchanged"). `null` clears `nbf`/`exp`. Returns an error message for bad input.
 */
export function applyAttributesPatch(target: ObjectAttributes, patch: unknown): string | undefined {
  if (patch === undefined || patch === null) return undefined;
  if (typeof patch !== "object" || Array.isArray(patch)) return "The attributes of the request must be a JSON object.";
  const { enabled, nbf, exp } = patch as AttributesPatch;
  if (enabled !== undefined && enabled !== null) {
    if (typeof enabled !== "boolean") return "attributes.enabled must be a boolean.";
    target.enabled = enabled;
  }
  for (const [field, value] of [
    ["nbf", nbf],
    ["exp", exp],
  ] as const) {
    if (value === undefined) continue;
    if (value === null) {
      delete target[field];
      continue;
    }
    if (typeof value !== "number" || !Number.isInteger(value)) return `attributes.${field} must be unix time in whole seconds.`;
    target[field] = value;
  }
  return undefined;
}
