import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/internal.ts", "src/vitest.ts", "src/scenarios.ts", "src/bin.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // Keep `node:` specifiers as written: a consumer's vitest (Vite's SSR resolver) cannot resolve a bare "stream"
  // imported from this package's dist (docs check: packages/testing/README.md's vitest example).
  removeNodeProtocol: false,
});
