import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built CLI: every command test runs it as its own process, like a user or a SOAR tool does. */
export const cliBin = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd: string;
  stdin?: string;
  env?: Record<string, string>;
}

/** One user state directory per test process, for commands run where no `.keywarden/` is found. */
const isolatedStateHome = mkdtempSync(join(tmpdir(), "keywarden-state-"));

function baseEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra };
  // Never inherit a live subscription or sandbox switch from the developer's shell.
  delete env["AZURE_SUBSCRIPTION_ID"];
  delete env["KEYWARDEN_SANDBOX"];
  delete env["KEYWARDEN_SANDBOX_STATE"];
  delete env["FORCE_COLOR"];
  // Never the developer's own state directory: a sandbox found there would leak between tests and into their home.
  env["XDG_STATE_HOME"] = isolatedStateHome;
  if (extra !== undefined) Object.assign(env, extra);
  return env;
}

/** Starts the CLI and returns the child plus a promise of its result (for tests that signal it midway). */
export function startCli(args: readonly string[], options: CliRunOptions): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [cliBin, ...args], { cwd: options.cwd, env: baseEnv(options.env), stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin?.end(options.stdin ?? "");
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: readonly string[], options: CliRunOptions): Promise<CliResult> {
  return startCli(args, options).done;
}

/** A JSON document read loosely: tests index into it and compare with expectations. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- command output is asserted field by field
export type JsonDocument = any;

/** Parses stdout as exactly one JSON document (the `--format json` contract). */
export function parseJsonOutput<T = JsonDocument>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch (error) {
    throw new Error(`stdout is not one JSON document (${(error as Error).message}):\n${result.stdout}\nstderr:\n${result.stderr}`, { cause: error });
  }
}

/**
 * A fresh working directory with its own `.keywarden/` (so the sandbox state and journals live under it, found there
 * from every subdirectory). `project: false` leaves it out: commands then use the user's state directory.
 */
export function makeWorkDir(options: { project?: boolean } = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "keywarden-cli-"));
  if (options.project !== false) mkdirSync(join(dir, ".keywarden"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
