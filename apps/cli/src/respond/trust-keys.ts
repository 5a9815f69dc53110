import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { FileLockProvider } from "@keywarden/core";
import type { PlanKey } from "@keywarden/remediation";

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

/** The plan signing key: from the environment, else the local Ed25519 key (created on first use). */
export async function planKeyFor(context: CommandContext): Promise<PlanKey> {
  const { generateEd25519PlanKeyPem, loadPlanKey, parsePlanKey } = await import("@keywarden/remediation");
  const configured = loadPlanKey({ env: context.env });
  if (configured !== undefined) return configured;
  return parsePlanKey(readOrCreate(join(keysDirectory(context), "plan-signing-key.pem"), () => generateEd25519PlanKeyPem().privateKeyPem));
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
