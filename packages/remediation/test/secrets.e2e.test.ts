import { useFakeAzure } from "@keywarden/testing/vitest";
import { getResponse, http, HttpResponse, type JsonBodyType } from "msw";
import { describe, expect, it } from "vitest";
import { isPurgeable } from "../src/azure/object-executors.js";
import { defineRotator, planRollback, RemediationCodes, randomValueRotator, ROTATION_TAG } from "../src/index.js";
import { applyFast, buildPlan, common, executorsFor, vaultTarget } from "./support/harness.js";
import { LOCKED_VAULT, LOCKED_VAULT_ID, remediationSeed, VAULT, VAULT_ID, VERSIONS } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });

const secretVersions = (name: string, vaultId = VAULT_ID) =>
  (tenant.state.vaults.get(vaultId)?.secrets.get(name)?.versions ?? []).map((version) => ({
    version: version.version,
    enabled: version.attributes.enabled !== false,
    tags: version.tags,
  }));
const isDeleted = (name: string, vaultId = VAULT_ID) => tenant.state.vaults.get(vaultId)?.deletedSecrets.has(name) === true;
const isLive = (name: string, vaultId = VAULT_ID) => tenant.state.vaults.get(vaultId)?.secrets.has(name) === true;

describe("disable-secrets through the fake tenant", () => {
  const plan = () =>
    buildPlan([
      {
        kind: "disable-secrets",
        target: {
          vault: vaultTarget(VAULT),
          objects: [
            { type: "secret", name: "db-password", versions: VERSIONS.dbPassword.slice(0, 2) },
            { type: "secret", name: "api-token" },
          ],
        },
        parameters: {},
        ...common,
      },
    ]);

  it("disables exactly the exposed versions, and every version but the current one where none are named and nothing was rotated", async () => {
    const { result, entries } = await applyFast(tenant, plan());
    expect(result.status).toBe("completed");
    expect(secretVersions("db-password").map((version) => version.enabled)).toEqual([false, false, true]);
    // Without a rotation by this plan the latest enabled version is the only one consumers can use: it stays.
    expect(secretVersions("api-token").map((version) => version.enabled)).toEqual([false, true]);
    const kept = result.steps[0]?.warnings.filter((warning) => warning.code === RemediationCodes.latestVersionKept) ?? [];
    expect(kept.map((warning) => warning.message).join("\n")).toContain(`secret api-token version ${VERSIONS.apiToken[1]} stays enabled`);
    const started = entries.find((entry) => entry.event === "started");
    expect(started?.before).toMatchObject({ objects: [{ name: "db-password" }, { name: "api-token", kept: [{ version: VERSIONS.apiToken[1] }] }] });
  });

  it("keeps the current version enabled when the plan's rotation was denied", async () => {
    const rotateThenDisable = buildPlan([
      { kind: "rotate-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "api-token" }] }, parameters: { allowRandomValue: true }, ...common, reversible: false, requiresApproval: true },
      { kind: "disable-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "api-token" }] }, parameters: {}, ...common },
    ]);
    const { result } = await applyFast(tenant, rotateThenDisable, undefined, { approve: (request) => request.step.kind !== "rotate-secrets" }, executorsFor(tenant, { rotators: [randomValueRotator()] }));
    expect(result.steps.map((step) => step.status)).toEqual(["denied", "succeeded"]);
    expect(secretVersions("api-token").map((version) => version.enabled)).toEqual([false, true]);
  });

  it("disables every older version once the plan's own rotation made a newer one", async () => {
    const rotateThenDisable = buildPlan([
      { kind: "rotate-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "api-token" }] }, parameters: { allowRandomValue: true }, ...common, reversible: false },
      { kind: "disable-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "api-token" }] }, parameters: {}, ...common },
    ]);
    const { result } = await applyFast(tenant, rotateThenDisable, undefined, {}, executorsFor(tenant, { rotators: [randomValueRotator()] }));
    expect(result.status).toBe("completed");
    expect(secretVersions("api-token").map((version) => version.enabled)).toEqual([false, false, true]);
  });

  it("rolls back by re-enabling exactly the versions it disabled", async () => {
    tenant.state.vaults.get(VAULT_ID)!.secrets.get("api-token")!.versions[0]!.attributes.enabled = false;
    const before = { db: secretVersions("db-password"), api: secretVersions("api-token") };
    const { journal } = await applyFast(tenant, plan());
    const rollback = await planRollback(journal);
    expect(rollback.steps.map((step) => step.kind)).toEqual(["enable-versions"]);
    const { result } = await applyFast(tenant, rollback);
    expect(result.status).toBe("completed");
    expect(secretVersions("db-password")).toEqual(before.db);
    // The version that was already disabled before the plan stays disabled.
    expect(secretVersions("api-token")).toEqual(before.api);
  });
});

describe("delete-secrets through the fake tenant", () => {
  const plan = (purge: boolean, vault = VAULT, name = "api-token") =>
    buildPlan([
      {
        kind: "delete-secrets",
        target: { vault: vaultTarget(vault), objects: [{ type: "secret", name }] },
        parameters: { purge },
        ...common,
        risk: purge ? "destructive" : "sensitive",
        reversible: !purge,
        requiresApproval: true,
      },
    ]);

  it("soft-deletes, and a re-run finds it already deleted", async () => {
    const { result } = await applyFast(tenant, plan(false));
    expect(result.status).toBe("completed");
    expect(isLive("api-token")).toBe(false);
    expect(isDeleted("api-token")).toBe(true);
    const again = await applyFast(tenant, plan(false));
    expect(again.result.steps[0]?.status).toBe("already-done");
  });

  it("treats a name that is already deleted but recoverable as done", async () => {
    const { result } = await applyFast(tenant, plan(false, VAULT, "old-token"));
    expect(result.steps[0]?.status).toBe("already-done");
    expect(isDeleted("old-token")).toBe(true);
  });

  it("refuses to purge under purge protection and writes nothing", async () => {
    const { result } = await applyFast(tenant, plan(true, LOCKED_VAULT, "legacy"));
    expect(result.status).toBe("failed");
    expect(result.steps[0]?.error?.code).toBe("KW_REMEDIATION_E0007");
    expect(isLive("legacy", LOCKED_VAULT_ID)).toBe(true);
  });

  it("purges only on explicit opt-in, where the vault allows it", async () => {
    const { result } = await applyFast(tenant, plan(true));
    expect(result.status).toBe("completed");
    expect(isLive("api-token")).toBe(false);
    expect(isDeleted("api-token")).toBe(false);
  });

  it("is never run without approval", async () => {
    const { result } = await applyFast(tenant, plan(false), undefined, { approve: () => false });
    expect(result.steps[0]?.status).toBe("denied");
    expect(isLive("api-token")).toBe(true);
  });

  it("rolls back a soft delete by recovering the secret with its versions", async () => {
    const before = secretVersions("api-token");
    const { journal } = await applyFast(tenant, plan(false));
    const rollback = await planRollback(journal);
    expect(rollback.steps.map((step) => step.kind)).toEqual(["recover-deleted"]);
    const { result } = await applyFast(tenant, rollback);
    expect(result.status).toBe("completed");
    expect(secretVersions("api-token")).toEqual(before);
  });

  it("lists a purge as irreversible in the rollback plan", async () => {
    const { journal } = await applyFast(tenant, plan(true));
    const rollback = await planRollback(journal);
    expect(rollback.steps).toEqual([]);
    expect(rollback.irreversible.map((item) => item.kind)).toEqual(["delete-secrets"]);
  });
});

describe("rotate-secrets and rotate-keys through the fake tenant", () => {
  const rotatePlan = (name: string, allowRandomValue: boolean) =>
    buildPlan([
      {
        kind: "rotate-secrets",
        target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name }] },
        parameters: { allowRandomValue },
        ...common,
        reversible: false,
      },
      {
        kind: "disable-secrets",
        target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name }] },
        parameters: {},
        ...common,
      },
    ]);

  it("rotates through the matching rotator, then disables every old version but never the new one", async () => {
    const rotated: string[] = [];
    const sqlRotator = defineRotator({
      name: "sql",
      match: { contentTypes: ["application/x-sql-password"] },
      rotate: ({ name }) => {
        rotated.push(name);
        return Promise.resolve({ value: "new-sql-value-1b2c" });
      },
    });
    const harness = executorsFor(tenant, { rotators: [sqlRotator, randomValueRotator()] });
    const { result } = await applyFast(tenant, rotatePlan("db-password", false), undefined, {}, harness);
    expect(result.status).toBe("completed");
    expect(rotated).toEqual(["db-password"]);
    const versions = secretVersions("db-password");
    expect(versions).toHaveLength(4);
    expect(versions.slice(0, 3).every((version) => !version.enabled)).toBe(true);
    expect(versions[3]?.enabled).toBe(true);
    expect(versions[3]?.tags?.[ROTATION_TAG]).toMatch(/^kwp_[0-9a-f]{32}:s01-rotate-secrets$/);
    // Applying again creates no further version.
    const again = await applyFast(tenant, rotatePlan("db-password", false), undefined, {}, harness);
    expect(again.result.steps.map((step) => step.status)).toEqual(["already-done", "already-done"]);
    expect(secretVersions("db-password")).toHaveLength(4);
  });

  it("refuses the random-value rotator unless policy allows it", async () => {
    const harness = executorsFor(tenant, { rotators: [randomValueRotator()] });
    const refused = await applyFast(tenant, rotatePlan("api-token", false), undefined, {}, harness);
    expect(refused.result.steps[0]?.error?.code).toBe("KW_REMEDIATION_E0013");
    expect(secretVersions("api-token")).toHaveLength(2);
    const allowed = await applyFast(tenant, rotatePlan("api-token", true), undefined, {}, harness);
    expect(allowed.result.status).toBe("completed");
    expect(allowed.result.steps[0]?.warnings.map((warning) => warning.code)).toContain("KW_REMEDIATION_W0002");
    expect(secretVersions("api-token")).toHaveLength(3);
  });

  it("explains that a deleted-but-recoverable name cannot get a new version", async () => {
    const harness = executorsFor(tenant, { rotators: [randomValueRotator()] });
    const { result } = await applyFast(tenant, rotatePlan("old-token", true), undefined, {}, harness);
    expect(result.status).toBe("failed");
    expect(result.steps[0]?.error?.code).toBe("KW_REMEDIATION_E0003");
    expect(result.steps[0]?.error?.message).toContain("deleted but recoverable");
  });

  it("rotates a key through the rotate operation, once", async () => {
    const plan = buildPlan([
      { kind: "rotate-keys", target: { vault: vaultTarget(VAULT), objects: [{ type: "key", name: "wrap-key" }] }, parameters: {}, ...common, reversible: false },
    ]);
    const keyVersions = () => tenant.state.vaults.get(VAULT_ID)?.keys.get("wrap-key")?.versions.length;
    const { result, journal } = await applyFast(tenant, plan);
    expect(result.status).toBe("completed");
    expect(keyVersions()).toBe(2);
    await applyFast(tenant, plan);
    expect(keyVersions()).toBe(2);
    const rollback = await planRollback(journal);
    expect(rollback.steps).toEqual([]);
    expect(rollback.irreversible.map((item) => item.kind)).toEqual(["rotate-keys"]);
  });

  it("issues a new certificate version from its policy and disables the old one", async () => {
    const certificateVersions = () =>
      (tenant.state.vaults.get(VAULT_ID)?.certificates.get("web-tls")?.versions ?? []).map((version) => version.attributes.enabled !== false);
    const plan = buildPlan([
      { kind: "rotate-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "certificate", name: "web-tls" }] }, parameters: { allowRandomValue: false }, ...common, reversible: false },
      { kind: "disable-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "certificate", name: "web-tls" }] }, parameters: {}, ...common },
    ]);
    const { result } = await applyFast(tenant, plan);
    expect(result.status, JSON.stringify(result.steps.map((step) => step.error))).toBe("completed");
    expect(certificateVersions()).toEqual([false, true]);
    const again = await applyFast(tenant, plan);
    expect(again.result.steps.map((step) => step.status)).toEqual(["already-done", "already-done"]);
  });

  it("disables key versions older than the plan's own rotation, and never a key's only version", async () => {
    const disableOnly = buildPlan([
      { kind: "disable-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "key", name: "wrap-key" }] }, parameters: {}, ...common },
    ]);
    const kept = await applyFast(tenant, disableOnly);
    expect(kept.result.steps[0]?.status).toBe("already-done");
    expect(kept.result.steps[0]?.warnings.map((warning) => warning.code)).toContain(RemediationCodes.latestVersionKept);
    expect(tenant.state.vaults.get(VAULT_ID)?.keys.get("wrap-key")?.versions.map((version) => version.attributes.enabled !== false)).toEqual([true]);

    const plan = buildPlan([
      { kind: "rotate-keys", target: { vault: vaultTarget(VAULT), objects: [{ type: "key", name: "wrap-key" }] }, parameters: {}, ...common, reversible: false },
      { kind: "disable-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "key", name: "wrap-key" }] }, parameters: {}, ...common },
    ]);
    const { result } = await applyFast(tenant, plan);
    expect(result.status).toBe("completed");
    expect(tenant.state.vaults.get(VAULT_ID)?.keys.get("wrap-key")?.versions.map((version) => version.attributes.enabled !== false)).toEqual([false, true]);
  });
});

describe("purge guard when a read omits recoveryLevel", () => {
  /** Passes the vault's data-plane reads through the fake, minus every `recoveryLevel` (as some reads come back). */
  function stripRecoveryLevel(vaultName: string): void {
    const strip = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(strip);
      if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "recoveryLevel").map(([key, inner]) => [key, strip(inner)]));
      }
      return value;
    };
    tenant.server.use(
      http.get(`https://${vaultName}.vault.azure.net/*`, async ({ request }) => {
        const response = await getResponse([...tenant.handlers], request);
        if (response === undefined || !(response.headers.get("content-type") ?? "").includes("json")) return response;
        const headers = new Headers(response.headers);
        headers.delete("content-length");
        return HttpResponse.json(strip(await response.json()) as JsonBodyType, { status: response.status, headers });
      }),
    );
  }
  const purgePlan = (vault: string, name: string) =>
    buildPlan([
      {
        kind: "delete-secrets",
        target: { vault: vaultTarget(vault), objects: [{ type: "secret", name }] },
        parameters: { purge: true },
        ...common,
        risk: "destructive",
        reversible: false,
        requiresApproval: true,
      },
    ]);

  it("refuses the purge when the vault read shows purge protection, and writes nothing", async () => {
    stripRecoveryLevel(LOCKED_VAULT);
    try {
      const { result } = await applyFast(tenant, purgePlan(LOCKED_VAULT, "legacy"));
      expect(result.status).toBe("failed");
      expect(result.steps[0]?.error?.code).toBe(RemediationCodes.purgeRefused);
      expect(result.steps[0]?.error?.message).toContain("enablePurgeProtection is true");
      expect(isLive("legacy", LOCKED_VAULT_ID)).toBe(true);
    } finally {
      tenant.server.resetHandlers();
    }
  });

  it("purges when the vault read shows purge protection is off", async () => {
    stripRecoveryLevel(VAULT);
    try {
      const { result } = await applyFast(tenant, purgePlan(VAULT, "api-token"));
      expect(result.status).toBe("completed");
      expect(isLive("api-token")).toBe(false);
      expect(isDeleted("api-token")).toBe(false);
    } finally {
      tenant.server.resetHandlers();
    }
  });

  it("fails closed without a recovery level or a vault read", () => {
    expect(isPurgeable(undefined)).toBe(false);
    expect(isPurgeable(undefined, true)).toBe(false);
    expect(isPurgeable(undefined, false)).toBe(true);
    expect(isPurgeable("Recoverable+Purgeable")).toBe(true);
    expect(isPurgeable("Recoverable+ProtectedSubscription")).toBe(false);
  });
});

