import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getScenario, loadSeed } from "../src/index.js";
import { runFakeAzureCli, type CliIo } from "../src/server/cli.js";

// Server mode across processes: the real bin (`keywarden-fake-azure serve`), a separate Node process using the SDK's
// own HTTPS_PROXY support with NODE_EXTRA_CA_CERTS, and Debian's python3-azure running the README's Python block.
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(PACKAGE_DIR, "src", "bin.ts");
const NODE_CLIENT = fileURLToPath(new URL("./fixtures/server-mode/node-client.mjs", import.meta.url));
const SCENARIO = getScenario("tor-secret-reads");
const SCENARIO_VAULT = SCENARIO.vaults?.[0];

interface ReadyLine {
  event: "ready";
  port: number;
  proxyPort: number;
  proxyUrl: string;
  caFile: string;
  tenantId: string;
  clientId: string;
  hosts: string[];
}

/** The environment of a child: the machine's, minus any proxy settings of its own. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"]) delete env[name];
  return { ...env, ...extra };
}

/** The README's Python block (the one and only `python` fence of its "Server mode" section). */
function readmePythonBlock(): string {
  const readme = readFileSync(join(PACKAGE_DIR, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Server mode"));
  const match = /```python\n([\s\S]*?)```/u.exec(section);
  if (match?.[1] === undefined) throw new Error("The README's Server mode section has no ```python block.");
  return match[1];
}

/** Debian's interpreter, where python3-azure installs (the PATH's python3 may be another one). */
const PYTHON = process.env.KEYWARDEN_PYTHON ?? "/usr/bin/python3";
const pythonAzure = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import azure.identity, azure.keyvault.secrets"], { stdio: "ignore" }).status === 0;
// CI installs python3-azure (.ci/run) and sets KEYWARDEN_REQUIRE_PYTHON_AZURE: there the Python test must run, never skip.
const pythonRequired = process.env.KEYWARDEN_REQUIRE_PYTHON_AZURE === "1" || process.env.CI === "true" || process.env.CI === "1";
if (!pythonAzure && !pythonRequired) {
  console.warn(
    `\n${"!".repeat(100)}\n!!! SKIPPING the python3-azure server-mode test: ${PYTHON} cannot import azure.identity and azure.keyvault.secrets.\n` +
      `!!! Install them with: apt-get install -y --no-install-recommends python3-azure (CI does, and never skips this test).\n${"!".repeat(100)}\n`,
  );
}

describe("keywarden-fake-azure serve (the bin, in its own process)", () => {
  let child: ChildProcessWithoutNullStreams;
  let ready: ReadyLine;
  let work: string;
  let stdout = "";
  let stderr = "";

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "kw-server-cli-"));
    child = spawn(
      process.execPath,
      ["--import", "tsx", BIN, "serve", "--scenario", "tor-secret-reads", "--ca-out", join(work, "ca.pem"), "--state-out", join(work, "state.json")],
      { cwd: PACKAGE_DIR, env: childEnv({}) },
    );
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    ready = await new Promise<ReadyLine>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
        // The ready line is the first thing the bin prints; it may arrive in more than one chunk.
        const end = stdout.indexOf("\n");
        if (end >= 0) resolve(JSON.parse(stdout.slice(0, end)) as ReadyLine);
      });
      child.once("exit", (code) => reject(new Error(`keywarden-fake-azure exited (${code}) before its ready line: ${stderr}`)));
    });
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(work, { recursive: true, force: true });
  });

  it("prints one machine-readable ready line with the ports, the CA file and the identity to use", () => {
    expect(ready).toMatchObject({ event: "ready", host: "127.0.0.1", proxyUrl: `http://127.0.0.1:${ready.proxyPort}`, caFile: join(work, "ca.pem") });
    expect(ready.tenantId).toBe(SCENARIO.tenantId);
    expect(ready.hosts).toEqual(expect.arrayContaining(["management.azure.com", "*.vault.azure.net", "graph.microsoft.com", "api.loganalytics.io", "login.microsoftonline.com"]));
    expect(readFileSync(ready.caFile, "utf8")).toMatch(/^-----BEGIN CERTIFICATE-----/u);
  });

  it("a separate Node process reads the vault over ARM and writes and reads a secret, with HTTPS_PROXY and NODE_EXTRA_CA_CERTS only", () => {
    const vaultId = SCENARIO_VAULT?.id ?? "";
    const [, subscriptionId, resourceGroup] = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//u.exec(vaultId) ?? [];
    const run = spawnSync(process.execPath, [NODE_CLIENT], {
      cwd: PACKAGE_DIR,
      encoding: "utf8",
      timeout: 15_000,
      env: childEnv({
        HTTPS_PROXY: ready.proxyUrl,
        NODE_EXTRA_CA_CERTS: ready.caFile,
        AZURE_TENANT_ID: ready.tenantId,
        AZURE_CLIENT_ID: ready.clientId,
        AZURE_SUBSCRIPTION_ID: subscriptionId ?? "",
        RESOURCE_GROUP: resourceGroup ?? "",
        VAULT_NAME: SCENARIO_VAULT?.name ?? "",
      }),
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ vaultUri: `https://${SCENARIO_VAULT?.name}.vault.azure.net/`, value: "node-value" });
  });

  it.skipIf(!pythonAzure && !pythonRequired)("Debian's python3-azure runs the README's Python block through the proxy, trusting the CA", () => {
    expect(pythonAzure, `CI or KEYWARDEN_REQUIRE_PYTHON_AZURE=1 is set, but ${PYTHON} cannot import azure.identity / azure.keyvault.secrets: install python3-azure`).toBe(true);
    const script = join(work, "server_mode_readme.py");
    writeFileSync(script, readmePythonBlock());
    const run = spawnSync(PYTHON, [script], {
      encoding: "utf8",
      timeout: 30_000,
      env: childEnv({ HTTPS_PROXY: ready.proxyUrl, REQUESTS_CA_BUNDLE: ready.caFile, AZURE_TENANT_ID: ready.tenantId, AZURE_CLIENT_ID: ready.clientId }),
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe("python-value");
  });

  it("stops on SIGTERM (sent twice), writing the state it served (the secrets both clients wrote) and removing nothing it was told to keep", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // Twice, as `timeout` or a double Ctrl-C does: the second must not cut the shutdown short.
    child.kill("SIGTERM");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout.trim().split("\n").at(-1)).toBe(JSON.stringify({ event: "stopped", signal: "SIGTERM" }));
    const state = loadSeed(readFileSync(join(work, "state.json"), "utf8"));
    const vaultData = new Map(Object.entries(state.vaultData ?? {})).get(SCENARIO_VAULT?.name ?? "");
    const secretNames = (vaultData?.secrets ?? []).map((secret) => secret.name);
    expect(secretNames).toContain("written-from-node");
    if (pythonAzure) expect(secretNames).toContain("written-from-python");
    expect(existsSync(ready.caFile)).toBe(true);
  });
});

