import { readFileSync } from "node:fs";

import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default defineConfig({
  entry: ["src/bin.ts"],
  format: ["esm"],
  sourcemap: true,
  clean: true,
  target: "node20",
  // Each command is its own chunk, imported when the command runs: `keywarden --help` loads commander only.
  splitting: true,
  banner: { js: "#!/usr/bin/env node" },
  define: { __KEYWARDEN_VERSION__: JSON.stringify(version) },
});
