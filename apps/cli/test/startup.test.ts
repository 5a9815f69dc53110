import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { cliBin } from "./helpers/run-cli.js";

/** Every module `file` imports statically (before any code runs), following the bundle's own chunks. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  const bare = new Set<string>();
  if (seen.has(file)) return bare;
  seen.add(file);
  const source = readFileSync(file, "utf8");
  for (const match of source.matchAll(/^import\s+(?:[^"';]*?\s+from\s+)?["']([^"']+)["'];?$/gms)) {
    const specifier = match[1]!;
    if (specifier.startsWith(".")) {
      for (const nested of staticImports(join(dirname(file), specifier), seen)) bare.add(nested);
    } else {
      bare.add(specifier);
    }
  }
  return bare;
}

describe("start-up cost", () => {
  it("`keywarden --help` loads only commander, picocolors and core's dependency-free text escaping: the Azure SDK, msw and the libraries load with their commands", () => {
    const loaded = [...staticImports(cliBin)].filter((specifier) => !builtinModules.includes(specifier.replace(/^node:/, "")));
    expect(loaded.sort()).toEqual(["@keywarden/core/text", "commander", "picocolors"]);
  });
});

/**
 * The module URLs a CLI run resolves, from a resolve hook that writes each one to stderr (the run's own stderr
 * output is dropped: only hook lines start with the marker).
 */
function resolvedModules(args: readonly string[]): string[] {
  const hook = `export async function resolve(specifier, context, next) { const result = await next(specifier, context); process.stderr.write("@resolved " + result.url + "\\n"); return result; }`;
  const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  const run = spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(register)}`, cliBin, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  expect(run.status).toBe(0);
  return run.stderr
    .split("\n")
    .filter((line) => line.startsWith("@resolved "))
    .map((line) => line.slice("@resolved ".length));
}

describe("sandbox scenarios start-up cost", () => {
  it("reads the scenario list without loading the fake tenant (no msw, no Kusto parser, no testing main entry)", () => {
    const modules = resolvedModules(["sandbox", "scenarios", "--format", "json"]);
    expect(modules.some((url) => url.includes("/testing/dist/scenarios.js"))).toBe(true);
    expect(modules.filter((url) => url.includes("/msw/") || url.includes("language-service") || url.endsWith("/testing/dist/index.js"))).toEqual([]);
  });
});

describe("demo start-up cost", () => {
  it("runs the demo without loading the Kusto language service (its queries are pre-parsed in @keywarden/testing)", () => {
    const atExit = `process.on("exit", () => process.stderr.write("@kusto " + String(globalThis.Kusto !== undefined) + "\\n"));`;
    const run = spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(atExit)}`, cliBin, "demo", "--format", "json"], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("@kusto false");
  }, 120_000);
});

describe("npm start", () => {
  it("bundles the CLI from the libraries' sources (no library build) and runs the demo from the bundle", () => {
    const script = fileURLToPath(new URL("../scripts/start-demo.mjs", import.meta.url));
    const run = spawnSync(process.execPath, [script, "--format", "json"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { alert?: { alertType?: string } };
    expect(report.alert?.alertType).toBe("KV_TORAccess");
    // The bundle holds the libraries themselves: no chunk imports a @keywarden package (and so no dist/) at run time.
    const bundle = fileURLToPath(new URL("../dist-demo/", import.meta.url));
    const imports = readdirSync(bundle)
      .filter((file) => file.endsWith(".js"))
      .flatMap((file) => [...readFileSync(join(bundle, file), "utf8").matchAll(/(?:from|import\()\s*"(@keywarden\/[^"]*)"/g)].map((match) => match[1]));
    expect(imports).toEqual([]);
  }, 180_000);
});
