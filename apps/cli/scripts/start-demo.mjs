// `npm start`: the demo on a fresh clone in seconds. Bundles the CLI with the Keywarden libraries' TypeScript
// sources (found through tsconfig.base.json's `paths`, which esbuild reads) into dist-demo/ in one esbuild pass: JavaScript only, no
// declaration files and no library builds, which `npm run build` and CI still produce. Then runs `keywarden demo`
// from that bundle in this process. Extra arguments go to the demo: `npm start -- --scenario unusual-app`.
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const cliDirectory = fileURLToPath(new URL("..", import.meta.url));
const outDir = fileURLToPath(new URL("../dist-demo", import.meta.url));
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

const { build } = await import("tsup");

/**
 * Workspace packages are bundled from source; every other package stays an import, of the file the importing
 * package itself resolves (`packages/testing` has its own ajv 8 where the root has ajv 6), so the bundle loads
 * exactly the dependencies the built libraries load.
 */
const externalizeDependencies = {
  name: "externalize-dependencies",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith("@keywarden/") || args.pluginData === "resolving") return undefined;
      const resolved = await pluginBuild.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: "resolving" });
      if (resolved.errors.length > 0 || resolved.external) return { path: args.path, external: true };
      return { path: resolved.path, external: true };
    });
  },
};

await build({
  config: false,
  entry: { bin: `${cliDirectory}src/bin.ts` },
  outDir,
  format: ["esm"],
  target: "node20",
  platform: "node",
  splitting: true,
  clean: true,
  dts: false,
  sourcemap: false,
  silent: true,
  noExternal: [/^@keywarden\//],
  esbuildPlugins: [externalizeDependencies],
  esbuildOptions(options) {
    // Node reads only `main` for a package without `exports` (never `module`): resolve as Node will load it.
    options.mainFields = ["main"];
  },
  define: { __KEYWARDEN_VERSION__: JSON.stringify(version) },
});

process.argv = [process.argv[0], `${outDir}/bin.js`, "demo", ...process.argv.slice(2)];
await import(pathToFileURL(`${outDir}/bin.js`).href);
