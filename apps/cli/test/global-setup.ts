import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

/**
 * The command tests run `dist/bin.js` as a separate process, like a user does. Under turbo the `test` task already
 * depends on `build` (apps/cli/turbo.json); run directly (`npx vitest run`), this builds the CLI and the libraries
 * it needs first, through turbo so an unchanged build is a cache hit.
 */
export function setup(): void {
  if (process.env["TURBO_HASH"] !== undefined && existsSync(bin)) return;
  execFileSync("npx", ["turbo", "run", "build", "--filter=@keywarden/cli", "--output-logs=errors-only"], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
}
