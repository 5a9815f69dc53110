/**
 * Issue 11, "Bad input": every error a public function throws is a `KeywardenError` with a code documented in
 * docs/error-codes.md and one of the seven categories. The code-map contract (test/error-contract.test.ts) only
 * compares maps with the doc; this file calls each package's public entry points with bad input (and Azure clients
 * against the @keywarden/testing fake tenant) and checks what actually comes out of them.
 */
import { readFileSync } from "node:fs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DefenderAlertsClient, parseAlert, parseAlerts, parseAlertsSettled, parseResourceId, toOcsf, vaultUriFromName, type KeyVaultAlert } from "@keywarden/alerts";
import { createManualClock, errorCategories, FileJournal, FileLockProvider, InMemoryJournal, KeywardenError, parseJournalText, parseIpv4Cidr, requestTimeoutPolicy } from "@keywarden/core";
import { buildImpactQueries, kqlDatetime, measureImpact, measureImpactForCriteria } from "@keywarden/impact";
import { applyPlan, planResponse, planRollback, validatePlan, type RemediationPlan } from "@keywarden/remediation";
import {
  applySuppressionChanges,
  defineSuppressionRule,
  InMemorySuppressionRulesStore,
  lintSuppressionRules,
  parseSuppressionRules,
  planSuppressionChanges,
  previewSuppression,
  type SuppressionPlan,
} from "@keywarden/suppression";
import { createFakeAzure, createFakeClock, getScenario, loadSeed } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { ArmPublicIpReader, ArmVaultInspector, createLookupCache, GraphDirectory, InMemoryPublicIpReader, triageAlert, type TriageReport } from "@keywarden/triage";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Every E code with a row in docs/error-codes.md. */
const documented: ReadonlySet<string> = new Set(
  readFileSync(join(root, "docs/error-codes.md"), "utf8")
    .split("\n")
    .map((line) => /^\| `(KW_[A-Z]+_E\d{4})` \|/.exec(line)?.[1])
    .filter((code): code is string => code !== undefined),
);

/** What is wrong with `error` as an error of a public function, or undefined when it keeps the contract. */
function contractProblem(error: unknown): string | undefined {
  if (!KeywardenError.isInstance(error)) {
    const name = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
    return `not a KeywardenError (${name})`;
  }
  if (!documented.has(error.code)) return `code ${error.code} is not in docs/error-codes.md`;
  if (!(errorCategories as readonly string[]).includes(error.category)) return `category ${String(error.category)} is not one of the seven`;
  return undefined;
}

/**
 * Runs `call` and returns the error it throws (or rejects with). Fails the test when it returns normally, or when
 * the error breaks the contract; `expectedCode`, when given, must match too.
 */
async function expectRejected(label: string, call: () => unknown, expectedCode?: string): Promise<KeywardenError> {
  let outcome: { error: unknown } | undefined;
  try {
    await call();
  } catch (error) {
    outcome = { error };
  }
  expect(outcome, `${label}: returned instead of throwing`).toBeDefined();
  const problem = contractProblem(outcome!.error);
  expect(problem, `${label}: ${problem ?? ""}`).toBeUndefined();
  const error = outcome!.error as KeywardenError;
  if (expectedCode !== undefined) expect(error.code, label).toBe(expectedCode);
  return error;
}

/** Runs `call`; when it throws, the error must keep the contract (returning is fine). */
async function throwsOnlyKeywarden(call: () => unknown): Promise<string | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    return contractProblem(error);
  }
}

const missingAlertId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Security/locations/westeurope/alerts/missing";
const arbitraryInput = fc.oneof(fc.jsonValue(), fc.anything(), fc.string());

function alertOf(seedName: string): KeyVaultAlert {
  const seed = getScenario(seedName);
  const [first] = seed.alerts ?? [];
  return parseAlert(first);
}

