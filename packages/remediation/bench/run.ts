/**
 * BENCH remediation-bulk: disable every exposed version of 5,000 secrets on one vault of the fake tenant, with Key
 * Vault's throttling enforced. Each secret has exposed versions plus a newer current one (the value the owner rotated
 * to): `disable-secrets` never disables an object's current version unless the plan's own rotation replaced it,
 * because that would take the application down. The vault runs at Key Vault's documented, unscaled limit (4,000
 * transactions per 10 s window): the SDK clients talk to the fake through `tenant.httpClient` (no msw), which is fast
 * enough to reach that rate (`BENCH_PATH=msw` measures through msw instead, with `BENCH_WINDOW_MS`/`BENCH_VAULT_LIMIT`
 * to scale down). Compares applyPlan (budgeted, concurrent) with a naive run (every request at once, SDK retries) and
 * a sequential run (one request at a time), all on the same work. Efficiency counts only the writes the work needs:
 * `efficiency = (required writes / allowed writes per second) / elapsed seconds`, the allowed rate taken from the
 * fake's throttling configuration (the unscaled Key Vault limit on the direct path). Reads, read-backs and retried
 * or throttled requests are cost, not progress (`ops` still reports every successful request).
 */
import { InMemoryJournal } from "@keywarden/core";
import { createFakeAzure, type FakeAzureSeed } from "@keywarden/testing";
import { SecretClient } from "@azure/keyvault-secrets";
import { computePlanId } from "../src/plan/plan-id.js";
import { applyPlan, createAzureExecutors, PLAN_SCHEMA_VERSION, readObjectVersions, RemediationClients, type RemediationPlan, type RemediationStep } from "../src/index.js";
import { recordVersions } from "../src/internal.js";

/** 5,000 secrets: their exposed versions exceed one 10 s window of the unscaled limit, so throttling is in play. */
const SECRETS = Number(process.env["BENCH_SECRETS"] ?? 5000);
/** Versions per secret: every one but the last (current) is exposed. */
const VERSIONS_PER_SECRET = Math.max(2, Number(process.env["BENCH_VERSIONS"] ?? 2));
const EXPOSED_VERSIONS = SECRETS * (VERSIONS_PER_SECRET - 1);
/** `direct` (default): SDK clients on `tenant.httpClient`; `msw`: through msw interception. */
const PATH = process.env["BENCH_PATH"] === "msw" ? "msw" : "direct";
/** Key Vault's window: 10 s with 4,000 transactions, unscaled by default. */
const WINDOW_MS = Number(process.env["BENCH_WINDOW_MS"] ?? 10_000);
const VAULT_LIMIT = Number(process.env["BENCH_VAULT_LIMIT"] ?? 4000);
const TIME_SCALE = 10_000 / WINDOW_MS;
/** Round-trip time added to every request, as a same-region call to Key Vault takes (default 25 ms). */
const LATENCY_MS = Number(process.env["BENCH_LATENCY_MS"] ?? 25);
const ALLOWED_PER_SECOND = (VAULT_LIMIT / WINDOW_MS) * 1000;
const SUB = "5f1c0a8e-0000-4000-8000-0000000000be";
const RG = "rg-bench";
const VAULT = "kv-bench";
const VAULT_URI = `https://${VAULT}.vault.azure.net/`;
const names = Array.from({ length: SECRETS }, (_, i) => `exposed-${String(i).padStart(5, "0")}`);

