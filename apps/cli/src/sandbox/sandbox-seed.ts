import { existsSync } from "node:fs";

import type { FakeAzureSeed } from "@keywarden/testing";

import { CliErrorCode, invalidInput } from "../errors/cli-error.js";
import type { CommandContext } from "../runtime/command-context.js";
import { readJsonFile, writeJsonFileAtomic } from "./seed-file.js";
import { displayPath, locateSandboxState } from "./state-location.js";
import { commandLine } from "../runtime/command-line.js";

/** The scenario a new sandbox starts from when nothing else is said. */
export const defaultScenarioName = "tor-secret-reads";

export interface ScenarioSummary {
  name: string;
  description: string;
}

/** The built-in scenarios, as names and one-line descriptions. */
export async function scenarioSummaries(): Promise<ScenarioSummary[]> {
  // The light subpath: listing scenarios must not load the fake tenant (msw, ajv, the Kusto parser).
  const { listScenarios } = await import("@keywarden/testing/scenarios");
  return listScenarios().map((entry) => ({ name: entry.name, description: entry.description }));
}

/** The seed of a built-in scenario; an unknown name is invalid input (exit 2) listing the known ones. */
export async function scenarioSeed(name: string): Promise<FakeAzureSeed> {
  const { getScenario, listScenarios } = await import("@keywarden/testing/scenarios");
  const known: readonly string[] = listScenarios().map((entry) => entry.name);
  if (!known.includes(name)) {
    throw invalidInput(CliErrorCode.UnknownScenario, `Unknown scenario '${name}'. Known scenarios: ${known.join(", ")}.`);
  }
  return getScenario(name);
}

/**
 * Validates a seed by loading it into a tenant; a seed that fails is invalid input (exit 2) with its first problem
 * on the one line, and the count of the others.
 */
export async function validateSeed(seed: unknown, source: string): Promise<FakeAzureSeed> {
  const { loadSeed } = await import("@keywarden/testing");
  try {
    loadSeed(seed);
  } catch (error) {
    const issues = (error as { issues?: ReadonlyArray<{ path: string; message: string }> }).issues;
    const first = issues?.[0];
    const detail =
      first === undefined
        ? ((error as Error).message.split("\n")[0] ?? "invalid")
        : `${first.path}: ${first.message}${issues !== undefined && issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : ""}`;
    throw invalidInput(CliErrorCode.InvalidSeed, `Invalid seed ${source}: ${detail}`, error);
  }
  return seed as FakeAzureSeed;
}

/** The seed named by `--scenario` or `--seed` (at most one); `undefined` when neither was given. */
export async function seedFromOptions(context: CommandContext, options: { scenario?: string; seed?: string }): Promise<{ seed: FakeAzureSeed; source: string } | undefined> {
  if (options.scenario !== undefined && options.seed !== undefined) {
    throw invalidInput(CliErrorCode.Usage, "Pass either --scenario or --seed, not both.");
  }
  if (options.scenario !== undefined) return { seed: await scenarioSeed(options.scenario), source: `scenario ${options.scenario}` };
  if (options.seed !== undefined) {
    const json = await readJsonFile(options.seed, "seed file", context.cwd);
    return { seed: await validateSeed(json, options.seed), source: options.seed };
  }
  return undefined;
}

/** The absolute path of the sandbox state file (see {@link locateSandboxState}). */
export function sandboxStatePath(context: CommandContext): string {
  return locateSandboxState(context).path;
}

/**
 * The sandbox tenant as last saved. A missing state file starts the sandbox from the default scenario (and says so);
 * a state file that is not a valid seed is invalid input, fixed with `keywarden sandbox reset`.
 */
export async function readSandboxSeed(context: CommandContext): Promise<FakeAzureSeed> {
  const path = sandboxStatePath(context);
  const shown = displayPath(context.cwd, path);
  if (!existsSync(path)) {
    context.output.note(`Sandbox: no state at ${shown}; starting from scenario '${defaultScenarioName}'.`);
    const seed = await scenarioSeed(defaultScenarioName);
    await writeJsonFileAtomic(path, seed, context.cwd);
    return seed;
  }
  context.output.note(`Sandbox: ${shown}`);
  try {
    // A state file that is not JSON (a torn write, an edit) is fixed the same way as one that is not a seed.
    return await validateSeed(await readJsonFile(path, "sandbox state", context.cwd), shown);
  } catch (error) {
    throw invalidInput(
      CliErrorCode.InvalidSandboxState,
      `${(error as Error).message.replace(/\.$/, "")}. Start over with \`${commandLine(context, ["sandbox", "reset"], { sandboxCommand: true })}\`.`,
      error,
    );
  }
}