describe("@keywarden/alerts", () => {
  it("parseAlert, parseAlerts and parseAlertsSettled throw only documented KeywardenErrors, whatever the input", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryInput, async (input) => {
        for (const call of [() => parseAlert(input), () => parseAlerts(input), () => parseAlertsSettled(input)]) {
          const problem = await throwsOnlyKeywarden(call);
          expect(problem).toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
    await expectRejected("parseAlert('{')", () => parseAlert("{"), "KW_ALERTS_E0001");
    await expectRejected("parseAlert(42)", () => parseAlert(42), "KW_ALERTS_E0002");
    await expectRejected("parseAlert({})", () => parseAlert({}), "KW_ALERTS_E0003");
    await expectRejected("parseAlerts('[')", () => parseAlerts("["), "KW_ALERTS_E0001");
  });

  it("parseAlert with bad options", async () => {
    const alert = getScenario("tor-secret-reads").alerts![0];
    await expectRejected("channel: 'nope'", () => parseAlert(alert, { channel: "nope" as never }));
    // Options from an untyped caller (a config file): whatever they hold, only documented errors come out.
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom("channel", "keyVaultOnly", "vaultDnsSuffix", "includeRaw"), fc.jsonValue()), async (options) => {
        expect(await throwsOnlyKeywarden(() => parseAlert(alert, options as never))).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it("parseResourceId, vaultUriFromName and toOcsf on bad input", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.stringMatching(/^\/subscriptions\/[\w/.-]*$/)), async (input) => {
        expect(await throwsOnlyKeywarden(() => parseResourceId(input))).toBeUndefined();
        expect(await throwsOnlyKeywarden(() => vaultUriFromName(input))).toBeUndefined();
        expect(await throwsOnlyKeywarden(() => vaultUriFromName("kv-prod", { suffix: input }))).toBeUndefined();
      }),
      { numRuns: 200 },
    );
    // A parsed alert stored as JSON and read back (its times are strings then, not Dates): mapped, or a documented error.
    // toOcsf trusts its typed input: an alert with fields dropped or replaced by other JSON is not covered here.
    const alert = alertOf("tor-secret-reads");
    expect(await throwsOnlyKeywarden(() => toOcsf(JSON.parse(JSON.stringify(alert)) as KeyVaultAlert))).toBeUndefined();
    await expectRejected("vaultUriFromName('-bad')", () => vaultUriFromName("-bad"), "KW_ALERTS_E0201");
    await expectRejected("vaultUriFromName suffix", () => vaultUriFromName("kv-prod", { suffix: "not a suffix" }), "KW_ALERTS_E0202");
  });
});

describe("DefenderAlertsClient against the fake tenant", () => {
  const tenant = useFakeAzure({ seed: getScenario("tor-secret-reads"), throttling: false });
  const client = () => new DefenderAlertsClient(tenant.credential, { retryOptions: { maxRetries: 0 } });

  it("rejects bad alert ids, subscriptions and arguments with documented codes", async () => {
    await expectRejected("getAlert('nope')", () => client().getAlert("nope"), "KW_ALERTS_E0301");
    await expectRejected("getAlert(42)", () => client().getAlert(42 as never));
    await expectRejected("updateAlertState bad action", () => client().updateAlertState("nope", "dismiss"));
    const notFound = await expectRejected("getAlert(missing)", () => client().getAlert(missingAlertId), "KW_ALERTS_E0302");
    expect(notFound.category).toBe("not-found");
    const drain = async (iterator: AsyncIterable<unknown>) => {
      for await (const _ of iterator) void _;
    };
    await expectRejected("listAlerts bad subscription", () => drain(client().listAlerts({ subscriptionIds: ["not-a-guid"] })), "KW_ALERTS_E0303");
    await expectRejected("listAlerts bad since", () => drain(client().listAlerts({ subscriptionIds: ["00000000-0000-4000-8000-000000000001"], since: "yesterday" })), "KW_ALERTS_E0303");
  });
});

