import { statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";

import type { CommandContext } from "../runtime/command-context.js";

/** Why this state file was chosen, as `keywarden sandbox where` reports it. */
export type SandboxStateSource = "--sandbox-state" | "KEYWARDEN_SANDBOX_STATE" | "project" | "user";

export interface SandboxStateLocation {
  /** Absolute path of the state file. */
  path: string;
  source: SandboxStateSource;
  /** The Keywarden directory the state lives in (where default journals go too). */
  directory: string;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest `.keywarden/` directory at or above `start`, like git finds `.git/`. */
export function findProjectDirectory(start: string): string | undefined {
  for (let current = resolve(start); ; current = dirname(current)) {
    const candidate = join(current, ".keywarden");
    if (isDirectory(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

/** `$XDG_STATE_HOME/keywarden`, with XDG's default `~/.local/state` (on every platform: one rule to document). */
export function userStateDirectory(env: NodeJS.ProcessEnv): string {
  const xdg = env["XDG_STATE_HOME"];
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(env["HOME"] || homedir(), ".local", "state");
  return join(base, "keywarden");
}

/**
 * Where Keywarden keeps its files for this working directory: the nearest `.keywarden/` up the tree (a project's
 * own sandbox and journals), else the user's state directory. The same answer from every subdirectory, so a
 * command run elsewhere in the project finds the same tenant instead of silently starting a fresh one.
 */
export function keywardenDirectory(context: Pick<CommandContext, "cwd" | "env">): { directory: string; source: "project" | "user" } {
  const project = findProjectDirectory(context.cwd);
  return project === undefined ? { directory: userStateDirectory(context.env), source: "user" } : { directory: project, source: "project" };
}

/** The sandbox state file a command uses: `--sandbox-state`, else `KEYWARDEN_SANDBOX_STATE`, else found. */
export function locateSandboxState(context: Pick<CommandContext, "cwd" | "env" | "globals">): SandboxStateLocation {
  const explicit = context.globals.sandboxState;
  if (explicit !== undefined) {
    const path = resolve(context.cwd, explicit);
    return { path, source: context.globals.sandboxStateOption === undefined ? "KEYWARDEN_SANDBOX_STATE" : "--sandbox-state", directory: dirname(path) };
  }
  const found = keywardenDirectory(context);
  return { path: join(found.directory, "sandbox.json"), source: found.source, directory: found.directory };
}

/** A path as shown to people: relative to the working directory when inside it, else absolute. */
export function displayPath(cwd: string, path: string): string {
  const shown = relative(cwd, path);
  return shown === "" || shown.startsWith("..") || isAbsolute(shown) ? path : shown;
}
