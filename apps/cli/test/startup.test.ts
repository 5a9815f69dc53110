import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";

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
  it("`keywarden --help` loads only commander and picocolors: the Azure SDK, msw and the libraries load with their commands", () => {
    const loaded = [...staticImports(cliBin)].filter((specifier) => !builtinModules.includes(specifier.replace(/^node:/, "")));
    expect(loaded.sort()).toEqual(["commander", "picocolors"]);
  });
});