describe("@keywarden/core", () => {
  it("FileJournal.open and parseJournalText on corrupt files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-public-errors-"));
    try {
      const garbage = join(dir, "garbage.jsonl");
      writeFileSync(garbage, "not json\n{\"also\": \"not an entry\"}\n");
      await expectRejected("FileJournal.open(garbage)", () => FileJournal.open(garbage));
      await expectRejected("FileJournal.open(file/inside)", () => FileJournal.open(join(garbage, "inside.jsonl")), "KW_CORE_E0032");
      await expectRejected("FileJournal.open(directory)", () => FileJournal.open(dir), "KW_CORE_E0032");
      await fc.assert(
        fc.asyncProperty(fc.array(fc.oneof(fc.json(), fc.string()), { maxLength: 5 }), async (lines) => {
          expect(await throwsOnlyKeywarden(() => parseJournalText(`${lines.join("\n")}\n`))).toBeUndefined();
        }),
        { numRuns: 200 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("FileLockProvider refuses a held lock and a path it cannot create", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-public-errors-"));
    try {
      const locks = new FileLockProvider(dir);
      const held = await locks.acquire("journal:x", { purpose: "test" });
      await expectRejected("acquire held lock", () => locks.acquire("journal:x", { purpose: "test" }), "KW_CORE_E0010");
      await held.release();
      writeFileSync(join(dir, "file"), "");
      const broken = new FileLockProvider(join(dir, "file", "sub"));
      await expectRejected("acquire under a file", () => broken.acquire("journal:y", { purpose: "test" }), "KW_CORE_E0011");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the manual clock and the request timeout refuse values they cannot use", async () => {
    await expectRejected("createManualClock('soon')", () => createManualClock("soon"), "KW_CORE_E0040");
    const clock = createManualClock(1000);
    await expectRejected("advance(-1)", () => clock.advance(-1), "KW_CORE_E0040");
    await expectRejected("set backwards", () => clock.set(0), "KW_CORE_E0040");
    await expectRejected("requestTimeoutPolicy(0)", () => requestTimeoutPolicy(0), "KW_CORE_E0040");
    const credential = createFakeAzure().credential;
    await expectRejected("a client with requestTimeoutInMs: -1", () => new DefenderAlertsClient(credential, { requestTimeoutInMs: -1 }).getAlert(missingAlertId), "KW_CORE_E0040");
  });

  it("parseIpv4Cidr throws only documented errors", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.stringMatching(/^[\d./]{1,20}$/)), async (input) => {
        expect(await throwsOnlyKeywarden(() => parseIpv4Cidr(input))).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});

describe("@keywarden/triage", () => {
  it("triageAlert with a bad alert, context and policy", async () => {
    const alert = alertOf("tor-secret-reads");
    await expectRejected("bad tenantAddressSpace", () => triageAlert(alert, { tenantAddressSpace: ["not-a-cidr"] }), "KW_TRIAGE_E0004");
    await expectRejected("bad trustedIpRanges", () => triageAlert(alert, {}, { trustedIpRanges: ["10.0.0.0/33"] }));
    // Context and policy values from a config file (data only: providers are code).
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom("tenantId", "tenantAddressSpace", "publicIpSubscriptions", "strict"), fc.jsonValue()),
        fc.dictionary(fc.constantFrom("trustedIpRanges", "simulatedAlerts", "autoApprovedActions", "disabledRules"), fc.jsonValue()),
        async (context, policy) => {
          expect(await throwsOnlyKeywarden(() => triageAlert(alert, context as never, policy as never))).toBeUndefined();
        },
      ),
      { numRuns: 100 },
    );
  });

  const tenant = useFakeAzure({ seed: getScenario("tor-secret-reads"), throttling: false });
  const noRetry = { retryOptions: { maxRetries: 0 } };

  it("providers and helpers refuse ids and options with KW_TRIAGE_E0007", async () => {
    const vaultId = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv";
    const directory = new GraphDirectory(tenant.credential, noRetry);
    await expectRejected("getDirectoryObject(not a GUID)", () => directory.getDirectoryObject("../me"), "KW_TRIAGE_E0007");
    await expectRejected("GraphDirectory maxBatchSize: 0", () => new GraphDirectory(tenant.credential, { ...noRetry, maxBatchSize: 0 }), "KW_TRIAGE_E0007");
    const vaults = new ArmVaultInspector(tenant.credential, noRetry);
    await expectRejected("getVault(not a vault id)", () => vaults.getVault("kv-prod"), "KW_TRIAGE_E0007");
    await expectRejected("listRoleAssignments(not a GUID)", () => vaults.listRoleAssignments(vaultId, "someone"), "KW_TRIAGE_E0007");
    await expectRejected("listPublicIps(not a GUID)", () => new ArmPublicIpReader(tenant.credential, noRetry).listPublicIps("../x"), "KW_TRIAGE_E0007");
    await expectRejected("InMemoryPublicIpReader bad id", () => new InMemoryPublicIpReader({ publicIps: [{ resourceId: "nope" } as never] }), "KW_TRIAGE_E0007");
    await expectRejected("createLookupCache ttl 0", () => createLookupCache({ ttlInMs: 0 }), "KW_TRIAGE_E0007");
  });
});

