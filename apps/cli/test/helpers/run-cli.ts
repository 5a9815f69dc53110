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

/** The environment every test run of the CLI gets (no live subscription, no colours, an isolated state directory). */
export function cliEnv(extra?: Record<string, string>): NodeJS.ProcessEnv {
  return baseEnv(extra);
}

/** Splits a command line as a POSIX shell does for the quoting the CLI's hints use (plain words, single quotes). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index] ?? "";
    if (char === "'") {
      const end = line.indexOf("'", index + 1);
      if (end === -1) throw new Error(`unterminated quote in ${line}`);
      current += line.slice(index + 1, end);
      index = end;
      inWord = true;
    } else if (char === "\\") {
      current += line[index + 1] ?? "";
      index += 1;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** The arguments of a printed `keywarden ...` hint, checked to start with `keywarden`. */
export function hintArgs(hint: string): string[] {
  const [program, ...args] = shellWords(hint.trim());
  if (program !== "keywarden") throw new Error(`not a keywarden command: ${hint}`);
  return args;
}

/**
 * Runs the CLI under a pseudo-terminal (util-linux `script`), as a person at a terminal does: stdin, stdout and
 * stderr are the terminal. `answer` is asked after every output chunk and returns what to type, if anything.
 */
export function runOnTerminal(args: readonly string[], options: { cwd: string; answer?: (output: string) => string | undefined }): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, cliBin, ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(" ");
  const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: options.cwd, env: cliEnv() });
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    const typed = options.answer?.(output);
    if (typed !== undefined) child.stdin?.write(typed);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}
