import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The Tor exit-list snapshot shipped with the CLI for the sandbox (`apps/cli/sandbox/`, see its SOURCES.md). Found
 * from this module's location, which is `dist/` when built and `src/sandbox/` when run from source.
 */
export function sandboxTorExitListPath(): string | undefined {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth += 1) {
    const candidate = join(directory, "sandbox", "tor-exit-nodes.lst");
    if (existsSync(candidate)) return candidate;
    directory = dirname(directory);
  }
  return undefined;
}