describe("runFakeAzureCli", () => {
  function io(stop: Promise<string> = new Promise(() => undefined)): CliIo & { out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), stopRequested: () => stop };
  }

  it.each([
    [["serve", "--port", "70000"], /--port takes a port number from 0 to 65535/u],
    [["serve", "--port", "http"], /--port takes a port number/u],
    [["serve", "--seed", "a.json", "--scenario", "unusual-app"], /--seed or --scenario, not both/u],
    [["serve", "--profile", "lenient"], /--profile takes realistic or strict/u],
    [["serve", "--no-proxy", "--proxy-port", "1"], /--proxy-port or --no-proxy/u],
    [["start"], /Expected the command "serve"/u],
    [["serve", "--bogus"], /Unknown option '--bogus'/u],
  ])("refuses %j with exit code 2 and says what to change", async (argv, message) => {
    const streams = io();
    expect(await runFakeAzureCli(argv, streams)).toBe(2);
    expect(streams.err.join("")).toMatch(message);
    expect(streams.out).toEqual([]);
  });

  it("refuses an invalid seed file with exit code 1, naming the JSON path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-server-seed-"));
    try {
      writeFileSync(join(dir, "seed.json"), JSON.stringify({ vaults: [{ name: 42 }] }));
      const streams = io();
      expect(await runFakeAzureCli(["serve", "--seed", join(dir, "seed.json")], streams)).toBe(1);
      expect(streams.err.join("")).toMatch(/vaults\[0\]/u);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("with no --ca-out writes the CA to a temporary folder it removes again on stop", async () => {
    let stop: (signal: string) => void = () => undefined;
    const streams = io(new Promise((resolve) => (stop = resolve)));
    const running = runFakeAzureCli(["serve", "--no-proxy"], streams);
    while (streams.out.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const ready = JSON.parse(streams.out[0] ?? "") as ReadyLine;
    expect(ready.proxyPort).toBeNull();
    expect(existsSync(ready.caFile)).toBe(true);
    stop("SIGINT");
    expect(await running).toBe(0);
    expect(existsSync(ready.caFile)).toBe(false);
  });
});
