import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A throwaway PostgreSQL server on loopback for the tests, from Debian's `postgresql` package (`.ci/run` installs
 * it): a fresh cluster in a temporary directory, trust auth on 127.0.0.1 only, fsync off. Set
 * KEYWARDEN_TEST_POSTGRES_URL to use a server of your own instead.
 */
export interface TestPostgres {
  url: string;
  stop(): void;
}

function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((name) => existsSync(join(root, name, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** Starts a cluster; `undefined` (with the reason) when this machine has no PostgreSQL. */
export async function startTestPostgres(): Promise<TestPostgres | { unavailable: string }> {
  const bin = postgresBin();
  if (bin === undefined) return { unavailable: "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install -y postgresql)" };
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "kw-responder-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  // PostgreSQL refuses to run as root: as root, run it as the package's postgres user.
  const run = (command: string, args: string[]) => {
    const [file, argv] = root ? ["runuser", ["-u", "postgres", "--", join(bin, command), ...args]] : [join(bin, command), args];
    const result = spawnSync(file, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  run("pg_ctl", [
    "-D",
    data,
    "-l",
    join(dir, "server.log"),
    "-w",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    "start",
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Is PostgreSQL installable here (Debian with apt-get, as root)? Used to say why tests were skipped. */
export function canInstallPostgres(): boolean {
  try {
    execFileSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
}
