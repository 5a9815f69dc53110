import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { text as readStream } from "node:stream/consumers";

import { CliErrorCode, invalidInput } from "../errors/cli-error.js";
import type { CommandContext } from "../runtime/command-context.js";

/** Reads a file, or stdin for `-`; a missing or unreadable file is invalid input (exit 2). */
export async function readInputText(context: CommandContext, fileOrDash: string, what: string): Promise<string> {
  if (fileOrDash === "-") return readStream(context.streams.stdin);
  try {
    return await readFile(resolve(context.cwd, fileOrDash), "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw invalidInput(CliErrorCode.InputFileUnreadable, `Cannot read ${what} ${fileOrDash}: ${reason}.`, error);
  }
}

/** Reads and parses JSON from a file or stdin; invalid JSON is invalid input (exit 2). */
export async function readJsonInput(context: CommandContext, fileOrDash: string, what: string): Promise<unknown> {
  const text = await readInputText(context, fileOrDash, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const name = fileOrDash === "-" ? "stdin" : fileOrDash;
    throw invalidInput(CliErrorCode.InputNotJson, `The ${what} in ${name} is not valid JSON: ${(error as Error).message}.`, error);
  }
}