describe("@keywarden/impact", () => {
  const tenant = useFakeAzure({ seed: getScenario("tor-secret-reads"), throttling: false });

  it("measureImpact with bad options and a workspace the fake does not have", async () => {
    const alert = alertOf("tor-secret-reads");
    await expectRejected("no credential, no client", () => measureImpact(alert, {}), "KW_IMPACT_E0004");
    await expectRejected("kqlDatetime(invalid)", () => kqlDatetime(new Date(Number.NaN)), "KW_IMPACT_E0003");
    await expectRejected("criteria no vault", () => measureImpactForCriteria({} as never, { credential: tenant.credential }), "KW_IMPACT_E0001");
    await expectRejected("buildImpactQueries({})", () => buildImpactQueries({} as never));
    const aborted = AbortSignal.abort(new Error("stop"));
    await expectRejected("aborted", () => measureImpact(alert, { credential: tenant.credential, workspaceId: "00000000-0000-4000-8000-000000000099", abortSignal: aborted }), "KW_IMPACT_E0005");
    // An unknown workspace is a gap in the report, not an error; whatever it throws must keep the contract.
    expect(
      await throwsOnlyKeywarden(() => measureImpact(alert, { credential: tenant.credential, workspaceId: "00000000-0000-4000-8000-000000000099", clientOptions: { retryOptions: { maxRetries: 0 } } })),
    ).toBeUndefined();
  });
});

