import { createPublicKey, verify as cryptoVerify } from "node:crypto";
import { CryptographyClient, KeyClient, type KeyVaultKey } from "@azure/keyvault-keys";
import { InMemoryJournal } from "@keywarden/core";
import { DEFAULT_IDENTITY, type FakeAzureSeed } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { applyPlan, keyVaultPlanKey, planSigningPayload, RemediationCodes, RemediationError, signPlan, verifyPlanSignature, type RemediationPlan } from "../src/index.js";
import { computePlanId } from "../src/plan/plan-id.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget } from "./support/harness.js";
import { remediationSeed, RESPONDER_IP, TENANT, VAULT, VAULT_ID } from "./support/seed.js";

/** The vault that holds the plan-signing key; the responder identity has only the key permissions each test gives it. */
const SIGNING_VAULT = "kv-plan-keys";
const SIGNING_VAULT_ID = VAULT_ID.replace(`/vaults/${VAULT}`, `/vaults/${SIGNING_VAULT}`);

function seed(): FakeAzureSeed {
  const base = remediationSeed();
  const prod = base.vaults?.find((vault) => vault.name === VAULT);
  if (prod === undefined) throw new Error("the remediation seed has no kv-prod");
  base.vaults?.push({
    ...structuredClone(prod),
    id: SIGNING_VAULT_ID,
    name: SIGNING_VAULT,
    properties: {
      ...structuredClone(prod.properties),
      vaultUri: `https://${SIGNING_VAULT}.vault.azure.net/`,
      accessPolicies: [{ tenantId: TENANT, objectId: DEFAULT_IDENTITY.objectId, permissions: { keys: ["Get", "Create", "Update", "Sign", "Verify"] } }],
      networkAcls: { defaultAction: "Allow", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
    },
  });
  return base;
}

// Strict: the signing vault's access policies are enforced, as Key Vault does.
const tenant = useFakeAzure({ seed: seed(), profile: "strict", autoAdvanceInMs: 1000 });
const retryOptions = { maxRetries: 0 };
const keys = () => new KeyClient(`https://${SIGNING_VAULT}.vault.azure.net`, tenant.credential, { retryOptions });
const cryptoFor = (keyId: string) => new CryptographyClient(keyId, tenant.credential, { retryOptions });
const grant = (permissions: string[]) => {
  const vault = tenant.state.vaults.get(SIGNING_VAULT_ID);
  if (vault === undefined) throw new Error("no signing vault");
  vault.resource.properties.accessPolicies = [{ tenantId: TENANT, objectId: DEFAULT_IDENTITY.objectId, permissions: { keys: permissions } }];
};

const firewallPlan = (): RemediationPlan =>
  buildPlan([
    {
      kind: "enable-firewall",
      target: { vault: vaultTarget(VAULT) },
      parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules: [RESPONDER_IP], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
      ...common,
    },
  ]);

/** Requests that changed the responded-to tenant (the signing vault's sign and verify calls excluded). */
const tenantWrites = () =>
  tenant.calls.all().filter((call) => !call.url.includes(`${SIGNING_VAULT}.vault.azure.net`) && !["GET", "HEAD"].includes(call.method.toUpperCase()) && call.status !== 401).length;

const failureOf = async (promise: Promise<unknown>): Promise<RemediationError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!RemediationError.isInstance(error)) throw new Error(`expected a RemediationError, got ${String(error)}`);
  return error;
};