describe("responder locked out by its own firewall", () => {
  it("turns a data-plane 403 ForbiddenByFirewall into an error that says the responder's address must be added", async () => {
    tenant.server.use(
      http.patch(`https://${VAULT}.vault.azure.net/secrets/*`, () =>
        HttpResponse.json(
          {
            error: {
              code: "Forbidden",
              message: "Client address is not authorized and caller is not a trusted service.\r\nClient address: 203.0.113.99",
              innererror: { code: "ForbiddenByFirewall" },
            },
          },
          { status: 403 },
        ),
      ),
    );
    try {
      const plan = buildPlan([
        { kind: "disable-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "db-password", versions: VERSIONS.dbPassword.slice(0, 1) }] }, parameters: {}, ...common },
      ]);
      const { result, entries } = await applyFast(tenant, plan);
      expect(result.status).toBe("failed");
      expect(result.steps[0]?.error).toMatchObject({ code: RemediationCodes.forbiddenByFirewall, status: 403 });
      expect(result.steps[0]?.error?.message).toContain("The responder's address must be added (policy.firewall.addIpRules) or the data-plane steps will fail");
      expect(entries.find((entry) => entry.event === "failed")?.code).toBe(RemediationCodes.forbiddenByFirewall);
    } finally {
      tenant.server.resetHandlers();
    }
  });
});