describe("@keywarden/remediation", () => {
  it("validatePlan throws only documented errors for any JSON", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryInput, async (input) => {
        expect(await throwsOnlyKeywarden(() => validatePlan(input))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    await expectRejected("validatePlan({})", () => validatePlan({}), "KW_REMEDIATION_E0001");
  });

  it("applyPlan and planRollback with malformed plans and journals", async () => {
    const journal = new InMemoryJournal();
    await expectRejected("applyPlan({})", () => applyPlan({} as RemediationPlan, { journal, executors: {} }), "KW_REMEDIATION_E0001");
    await expectRejected("applyPlan(undefined)", () => applyPlan(undefined as never, { journal, executors: {} }));
    await expectRejected("planRollback(empty)", () => planRollback(new InMemoryJournal()), "KW_REMEDIATION_E0017");
    await expectRejected("planRollback(garbage)", () => planRollback([{ nonsense: true }] as never));
  });

  it("planResponse with something that is not a triage report", async () => {
    await expectRejected("planResponse({})", () => planResponse({} as TriageReport), "KW_REMEDIATION_E0027");
    await expectRejected("planResponse(JSON null)", () => planResponse(JSON.parse("null") as TriageReport), "KW_REMEDIATION_E0027");
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (input) => {
        expect(await throwsOnlyKeywarden(() => planResponse(input as never))).toBeUndefined();
      }),
      { numRuns: 100 },
    );
    // A real report stored as JSON and read back with one top-level or decision field damaged.
    const report = JSON.parse(JSON.stringify(await triageAlert(alertOf("tor-secret-reads"), {}, { simulatedAlerts: "respond" }))) as Record<string, unknown> & { decision: Record<string, unknown> };
    const paths = [...Object.keys(report).map((key) => [key]), ...Object.keys(report.decision).map((key) => ["decision", key])];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.option(fc.jsonValue(), { nil: undefined }), async (path, value) => {
        const damaged = structuredClone(report);
        const owner: Record<string, unknown> = path.length === 2 ? damaged.decision : damaged;
        owner[path.at(-1)!] = value;
        expect(await throwsOnlyKeywarden(() => planResponse(damaged as never, undefined, { now: "2026-11-28T09:01:00Z" }))).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});

describe("@keywarden/suppression", () => {
  it("parseSuppressionRules and defineSuppressionRule", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (text) => {
        expect(await throwsOnlyKeywarden(() => parseSuppressionRules(text))).toBeUndefined();
        expect(await throwsOnlyKeywarden(() => parseSuppressionRules(text, { format: "yaml" }))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom("name", "alertType", "reason", "comment", "expiresOn", "state", "scope"), fc.jsonValue()), async (input) => {
        expect(await throwsOnlyKeywarden(() => defineSuppressionRule(input as never))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    await expectRejected("defineSuppressionRule({})", () => defineSuppressionRule({} as never), "KW_SUPPRESSION_E0001");
  });

  it("applySuppressionChanges with a malformed plan", async () => {
    const store = new InMemorySuppressionRulesStore();
    const rule = defineSuppressionRule({ name: "tor-ok", alertType: "KV_TORAccess", reason: "FalsePositive", expiresOn: "2099-01-01T00:00:00Z", scope: [{ field: "entities.ip.address", in: ["192.0.2.1"] }] });
    const plan = planSuppressionChanges([rule], []);
    await expectRejected("apply an edited plan", () => applySuppressionChanges({ ...plan, changes: [{ kind: "create", name: "x" }] } as never, { store }), "KW_SUPPRESSION_E0003");
    await expectRejected("apply malformed plan", () => applySuppressionChanges({} as SuppressionPlan, { store }), "KW_SUPPRESSION_E0003");
    await expectRejected("apply a plan read from JSON null", () => applySuppressionChanges(JSON.parse("null") as SuppressionPlan, { store }), "KW_SUPPRESSION_E0003");
    await expectRejected("apply with no store", () => applySuppressionChanges(plan, {}), "KW_SUPPRESSION_E0008");
    // A saved plan (`suppress plan --out`) edited by hand: any field of the plan or of its change replaced by other JSON.
    const json = JSON.parse(JSON.stringify(plan)) as { changes: Record<string, unknown>[] } & Record<string, unknown>;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("planId", "changes", "unchanged", "issues", "change.kind", "change.name", "change.after", "after.name", "after.scope", "after.expiresOn", "after.alertType"),
        fc.option(fc.jsonValue(), { nil: undefined }),
        async (field, value) => {
          const edited = structuredClone(json);
          const [owner, key] = field.includes(".") ? (field.split(".") as [string, string]) : ["plan", field];
          const target: Record<string, unknown> = owner === "plan" ? edited : owner === "change" ? edited.changes[0]! : (edited.changes[0]!["after"] as Record<string, unknown>);
          target[key] = value;
          expect(await throwsOnlyKeywarden(() => applySuppressionChanges(edited as never, { store: new InMemorySuppressionRulesStore() }))).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });

  it("lintSuppressionRules and previewSuppression with an invalid time", async () => {
    await expectRejected("lint now", () => lintSuppressionRules([], { now: "soon" }), "KW_SUPPRESSION_E0008");
    await expectRejected("preview at", () => previewSuppression([], [], { at: "soon" }), "KW_SUPPRESSION_E0008");
  });
});

describe("@keywarden/testing", () => {
  it("fake tenant misuse", async () => {
    await expectRejected("unknown scenario", () => getScenario("nope"), "KW_TESTING_E0002");
    await expectRejected("bad seed", () => loadSeed({ vaults: 42 }), "KW_TESTING_E0001");
    await expectRejected("bad profile", () => createFakeAzure({ profile: "nope" as never }), "KW_TESTING_E0005");
    await expectRejected("bad clock", () => createFakeClock({ start: "yesterday" }), "KW_TESTING_E0004");
    const standalone = createFakeAzure({ seed: getScenario("tor-secret-reads") });
    const client = new DefenderAlertsClient(standalone.credential, { retryOptions: { maxRetries: 0 } });
    // No listen(): the request must fail closed, with a KeywardenError naming the fix.
    await expectRejected("request with no listen()", () => client.getAlert(getScenario("tor-secret-reads").alerts![0]!.id));
    await expectRejected("bad fault", () => standalone.faults.inject({} as never), "KW_TESTING_E0003");
  });
});
