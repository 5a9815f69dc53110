import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadSeed } from "../seed/load-seed.js";
import { SCENARIO_NAMES } from "../scenarios.js";
import type { FakeAzureProfile } from "../create-fake-azure.js";
import { startFakeAzureServer, type FakeAzureServer } from "./fake-azure-server.js";

export const USAGE = `Usage: keywarden-fake-azure serve [options]

Serves a fake Azure tenant over HTTPS on loopback: management.azure.com, *.vault.azure.net, graph.microsoft.com,
api.loganalytics.io and Entra ID's token endpoint (login.microsoftonline.com), told apart by the Host header.

Options:
  --seed FILE          start from this seed (JSON, see schema/seed.schema.json)
  --scenario NAME      start from a named scenario (${SCENARIO_NAMES.join(", ")})
  --profile NAME       realistic (default) or strict
  --port N             HTTPS port (default: any free port; 443 for a hosts-file mapping)
  --proxy-port N       HTTPS_PROXY (CONNECT) listener port (default: any free port)
  --no-proxy           no CONNECT listener
  --host ADDR          loopback address to bind (default 127.0.0.1; non-loopback addresses are refused)
  --ca-out PATH        write the CA certificate (PEM) here (default: a new temporary folder, printed)
  --state-out PATH     on shutdown, write the tenant's state as a seed here (restart with --seed PATH)
  -h, --help           this text

When listening it prints one JSON line on stdout:
  {"event":"ready","port":...,"proxyPort":...,"proxyUrl":"http://127.0.0.1:...","caFile":"...","tenantId":"...",...}
SIGINT or SIGTERM stops it (writing --state-out first) and prints {"event":"stopped"}.
`;

/** Where the CLI writes and what it may wait on: the process's own by default, replaceable in tests. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopRequested(): Promise<string>;
}

class UsageError extends Error {}

function portOf(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/u.test(value) || port > 65_535) throw new UsageError(`${flag} takes a port number from 0 to 65535, not ${JSON.stringify(value)}.`);
  return port;
}

function profileOf(value: string | undefined): FakeAzureProfile | undefined {
  if (value === undefined || value === "realistic" || value === "strict") return value;
  throw new UsageError(`--profile takes realistic or strict, not ${JSON.stringify(value)}.`);
}

/** Writes `text` to `path` through a temporary file, so a reader never sees half of it; owner-only (it holds secrets). */
function writeAtomically(path: string, text: string): void {
  const temporary = join(dirname(path), `.${Date.now()}-${process.pid}.tmp`);
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}

/**
 * `keywarden-fake-azure serve ...`: starts the server, prints the ready line, waits for a stop request, writes the
 * state when asked to and stops. Returns the exit code (0, or 2 for a usage error, 1 when the server cannot start).
 */
export async function runFakeAzureCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        seed: { type: "string" },
        scenario: { type: "string" },
        profile: { type: "string" },
        port: { type: "string" },
        "proxy-port": { type: "string" },
        "no-proxy": { type: "boolean" },
        host: { type: "string" },
        "ca-out": { type: "string" },
        "state-out": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  let server: FakeAzureServer;
  let caFile: string;
  let temporaryFolder: string | undefined;
  try {
    if (positionals.length !== 1 || positionals[0] !== "serve") throw new UsageError(`Expected the command "serve", got ${JSON.stringify(positionals.join(" "))}.`);
    if (values.seed !== undefined && values.scenario !== undefined) throw new UsageError("Pass --seed or --scenario, not both.");
    if (values["no-proxy"] === true && values["proxy-port"] !== undefined) throw new UsageError("Pass --proxy-port or --no-proxy, not both.");
    const port = portOf(values.port, "--port");
    const proxyPort = values["no-proxy"] === true ? false : portOf(values["proxy-port"], "--proxy-port");
    const profile = profileOf(values.profile);
    const seedPath = values.seed === undefined ? undefined : resolve(values.seed);
    const seed = seedPath === undefined ? undefined : loadSeed(readFileSync(seedPath, "utf8"), seedPath);
    server = await startFakeAzureServer({
      ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
      tenantOptions: { ...(seed === undefined ? {} : { seed }), ...(profile === undefined ? {} : { profile }) },
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(port === undefined ? {} : { port }),
      ...(proxyPort === undefined ? {} : { proxyPort }),
    });
    if (values["ca-out"] === undefined) {
      temporaryFolder = mkdtempSync(join(tmpdir(), "keywarden-fake-azure-"));
      caFile = join(temporaryFolder, "ca.pem");
    } else {
      caFile = resolve(values["ca-out"]);
    }
    writeAtomically(caFile, server.caPem);
  } catch (error) {
    io.stderr(`keywarden-fake-azure: ${(error as Error).message}\n`);
    if (error instanceof UsageError) io.stderr(`\n${USAGE}`);
    return error instanceof UsageError ? 2 : 1;
  }

  io.stdout(
    `${JSON.stringify({
      event: "ready",
      host: server.host,
      port: server.port,
      proxyPort: server.proxyPort ?? null,
      proxyUrl: server.proxyUrl ?? null,
      caFile,
      tenantId: server.tenant.state.tenantId,
      clientId: server.tenant.context.identity().applicationId,
      hosts: server.hostNames,
    })}\n`,
  );
  io.stderr(
    `keywarden-fake-azure: serving tenant ${server.tenant.state.tenantId} on https://${server.host}:${server.port}` +
      (server.proxyUrl === undefined ? "" : `; HTTPS_PROXY=${server.proxyUrl}`) +
      `; trust ${caFile}\n`,
  );

  const signal = await io.stopRequested();
  let code = 0;
  try {
    if (values["state-out"] !== undefined) writeAtomically(resolve(values["state-out"]), `${JSON.stringify(server.tenant.exportSeed(), null, 2)}\n`);
  } catch (error) {
    io.stderr(`keywarden-fake-azure: could not write --state-out: ${(error as Error).message}\n`);
    code = 1;
  }
  await server.close();
  if (temporaryFolder !== undefined) rmSync(temporaryFolder, { recursive: true, force: true });
  io.stdout(`${JSON.stringify({ event: "stopped", signal })}\n`);
  return code;
}
