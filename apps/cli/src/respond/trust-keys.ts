import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { FileLockProvider } from "@keywarden/core";
import type { PlanKey } from "@keywarden/remediation";

import type { AzureEnvironment } from "../environment/azure-environment.js";
import { withEnvironment } from "../environment/open-environment.js";
import { CliError, CliErrorCode, invalidInput } from "../errors/cli-error.js";
import type { CommandContext } from "../runtime/command-context.js";
import { keywardenDirectory } from "../sandbox/state-location.js";

/**
 * Where the CLI keeps its keys: `KEYWARDEN_KEYS_DIR`, else `keys/` in the Keywarden directory (the nearest
 * `.keywarden/`, else the user's state directory). Created on
 * first use, files mode 0600, so signing plans and sealing journals is the default. In production give the keys
 * through the environment (`KEYWARDEN_PLAN_KEY`, `KEYWARDEN_PLAN_KEY_FILE`, `KEYWARDEN_JOURNAL_KEY`) and keep them
 * away from the journals they seal.
 */
export function keysDirectory(context: CommandContext): string {
  const configured = context.env["KEYWARDEN_KEYS_DIR"];
  return configured === undefined ? join(keywardenDirectory(context).directory, "keys") : resolve(context.cwd, configured);
}

function readOrCreate(path: string, create: () => string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(resolve(path, ".."), { recursive: true, mode: 0o700 });
  try {
    // `wx`: two first uses at once must not overwrite each other's key.
    writeFileSync(path, create(), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  chmodSync(path, 0o600);
  return readFileSync(path, "utf8");
}

/**
 * The Key Vault key that signs plans (`--plan-key-id` / `KEYWARDEN_PLAN_KEY_ID`), checked to be a key identifier in a
 * Key Vault DNS suffix over https; `undefined` when none is configured.
 */
async function keyVaultKeyId(context: CommandContext): Promise<string | undefined> {
  const configured = context.globals.planKeyId;
  if (configured === undefined) return undefined;
  const { KEY_VAULT_DNS_SUFFIXES } = await import("@keywarden/remediation");
  let url: URL | undefined;
  try {
    url = new URL(configured);
  } catch {
    url = undefined;
  }
  const host = url?.hostname.toLowerCase() ?? "";
  const inKeyVault = KEY_VAULT_DNS_SUFFIXES.some((suffix) => host.endsWith(`.${suffix}`) && /^[0-9a-z-]{3,24}$/.test(host.slice(0, -suffix.length - 1)));
  if (url === undefined || url.protocol !== "https:" || !inKeyVault || url.search !== "" || !/^\/keys\/[0-9a-zA-Z-]{1,127}(\/[0-9a-fA-F]{32})?\/?$/.test(url.pathname)) {
    throw invalidInput(
      CliErrorCode.Usage,
      `--plan-key-id ${JSON.stringify(configured)} is not a Key Vault key identifier: give https://<vault>.vault.azure.net/keys/<name> (optionally /<version>).`,
    );
  }
  return url.href.replace(/\/$/, "");
}

/** Whether plans are signed with a Key Vault key (which needs the command's Azure credential). */
export function usesKeyVaultPlanKey(context: CommandContext): boolean {
  return context.globals.planKeyId !== undefined;
}

/**
 * The plan signing key: the Key Vault key (`--plan-key-id`, signing and verifying through `CryptographyClient`, the
 * private key never leaving the vault; needs `env` for the credential), else a key from the environment, else the
 * local Ed25519 key (created on first use).
 */
export async function planKeyFor(context: CommandContext, env?: AzureEnvironment): Promise<PlanKey> {
  const { generateEd25519PlanKeyPem, keyVaultPlanKey, loadPlanKey, parsePlanKey } = await import("@keywarden/remediation");
  const keyId = await keyVaultKeyId(context);
  if (keyId !== undefined) {
    // A caller bug, not the user's: commands pass their environment, or use withPlanKey, which opens one.
    if (env === undefined) throw new CliError(CliErrorCode.Unexpected, "A Key Vault plan key needs the command's Azure environment (its credential): pass it to planKeyFor, or use withPlanKey.");
    const { CryptographyClient } = await import("@azure/keyvault-keys");
    const client = new CryptographyClient(keyId, env.credential, env.retryOptions === undefined ? {} : { retryOptions: env.retryOptions });
    return keyVaultPlanKey(client, "PS256");
  }
  const configured = loadPlanKey({ env: context.env });
  if (configured !== undefined) return configured;
  return parsePlanKey(readOrCreate(join(keysDirectory(context), "plan-signing-key.pem"), () => generateEd25519PlanKeyPem().privateKeyPem));
}

/**
 * Runs `task` with the plan key. A Key Vault key calls Azure, so an environment is opened for it (nothing persisted);
 * a local or configured key needs none.
 */
export async function withPlanKey<T>(context: CommandContext, task: (key: PlanKey) => Promise<T>): Promise<T> {
  if (!usesKeyVaultPlanKey(context)) return task(await planKeyFor(context));
  return withEnvironment(context, {}, async (env) => task(await planKeyFor(context, env)));
}

/** The journal sealing key: `KEYWARDEN_JOURNAL_KEY` (base64), else the local key (created on first use). */
export function journalKeyFor(context: CommandContext): Buffer {
  const configured = context.env["KEYWARDEN_JOURNAL_KEY"];
  const text = configured !== undefined && configured.trim() !== "" ? configured : readOrCreate(join(keysDirectory(context), "journal.key"), () => `${randomBytes(32).toString("base64")}\n`);
  return Buffer.from(text.trim(), "base64");
}

/** Locks across processes on this machine: one journal writer, one writer per vault. */
export function locksFor(context: CommandContext): FileLockProvider {
  const configured = context.env["KEYWARDEN_LOCKS_DIR"];
  return new FileLockProvider(configured === undefined ? join(keywardenDirectory(context).directory, "locks") : resolve(context.cwd, configured));
}