function seed(): FakeAzureSeed {
  return {
    subscriptions: [{ subscriptionId: SUB }],
    resourceGroups: [{ id: `/subscriptions/${SUB}/resourceGroups/${RG}`, location: "westeurope" }],
    vaults: [
      {
        id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/${VAULT}`,
        name: VAULT,
        type: "Microsoft.KeyVault/vaults",
        location: "westeurope",
        properties: { tenantId: "72f988bf-0000-4000-8000-00000000c0de", sku: { family: "A", name: "standard" }, accessPolicies: [] },
      },
    ],
    vaultData: {
      [VAULT]: { secrets: names.map((name) => ({ name, versions: Array.from({ length: VERSIONS_PER_SECRET }, (_, v) => ({ value: `bench-${name}-${v}` })) })) },
    },
  };
}

function tenant() {
  const fake = createFakeAzure({
    seed: seed(),
    throttling: { windowInMs: WINDOW_MS, vault: { other: VAULT_LIMIT, secretCreate: 300, keyCreate: 20 }, retryAfter: "milliseconds" },
  });
  if (PATH === "msw") fake.listen();
  if (LATENCY_MS > 0) fake.faults.inject({ url: /.*/, delayInMs: LATENCY_MS });
  return fake;
}

interface Outcome {
  seconds: number;
  ok: number;
  throttled: number;
  failedOperations: number;
  disabled: number;
  /** Successful reads (GET): cost, never progress. */
  reads: number;
}

function measure(fake: ReturnType<typeof tenant>, started: number, failedOperations: number): Outcome {
  const seconds = (performance.now() - started) / 1000;
  const calls = fake.calls.all();
  const vault = [...fake.state.vaults.values()][0];
  const disabled = [...(vault?.secrets.values() ?? [])].reduce((sum, secret) => sum + secret.versions.filter((version) => version.attributes.enabled === false).length, 0);
  return {
    seconds,
    ok: calls.filter((call) => call.status !== undefined && call.status < 400).length,
    throttled: calls.filter((call) => call.status === 429).length,
    failedOperations,
    disabled,
    reads: calls.filter((call) => call.method.toUpperCase() === "GET" && call.status !== undefined && call.status < 400).length,
  };
}

function print(name: string, outcome: Outcome, extra = ""): void {
  const achieved = outcome.ok / outcome.seconds;
  // The shortest time the throttling allows for the writes the work needs, over the time it took.
  const efficiency = EXPOSED_VERSIONS / ALLOWED_PER_SECOND / outcome.seconds;
  const reads = outcome.reads;
  console.log(
    `BENCH ${name} path=${PATH} window_ms=${WINDOW_MS} vault_limit=${VAULT_LIMIT} secrets=${SECRETS} versions=${SECRETS * VERSIONS_PER_SECRET} exposed=${EXPOSED_VERSIONS} disabled=${outcome.disabled} seconds=${outcome.seconds.toFixed(2)} ` +
      `latency_ms=${LATENCY_MS} ops=${outcome.ok} ops_per_s=${achieved.toFixed(0)} allowed_per_s=${ALLOWED_PER_SECOND.toFixed(0)} required_writes=${EXPOSED_VERSIONS} reads=${reads} efficiency=${efficiency.toFixed(3)} ` +
      `throttled=${outcome.throttled} failed=${outcome.failedOperations}${extra === "" ? "" : ` ${extra}`}`,
  );
}

/** The exposed versions per secret (all but the current one), from the tenant's state: what an impact report names. */
function exposedVersionsFromState(fake: ReturnType<typeof tenant>): Map<string, string[]> {
  const exposed = new Map<string, string[]>();
  const vault = [...fake.state.vaults.values()][0];
  for (const secret of vault?.secrets.values() ?? []) exposed.set(secret.name, secret.versions.slice(0, -1).map((v) => v.version));
  return exposed;
}

async function runKeywarden(): Promise<void> {
  const fake = tenant();
  try {
    const exposed = exposedVersionsFromState(fake);
    const vault = { resourceId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/${VAULT}`, subscriptionId: SUB, resourceGroup: RG, name: VAULT, vaultUri: VAULT_URI };
    const step: RemediationStep = {
      id: "s01-disable-secrets",
      kind: "disable-secrets",
      target: { vault, objects: names.map((name) => ({ type: "secret" as const, name, versions: exposed.get(name) ?? [] })) },
      parameters: {},
      reason: "bench",
      risk: "sensitive",
      reversible: true,
      requiresApproval: false,
      precondition: { summary: "" },
    };
    // Planning (`BENCH_RECORD=0` skips it): the versions are listed once, as `keywarden respond` does before review,
    // and recorded in the step, so the apply writes without listing them again. Timed apart from the apply.
    let planning = "planning_reads=0 planning_seconds=0.00";
    if (process.env["BENCH_RECORD"] !== "0") {
      const planningStarted = performance.now();
      const clients = new RemediationClients({ credential: fake.credential, ...(PATH === "direct" ? { clientOptions: { httpClient: fake.httpClient } } : {}) });
      // Below the vault's limit (8 listings in flight at 25 ms each is ~320/s): planning is not what is measured.
      const observed = await readObjectVersions({ clients, vault, objects: step.target.objects ?? [], readAt: new Date().toISOString(), concurrency: 8 });
      recordVersions(step, [step], [observed], []);
      const planningReads = fake.calls.all().filter((call) => call.method.toUpperCase() === "GET" && call.status !== undefined && call.status < 400).length;
      planning = `planning_reads=${planningReads} planning_seconds=${((performance.now() - planningStarted) / 1000).toFixed(2)}`;
      fake.calls.clear();
      fake.throttling.reset();
    }
    const content: Omit<RemediationPlan, "id"> = {
      schemaVersion: PLAN_SCHEMA_VERSION,
      basedOn: { alertIds: ["bench"], ruleIds: [] },
      steps: [step],
      warnings: [],
      irreversible: [],
    };
    const plan = { id: computePlanId(content), ...content };
    const executors = createAzureExecutors({ credential: fake.credential, pollIntervalInMs: 1, ...(PATH === "direct" ? { clientOptions: { httpClient: fake.httpClient } } : {}) });
    const started = performance.now();
    const result = await applyPlan(plan, {
      journal: new InMemoryJournal(),
      executors,
      // The bench measures throughput, not review: the one bulk step is approved (it needs approval by default).
      approve: () => true,
      concurrency: Number(process.env["BENCH_CONCURRENCY"] ?? 16),
      rateLimits: {
        vault: { capacity: VAULT_LIMIT, windowInMs: WINDOW_MS },
        secretCreate: { capacity: 300 / TIME_SCALE, windowInMs: WINDOW_MS },
        keyCreate: { capacity: 20 / TIME_SCALE, windowInMs: WINDOW_MS },
        subscription: { capacity: VAULT_LIMIT * 5, windowInMs: WINDOW_MS },
        armReads: { capacity: 250, windowInMs: 10_000 },
        armWrites: { capacity: 200, windowInMs: 20_000 },
      },
      rateShare: 0.95,
      retry: { maxAttempts: 6, retryDelayInMs: 50, maxRetryDelayInMs: 1000 },
    });
    // Anything but a finished step (failed, denied, not run) leaves required writes undone: they count as failed.
    const failed = result.steps.filter((step) => step.status !== "succeeded" && step.status !== "already-done").length;
    print("remediation-bulk", measure(fake, started, failed === 0 ? 0 : Math.max(1, EXPOSED_VERSIONS - measure(fake, started, 0).disabled)), planning);
  } finally {
    fake.close();
  }
}

async function runNaive(): Promise<void> {
  const fake = tenant();
  try {
    const client = new SecretClient(VAULT_URI, fake.credential, PATH === "direct" ? { httpClient: fake.httpClient } : {});
    const targets = [...exposedVersionsFromState(fake)].flatMap(([name, versions]) => versions.map((version) => ({ name, version })));
    fake.calls.clear();
    fake.throttling.reset();
    const started = performance.now();
    const settled = await Promise.allSettled(targets.map(({ name, version }) => client.updateSecretProperties(name, version, { enabled: false })));
    print("remediation-bulk-naive", measure(fake, started, settled.filter((outcome) => outcome.status === "rejected").length));
  } finally {
    fake.close();
  }
}

async function runSequential(): Promise<void> {
  const fake = tenant();
  try {
    const client = new SecretClient(VAULT_URI, fake.credential, PATH === "direct" ? { httpClient: fake.httpClient } : {});
    const targets = [...exposedVersionsFromState(fake)].flatMap(([name, versions]) => versions.map((version) => ({ name, version })));
    fake.calls.clear();
    fake.throttling.reset();
    let failed = 0;
    const started = performance.now();
    for (const { name, version } of targets) {
      try {
        await client.updateSecretProperties(name, version, { enabled: false });
      } catch {
        failed += 1;
      }
    }
    print("remediation-bulk-sequential", measure(fake, started, failed));
  } finally {
    fake.close();
  }
}

const only = process.env["BENCH_ONLY"];
if (only === undefined || only === "keywarden") await runKeywarden();
if (only === undefined || only === "naive") await runNaive();
if (only === undefined || only === "sequential") await runSequential();
