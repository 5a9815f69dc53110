import { readFileSync } from "node:fs";

import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default defineConfig({
  entry: ["src/index.ts", "src/internal.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // The user agent and spans name the published version (src/version.ts falls back to 0.0.0-source when run from source).
  define: { __KEYWARDEN_PACKAGE_VERSION__: JSON.stringify(version) },
});
