import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

import {
  CoreError,
  FileJournal,
  journalLockName,
  JournalCorruptError,
  parseJournalText,
  type Journal,
  type JournalEntry,
  type LockHandle,
} from "@keywarden/core";

import { CliError, CliErrorCode, invalidInput } from "../errors/cli-error.js";
import { journalKeyFor, locksFor } from "../respond/trust-keys.js";
import { displayPath, keywardenDirectory } from "../sandbox/state-location.js";
import type { CommandContext } from "./command-context.js";

export interface OpenedJournal {
  journal: FileJournal;
  /** The path as shown to people (relative to the working directory when inside it). */
  displayPath: string;
  absolutePath: string;
  /** Releases the journal's writer lock. */
  close(): Promise<void>;
}

/**
 * Where `apply` keeps a plan's journal when `--journal` is not given: one file per plan, so applying again resumes,
 * in the same Keywarden directory as the sandbox state (the nearest `.keywarden/`, else the user's state directory).
 * Never a new `./.keywarden/` in the working directory: that would hide the user's sandbox from the next command.
 */
export function defaultJournalPath(context: Pick<CommandContext, "cwd" | "env">, planId: string): string {
  return join(keywardenDirectory(context).directory, "journals", `${planId}.jsonl`);
}

/**
 * Opens (or creates) a sealed JSON Lines journal as its only writer: the journal's lock is taken first (refused
 * naming the holder, or waited for with `wait`), then the chain is verified. A file that is not a journal, or whose
 * chain does not verify, is invalid input (exit 2).
 */
export async function openJournal(context: CommandContext, path: string, options: { waitInMs?: number; purpose?: string } = {}): Promise<OpenedJournal> {
  const absolutePath = resolve(context.cwd, path);
  let lock: LockHandle;
  try {
    lock = await locksFor(context).acquire(journalLockName(absolutePath), {
      waitInMs: options.waitInMs ?? 0,
      pollIntervalInMs: 200,
      purpose: options.purpose ?? `keywarden pid ${process.pid}`,
    });
  } catch (error) {
    if (CoreError.isInstance(error) && error.code === "KW_CORE_E0010") {
      throw new CliError(CliErrorCode.JournalBusy, `${path} is being written by another keywarden process: ${error.message}`, { cause: error });
    }
    throw error;
  }
  let journal: FileJournal;
  try {
    journal = FileJournal.open(absolutePath, { key: journalKeyFor(context) });
  } catch (error) {
    await lock.release();
    if (error instanceof JournalCorruptError) {
      throw invalidInput(CliErrorCode.InvalidJournal, `${path} is not a valid journal: ${error.message.split("\n")[0] ?? ""}`, error);
    }
    throw error;
  }
  if (journal.recoveredTornLine) context.output.warn(`${path}: dropped an incomplete last line left by an interrupted write.`);
  return { journal, absolutePath, displayPath: displayPath(context.cwd, absolutePath), close: () => lock.release() };
}

/** The journals `apply` keeps by default: every `*.jsonl` in the Keywarden directory's `journals/` (none yet: empty). */
export function defaultJournalFiles(context: Pick<CommandContext, "cwd" | "env">): string[] {
  const directory = join(keywardenDirectory(context).directory, "journals");
  try {
    return readdirSync(directory)
      .filter((name) => name.endsWith(".jsonl"))
      .map((name) => join(directory, name));
  } catch {
    return [];
  }
}

/**
 * The journals of earlier responses to the same incident: every sealed journal in the Keywarden directory's
 * `journals/` (where `apply` keeps them) and the ones named, except `exceptPath`, whose chain verifies with this
 * machine's journal key and that record a real plan for one of `alertIds`. Read without taking their locks (a torn
 * last line of a journal being written is ignored); one that does not verify is named in a warning and not used, so
 * a forged line can never make `apply` skip a revocation.
 */
export function incidentJournalFor(
  context: CommandContext,
  alertIds: readonly string[],
  options: { named?: readonly string[]; exceptPath?: string } = {},
): Journal | undefined {
  if (alertIds.length === 0) return undefined;
  const alerts = new Set(alertIds.map((id) => id.toLowerCase()));
  const found = defaultJournalFiles(context);
  const except = options.exceptPath === undefined ? undefined : resolve(context.cwd, options.exceptPath);
  const paths = [...new Set([...(options.named ?? []).map((path) => resolve(context.cwd, path)), ...found])].filter((path) => path !== except);
  const key = journalKeyFor(context);
  const entries: JournalEntry[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    let parsed: readonly JournalEntry[];
    try {
      parsed = parseJournalText(text, path, key).entries;
    } catch (error) {
      context.output.warn(`${displayPath(context.cwd, path)} is not used as the incident's history: ${(error as Error).message.split("\n")[0] ?? ""}`);
      continue;
    }
    if (parsed.some((entry) => (entry.alertIds ?? []).some((id) => alerts.has(id.toLowerCase())))) entries.push(...parsed);
  }
  if (entries.length === 0) return undefined;
  return {
    verified: true,
    entries: () => Promise.resolve(entries),
    append: () => Promise.reject(new Error("The incident's history is read-only.")),
  };
}
