import { createRequire } from "node:module";
import { dirname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";

import type { SecretRotator } from "@keywarden/remediation";
import { z } from "zod";

import { CliError, CliErrorCode } from "../errors/cli-error.js";

/**
 * The policy file's `rotators`: modules (paths relative to the policy file, or package names) whose exports are
 * `defineRotator(...)` results, or arrays of them. They rotate secrets at their source; a secret none of them matches
 * is handed to its owner by the plan.
 */
export const rotatorsSectionSchema = z.array(z.string().trim().min(1, "a module path or package name cannot be empty")).max(100);

/** Where each rotator module is named from: resolved against the policy file's directory. */
export interface RotatorModuleRefs {
  specifiers: readonly string[];
  /** The directory of the policy file (the working directory for a policy read from stdin). */
  baseDirectory: string;
  /** The policy file as the user named it, for messages. */
  policyFile: string;
}

const isFunction = (value: unknown): boolean => typeof value === "function";
/** What `defineRotator` returns: a name and the two functions the engine calls. */
const rotatorSchema = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "name must be 1-64 letters, digits, dots, dashes or underscores"),
  matches: z.custom<SecretRotator["matches"]>(isFunction, "matches must be a function (use defineRotator)"),
  rotate: z.custom<SecretRotator["rotate"]>(isFunction, "rotate must be a function (use defineRotator)"),
});

/** An export that means to be a rotator: it has one of the rotator's members. Anything else (helpers, constants) is ignored. */
function looksLikeRotator(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && ("rotate" in value || "matches" in value);
}

const isPath = (specifier: string) => specifier.startsWith("./") || specifier.startsWith("../") || isAbsolute(specifier) || specifier.startsWith("file:");

/** Where a specifier points: a file URL for paths (relative to the policy file), a resolved file or the bare name for packages. */
function moduleUrl(specifier: string, baseDirectory: string): string {
  if (specifier.startsWith("file:")) return specifier;
  if (isPath(specifier)) return pathToFileURL(resolve(baseDirectory, specifier)).href;
  try {
    // A package is looked up from the policy file's directory, as Node would from a module there.
    return pathToFileURL(createRequire(resolve(baseDirectory, "policy.json")).resolve(specifier)).href;
  } catch {
    // ESM-only packages (no "require" condition) resolve through import() from the CLI's own location.
    return specifier;
  }
}

function fixFor(specifier: string): string {
  return isPath(specifier)
    ? "Check that the file exists relative to the policy file and loads with `node <file>`"
    : `Install the package where the policy file is (npm install ${specifier}), or name a module path starting with ./`;
}

/** The rotators a module exports: every named export (and the default) that is a rotator or an array of them. */
function rotatorsOf(specifier: string, namespace: Record<string, unknown>, policyFile: string): SecretRotator[] {
  const candidates: [string, unknown][] = [];
  for (const [exportName, value] of Object.entries(namespace)) {
    // A CommonJS module's `module.exports = { a, b }` arrives as the default export.
    if (exportName === "default" && typeof value === "object" && value !== null && !Array.isArray(value) && !looksLikeRotator(value)) {
      for (const [inner, innerValue] of Object.entries(value)) candidates.push([`default.${inner}`, innerValue]);
    } else candidates.push([exportName, value]);
  }
  const found: SecretRotator[] = [];
  for (const [exportName, value] of candidates) {
    const items = Array.isArray(value) ? value.map((item, index) => [`${exportName}[${index}]`, item] as const) : [[exportName, value] as const];
    for (const [label, item] of items) {
      if (!looksLikeRotator(item)) continue;
      const parsed = rotatorSchema.safeParse(item);
      if (!parsed.success) {
        const problem = parsed.error.issues.map((issue) => `${issue.path.join(".") || "value"}: ${issue.message}`).join("; ");
        throw new CliError(
          CliErrorCode.RotatorModuleInvalid,
          `Rotator module ${specifier} (named in ${policyFile}) exports ${label}, which is not a valid rotator (${problem}). Export the result of defineRotator({ name, match, rotate }) from @keywarden/remediation.`,
        );
      }
      // Keep the object itself: defineRotator's closures are what the engine calls.
      if (!found.includes(item as unknown as SecretRotator)) found.push(item as unknown as SecretRotator);
    }
  }
  return found;
}

/**
 * Loads the policy file's rotator modules, in order. A module that does not load, or exports no rotator, or a rotator
 * name used twice (or the built-in `random-value`), is refused with the module's name and what to do (exit 2).
 */
export async function loadRotatorModules(refs: RotatorModuleRefs): Promise<SecretRotator[]> {
  const { RANDOM_VALUE_ROTATOR } = await import("@keywarden/remediation");
  const rotators: SecretRotator[] = [];
  const origin = new Map<string, string>();
  for (const specifier of refs.specifiers) {
    let namespace: Record<string, unknown>;
    try {
      namespace = (await import(moduleUrl(specifier, refs.baseDirectory))) as Record<string, unknown>;
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" ? "it was not found" : `loading it failed: ${(error as Error).message.split("\n")[0] ?? ""}`;
      throw new CliError(CliErrorCode.RotatorModuleUnloadable, `Rotator module ${specifier} (named in ${refs.policyFile}) cannot be loaded: ${reason}. ${fixFor(specifier)}.`, {
        cause: error,
      });
    }
    const found = rotatorsOf(specifier, namespace, refs.policyFile);
    if (found.length === 0) {
      throw new CliError(
        CliErrorCode.RotatorModuleInvalid,
        `Rotator module ${specifier} (named in ${refs.policyFile}) exports no rotator. Export the result of defineRotator({ name, match, rotate }) from @keywarden/remediation (a named export, or an array of them).`,
      );
    }
    for (const rotator of found) {
      const earlier = origin.get(rotator.name);
      if (rotator.name === RANDOM_VALUE_ROTATOR || earlier !== undefined) {
        throw new CliError(
          CliErrorCode.RotatorModuleInvalid,
          `Rotator module ${specifier} (named in ${refs.policyFile}) exports a rotator named "${rotator.name}", which ${earlier === undefined ? "is the built-in random-value rotator" : `${earlier} already registers`}. Give each rotator its own name.`,
        );
      }
      origin.set(rotator.name, specifier);
      rotators.push(rotator);
    }
  }
  return rotators;
}

/** The refs for a policy file's `rotators` list: relative paths are relative to the file, not the working directory. */
export function rotatorModuleRefs(specifiers: readonly string[], policyFile: string, cwd: string): RotatorModuleRefs {
  return { specifiers, baseDirectory: policyFile === "-" ? cwd : dirname(resolve(cwd, policyFile)), policyFile };
}
