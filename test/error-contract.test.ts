/**
 * Contracts every package's errors keep (issue 11): `isInstance` matches only a class and its subclasses, across
 * every pair of exported error classes of every package; and docs/error-codes.md lists exactly the codes the
 * packages define, each error code with its category.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as alerts from "@keywarden/alerts";
import * as core from "@keywarden/core";
import { errorCategories, KeywardenError, listErrorCodes, type ErrorCategory } from "@keywarden/core";
import * as impact from "@keywarden/impact";
import * as remediation from "@keywarden/remediation";
import * as suppression from "@keywarden/suppression";
import * as testing from "@keywarden/testing";
import * as triage from "@keywarden/triage";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const packages: Record<string, Record<string, unknown>> = { core, alerts, triage, impact, remediation, suppression, testing };

type ErrorClass = typeof KeywardenError;

/** Every exported class that is (or extends) KeywardenError, once each, named by where it was found. */
function exportedErrorClasses(): Map<ErrorClass, string> {
  const found = new Map<ErrorClass, string>();
  for (const [pkg, exports] of Object.entries(packages)) {
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== "function") continue;
      const candidate = value as ErrorClass;
      if (candidate !== KeywardenError && !(candidate.prototype instanceof KeywardenError)) continue;
      if (!found.has(candidate)) found.set(candidate, `${pkg}.${name}`);
    }
  }
  return found;
}

/** An instance of `errorClass` as its constructor would mark it, without knowing each constructor's arguments. */
function instanceOf(errorClass: ErrorClass): KeywardenError {
  return Reflect.construct<[string, string, { category: "internal" }], KeywardenError>(KeywardenError, ["KW_TEST_E0001", "test", { category: "internal" }], errorClass);
}

describe("error classes", () => {
  const classes = exportedErrorClasses();

  it("are collected from every package (the collection itself is not empty or partial)", () => {
    const owners = new Set([...classes.values()].map((name) => name.split(".")[0]));
    for (const pkg of ["core", "alerts", "testing", "triage", "impact", "remediation", "suppression"]) expect(owners).toContain(pkg);
    expect(classes.size).toBeGreaterThanOrEqual(12);
  });

  it("each declare their own marker, and no two share one", () => {
    const markers = new Map<string, string>();
    for (const [errorClass, name] of classes) {
      expect(Object.hasOwn(errorClass, "marker"), `${name} declares no static marker`).toBe(true);
      const marker = errorClass.marker;
      expect(markers.get(marker), `${name} reuses the marker of ${markers.get(marker)}`).toBeUndefined();
      markers.set(marker, name);
    }
  });

  it("isInstance: for every pair, only the class itself and its subclasses match", () => {
    const mismatches: string[] = [];
    for (const [a, aName] of classes) {
      for (const [b, bName] of classes) {
        const expected = a === b || b.prototype instanceof a;
        if (a.isInstance(instanceOf(b)) !== expected) mismatches.push(`${aName}.isInstance(new ${bName}) should be ${expected}`);
      }
      if (a.isInstance(new Error("plain")) || a.isInstance({ code: "KW_X_E0001" })) mismatches.push(`${aName} matches a non-Keywarden error`);
    }
    expect(mismatches).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (path.endsWith(".ts") && !path.endsWith(".test.ts")) files.push(path);
  }
  return files;
}

/** Every code of every `defineErrorCodes` map in packages/*\/src and apps/*\/src, with its category (E codes). */
async function definedCodes(): Promise<Map<string, { category: ErrorCategory | undefined; where: string }>> {
  const codes = new Map<string, { category: ErrorCategory | undefined; where: string }>();
  for (const group of ["packages", "apps"]) {
    for (const pkg of readdirSync(join(root, group))) {
      const src = join(root, group, pkg, "src");
      if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
      for (const file of sourceFiles(src)) {
        const text = readFileSync(file, "utf8");
        if (!/=\s*defineErrorCodes\(/.test(text)) continue;
        const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
        for (const [name, value] of Object.entries(module)) {
          if (typeof value !== "object" || value === null || !Object.isFrozen(value)) continue;
          const categories = listErrorCodes(value);
          const entries = Object.values(value).filter((code): code is string => typeof code === "string" && /^KW_[A-Z]+_[EWI]\d{4}$/.test(code));
          if (entries.length === 0) continue;
          for (const code of entries) codes.set(code, { category: categories.get(code), where: `${relative(root, file)} ${name}` });
        }
      }
    }
  }
  return codes;
}

/** Every code with a row in docs/error-codes.md, and the category its row names (a cell that is one). */
function documentedCodes(): Map<string, ErrorCategory | undefined> {
  const rows = new Map<string, ErrorCategory | undefined>();
  for (const line of readFileSync(join(root, "docs/error-codes.md"), "utf8").split("\n")) {
    const match = /^\| `(KW_[A-Z]+_[EWI]\d{4})` \|(.*)$/.exec(line);
    if (match === null) continue;
    const cells = (match[2] ?? "").split("|").map((cell) => cell.trim());
    const category = cells.find((cell) => (errorCategories as readonly string[]).includes(cell)) as ErrorCategory | undefined;
    rows.set(match[1]!, category);
  }
  return rows;
}

describe("docs/error-codes.md", () => {
  it("documents every code every package defines, each error code with its category, and no code nobody defines", async () => {
    const defined = await definedCodes();
    const documented = documentedCodes();
    expect(defined.size).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const [code, { category, where }] of defined) {
      if (!documented.has(code)) problems.push(`${code} (${where}) is not documented`);
      else if (category !== undefined && documented.get(code) !== category) {
        problems.push(`${code} is documented as ${documented.get(code) ?? "no category"}, defined as ${category} (${where})`);
      }
    }
    for (const code of documented.keys()) {
      if (!defined.has(code)) problems.push(`${code} is documented but no defineErrorCodes map defines it`);
    }
    expect(problems).toEqual([]);
  });
});
