import { randomUUID } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

import type { TokenCredential } from "@azure/core-auth";
import type { PlanKey } from "@keywarden/remediation";

import type { ResponderConfig } from "../config/config.js";
import { ResponderError, ResponderErrorCode } from "../errors/responder-error.js";

/** Where the sandbox keeps its generated plan key when no key is configured. */
export const sandboxPlanKeyFile = ".keywarden/responder-plan-key.pem";

/**
 * The key plans are signed with and verified by before every apply: a Key Vault key (`planKeyId`), a key given
 * in configuration (`planKey`), or a key file (`planKeyFile`). The sandbox generates an Ed25519 key into its file
 * when there is none, atomically (replicas starting together end up with one key). The key's value is never logged.
 */
export async function loadResponderPlanKey(config: ResponderConfig, options: { cwd?: string; credential: TokenCredential }): Promise<PlanKey> {
  const remediation = await import("@keywarden/remediation");
  const fail = (setting: string, error: unknown, fix: string): never => {
    const detail = remediation.InvalidPlanError.isInstance(error) ? error.message : (error as Error).message;
    throw new ResponderError(ResponderErrorCode.InvalidConfiguration, "configuration", `Invalid setting ${setting}: ${detail} ${fix}`, { cause: error });
  };
  if (config.planKeyId !== undefined) {
    const { CryptographyClient } = await import("@azure/keyvault-keys");
    return remediation.keyVaultPlanKey(new CryptographyClient(config.planKeyId, options.credential), "PS256");
  }
  if (config.planKey !== undefined) {
    try {
      return remediation.parsePlanKey(config.planKey);
    } catch (error) {
      // parsePlanKey's messages never echo the key.
      return fail("KEYWARDEN_RESPONDER_PLAN_KEY", error, "Give a PEM Ed25519 private key or hmac-sha256:<base64>.");
    }
  }
  const file = resolve(options.cwd ?? process.cwd(), config.planKeyFile ?? sandboxPlanKeyFile);
  if (config.mode === "sandbox") ensureKeyFile(file, remediation.generateEd25519PlanKeyPem().privateKeyPem);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return fail("KEYWARDEN_RESPONDER_PLAN_KEY_FILE", error, `Check that ${file} exists and is readable.`);
  }
  try {
    return remediation.parsePlanKey(text);
  } catch (error) {
    return fail("KEYWARDEN_RESPONDER_PLAN_KEY_FILE", error, `Replace ${file} with a PEM Ed25519 private key or hmac-sha256:<base64>.`);
  }
}

/** Creates the key file unless it exists: written aside, then hard-linked into place (fails if another won). */
function ensureKeyFile(file: string, pem: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  writeFileSync(aside, pem, { mode: 0o600, flag: "wx" });
  chmodSync(aside, 0o600);
  try {
    linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    rmSync(aside, { force: true });
  }
}