describe("plans signed with a Key Vault key (CryptographyClient.sign)", () => {
  it.each(["PS256", "RS256", "ES256"] as const)("%s: a signed plan verifies and applies; an edited, re-hashed plan is refused before any write", async (algorithm) => {
    tenant.reset();
    grant(["Get", "Create", "Update", "Sign", "Verify"]);
    const name = `plan-signing-${algorithm.toLowerCase()}`;
    const key =
      algorithm === "ES256"
        ? await keys().createEcKey(name, { curve: "P-256", keyOps: ["sign", "verify"] })
        : await keys().createRsaKey(name, { keyOps: ["sign", "verify"] });
    const planKey = keyVaultPlanKey(cryptoFor(key.id ?? ""), algorithm);
    expect(planKey.keyId).toBe(key.id);
    const signed = await signPlan(firewallPlan(), planKey);
    expect(signed.signature).toMatchObject({ algorithm, keyId: key.id });
    await verifyPlanSignature(signed, planKey);
    // The signature is a real one over the plan: Key Vault's own verify says so, and an edit breaks it.
    const edited = structuredClone(signed);
    const step = edited.steps[0];
    if (step?.kind !== "enable-firewall") throw new Error("unexpected plan");
    step.parameters.addIpRules.push("185.220.101.45");
    edited.id = computePlanId(edited);
    const refused = await failureOf(verifyPlanSignature(edited, planKey));
    expect(refused.code).toBe(RemediationCodes.planSignatureInvalid);

    const { executors } = executorsFor(tenant);
    const before = tenantWrites();
    const applyRefused = await failureOf(applyPlan(edited, fastOptions(new InMemoryJournal(), executors, { planKey })));
    expect(applyRefused.code).toBe(RemediationCodes.planSignatureInvalid);
    expect(tenantWrites()).toBe(before);
    expect(tenant.state.vaults.get(VAULT_ID)?.resource.properties.networkAcls?.ipRules ?? []).not.toContainEqual({ value: "185.220.101.45" });

    const applied = await applyPlan(signed, fastOptions(new InMemoryJournal(), executors, { planKey }));
    expect(applied.status).toBe("completed");
    expect(tenant.state.vaults.get(VAULT_ID)?.resource.properties.networkAcls?.defaultAction).toBe("Deny");
  });

  it("ES256: the plan signature is Key Vault's raw r||s over the SHA-256 of the signing payload, checked without Key Vault", async () => {
    tenant.reset();
    grant(["Get", "Create", "Update", "Sign", "Verify"]);
    const key: KeyVaultKey = await keys().createEcKey("plan-signing-ec", { curve: "P-256", keyOps: ["sign", "verify"] });
    // Only sign and verify: the SDK cannot read the key, so both operations go to the vault.
    grant(["Sign", "Verify"]);
    const planKey = keyVaultPlanKey(cryptoFor(key.id ?? ""), "ES256");
    const signed = await signPlan(firewallPlan(), planKey);
    const signature = Buffer.from(signed.signature?.value ?? "", "base64url");
    expect(signature).toHaveLength(64);
    const publicKey = createPublicKey({
      key: { kty: "EC", crv: "P-256", x: Buffer.from(key.key?.x ?? []).toString("base64url"), y: Buffer.from(key.key?.y ?? []).toString("base64url") },
      format: "jwk",
    });
    const payload = planSigningPayload(signed);
    // node:crypto hashes the payload itself with SHA-256 and reads the signature as r||s: the same check, independently.
    expect(cryptoVerify("sha256", payload, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature)).toBe(true);
    await verifyPlanSignature(signed, planKey);
    // The same plan signed with the RSA algorithm name on this EC key is refused, not silently accepted.
    const mislabelled = { ...signed, signature: { ...signed.signature!, algorithm: "PS256" } };
    expect((await failureOf(verifyPlanSignature(mislabelled, planKey))).code).toBe(RemediationCodes.planSignatureInvalid);
  });

  it("a key the identity may not sign with gives KW_REMEDIATION_E0026 naming the permission, not a bare SDK error", async () => {
    tenant.reset();
    grant(["Get", "Create", "Update", "Sign", "Verify"]);
    const key = await keys().createRsaKey("no-sign-permission", { keyOps: ["sign", "verify"] });
    grant(["Get", "Verify"]);
    const error = await failureOf(signPlan(firewallPlan(), keyVaultPlanKey(cryptoFor(key.id ?? ""))));
    expect(error.code).toBe(RemediationCodes.planKeyRefused);
    expect(error.category).toBe("forbidden");
    expect(error.status).toBe(403);
    expect(error.message).toContain("ForbiddenByPolicy");
    expect(error.message).toContain("keys/sign");
    expect(error.cause).toBeDefined();
  });

  it("a key whose key_ops leave out sign, or that is disabled, gives KW_REMEDIATION_E0026 too", async () => {
    tenant.reset();
    grant(["Get", "Create", "Update", "Sign", "Verify"]);
    const verifyOnly = await keys().createRsaKey("verify-only", { keyOps: ["verify"] });
    // The SDK reads the key first and refuses itself (key_ops).
    const local = await failureOf(signPlan(firewallPlan(), keyVaultPlanKey(cryptoFor(verifyOnly.id ?? ""))));
    expect(local.code).toBe(RemediationCodes.planKeyRefused);
    // Without keys/get the SDK asks the service, which refuses with KeyOperationForbidden.
    grant(["Sign", "Verify"]);
    const remote = await failureOf(signPlan(firewallPlan(), keyVaultPlanKey(cryptoFor(verifyOnly.id ?? ""))));
    expect(remote.code).toBe(RemediationCodes.planKeyRefused);
    expect(remote.message).toContain("KeyOperationForbidden");

    grant(["Get", "Create", "Update", "Sign", "Verify"]);
    const disabled = await keys().createRsaKey("disabled", { keyOps: ["sign", "verify"] });
    await keys().updateKeyProperties("disabled", disabled.properties.version ?? "", { enabled: false });
    grant(["Sign", "Verify"]);
    const off = await failureOf(signPlan(firewallPlan(), keyVaultPlanKey(cryptoFor(disabled.id ?? ""))));
    expect(off.code).toBe(RemediationCodes.planKeyRefused);
    expect(off.message).toContain("KeyDisabled");
  });

  it("a verifying key without keys/verify is refused as such, never reported as an edited plan", async () => {
    tenant.reset();
    grant(["Get", "Create", "Update", "Sign", "Verify"]);
    const key = await keys().createRsaKey("verify-refused", { keyOps: ["sign", "verify"] });
    const signed = await signPlan(firewallPlan(), keyVaultPlanKey(cryptoFor(key.id ?? "")));
    grant(["Sign"]);
    const error = await failureOf(verifyPlanSignature(signed, keyVaultPlanKey(cryptoFor(key.id ?? ""))));
    expect(error.code).toBe(RemediationCodes.planKeyRefused);
    expect(error.message).toContain("keys/verify");
  });
});
