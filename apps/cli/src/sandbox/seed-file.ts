import { readFile, rename, writeFile, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";

import { CliErrorCode, invalidInput } from "../errors/cli-error.js";

/** Reads a JSON file, with one-line errors (exit 2) for a missing file or invalid JSON. */
export async function readJsonFile(path: string, what: string, cwd: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw invalidInput(CliErrorCode.InputFileUnreadable, `Cannot read ${what} ${path}: ${reason}.`, error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidInput(CliErrorCode.InputNotJson, `${what[0]?.toUpperCase() ?? ""}${what.slice(1)} ${path} is not valid JSON: ${(error as Error).message}.`, error);
  }
}

/**
 * Writes JSON atomically (temporary file, then rename), so a crash or Ctrl-C never leaves a half-written plan or
 * sandbox state behind.
 */
export async function writeJsonFileAtomic(path: string, data: unknown, cwd: string): Promise<string> {
  const target = resolve(cwd, path);
  await mkdir(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(data, null, 2)}\n`, "utf8");
  await rename(temporary, target);
  return target;
}
