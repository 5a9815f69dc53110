import { describe, expect, it } from "vitest";
import { identifySource, InMemoryDirectory, triageAlert } from "../src/index.js";
import { buildAlert } from "./support/build-alert.js";
import { OWNER, PRINCIPALS, tableContext } from "./support/table-world.js";

const ctx = () => tableContext("access-policy");
const actionKinds = (report: Awaited<ReturnType<typeof triageAlert>>) => report.decision.recommendedActions.map((a) => a.kind);

describe("built-in rules", () => {
  it("key use from outside the tenant rotates the keys the alert names", async () => {
    const alert = buildAlert({
      kind: "KV_OperationPatternAnomaly",
      ipAddress: "198.51.100.23",
      operations: [{ operation: "KeyUnwrap", count: 40 }],
      targets: ["https://kv-payments.vault.azure.net/keys/tde-key/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
    });
    const report = await triageAlert(alert, ctx());
    const rotate = report.decision.recommendedActions.find((a) => a.kind === "rotate-keys");
    expect(rotate?.kind === "rotate-keys" && rotate.parameters).toEqual({ names: ["tde-key"], versions: { "tde-key": ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"] }, includeExposedFromImpact: true });
    expect(actionKinds(report)).not.toContain("rotate-secrets");
  });

  it("a first-party service reading only metadata is confirmed, not contained, and nothing is rotated", async () => {
    const alert = buildAlert({
      kind: "KV_AppAnomaly",
      ipAddress: "40.74.146.80",
      objectId: PRINCIPALS["first-party-app"]!.objectId,
      operations: [{ operation: "VaultGet", count: 10 }, { operation: "SecretList", count: 3 }],
    });
    const report = await triageAlert(alert, ctx());
    expect(report.source.principal.microsoftFirstParty).toBe(true);
    expect(actionKinds(report).sort()).toEqual(["contact-owner", "measure-impact", "update-alert-state"]);
    expect(report.findings.map((f) => f.messageId)).toEqual(expect.arrayContaining(["firstPartyMetadata", "microsoftService"]));
  });

  it("without listed operations, secrets may have been read: rotation covers what impact finds", async () => {
    const alert = buildAlert({ kind: "KV_SuspiciousIPAccess", ipAddress: "198.51.100.23" });
    const report = await triageAlert(alert, ctx());
    const rotate = report.decision.recommendedActions.find((a) => a.kind === "rotate-secrets");
    expect(rotate?.kind === "rotate-secrets" && rotate.parameters).toEqual({ names: [], versions: {}, includeExposedFromImpact: true });
    expect(report.findings.find((f) => f.ruleId === "kv/secrets-exposed")?.messageId).toBe("mayHaveRead");
  });

  it("metadata-only access never rotates secrets", async () => {
    const alert = buildAlert({ kind: "KV_OperationVolumeAnomaly", ipAddress: "198.51.100.23", operations: [{ operation: "SecretList", count: 900 }] });
    expect(actionKinds(await triageAlert(alert, ctx()))).not.toContain("rotate-secrets");
  });

  it("an IPv6 source gets the firewall with a note that only Deny keeps it out", async () => {
    const alert = buildAlert({ kind: "KV_TORAccess", ipAddress: "2001:470:1:908::9001" });
    const report = await triageAlert(alert, ctx());
    const firewall = report.decision.recommendedActions.find((a) => a.kind === "enable-firewall");
    expect(firewall?.kind === "enable-firewall" && firewall.parameters.blockedAddressIsIpv6).toBe(true);
    expect(report.findings.map((f) => f.messageId)).toContain("ipv6");
  });

  it("a firewall that is already on but was passed is reported, not re-enabled", async () => {
    const alert = buildAlert({ kind: "KV_SuspiciousIPAccess", ipAddress: "198.51.100.23" });
    const report = await triageAlert(alert, tableContext("access-policy-firewall"));
    expect(actionKinds(report)).not.toContain("enable-firewall");
    expect(report.findings.find((f) => f.ruleId === "kv/unrecognised-ip")?.messageId).toBe("alreadyClosed");
  });

  it("keeps the tenant's public ranges allowed when closing the firewall, never private ones", async () => {
    const alert = buildAlert({ kind: "KV_TORAccess", ipAddress: "101.99.92.179" });
    const report = await triageAlert(alert, ctx());
    const firewall = report.decision.recommendedActions.find((a) => a.kind === "enable-firewall");
    expect(firewall?.kind === "enable-firewall" && firewall.parameters.addIpRules).toEqual(["203.0.113.0/24"]);
  });

  it("alerts about one principal across vaults measure impact on every vault", async () => {
    const alert = buildAlert({ kind: "KV_AccountVolumeAnomaly", ipAddress: "198.51.100.23" });
    const measure = (await triageAlert(alert, ctx())).decision.recommendedActions.find((a) => a.kind === "measure-impact");
    expect(measure?.kind === "measure-impact" && measure.parameters).toMatchObject({ scope: "all-vaults", ipAddress: "198.51.100.23" });
  });

  it("a user-application pair contacts the user, the application's owners and the vault owner", async () => {
    const app = PRINCIPALS["tenant-app"]!;
    const alert = buildAlert({ kind: "KV_UserAppAnomaly", ipAddress: "203.0.113.10", objectId: PRINCIPALS["member-user"]!.objectId, applicationId: app.appId! });
    const report = await triageAlert(alert, tableContext("access-policy-firewall"));
    expect(report.source.application).toMatchObject({ displayName: "payments-api", membership: "in-tenant" });
    const contact = report.decision.recommendedActions.find((a) => a.kind === "contact-owner");
    expect(contact?.kind === "contact-owner" && contact.parameters.recipients.map((r) => [r.role, r.ref?.objectId])).toEqual([
      ["principal", PRINCIPALS["member-user"]!.objectId],
      ["application-owner", OWNER.objectId],
      ["vault-owner", undefined],
    ]);
  });

  it("sample alerts with the 00.00.00.00 placeholder and no object id never crash", async () => {
    const alert = buildAlert({ kind: "KV_ListGetAnomaly", simulated: true, ipAddress: "00.00.00.00" });
    const report = await triageAlert(alert, ctx());
    expect(report.source.ip.status).toBe("placeholder");
    expect(report.source.origin).toBe("unknown");
    expect(report.source.missingEvidence.filter((m) => m.source === "alert").map((m) => [m.code, m.evidence])).toEqual([
      ["KW_TRIAGE_W0002", "ip.address"],
      ["KW_TRIAGE_W0002", "principal.object-id"],
    ]);
  });

  it("an object id that is not a GUID is not sent to the directory", async () => {
    let calls = 0;
    const directory = new InMemoryDirectory();
    const counting = { ...ctx(), directory: { ...directory, getDirectoryObject: () => (calls++, Promise.resolve(undefined)), getServicePrincipalByAppId: () => Promise.resolve(undefined), listOwners: () => Promise.resolve([]), listDirectoryRoles: () => (calls++, Promise.resolve([])) } };
    const source = await identifySource(buildAlert({ kind: "KV_UserAnomaly", objectId: "abc' or 1 eq 1" }), counting);
    expect(calls).toBe(0);
    expect(source.missingEvidence.find((m) => m.evidence === "principal.object-id")?.message).toMatch(/not a GUID/);
  });

  it("names each missing provider instead of guessing", async () => {
    const source = await identifySource(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "198.51.100.23", objectId: PRINCIPALS["member-user"]!.objectId }), {});
    expect(source.missingEvidence.map((m) => `${m.source}:${m.evidence}`).sort()).toEqual([
      "directory:principal.directory-entry",
      "network:ip.reputation",
      "vault:vault.configuration",
    ]);
    expect(new Set(source.missingEvidence.map((m) => m.code))).toEqual(new Set(["KW_TRIAGE_W0003"]));
    expect(source.origin).toBe("unknown");
  });

  it("a Tor detection counts as outside evidence even when the local Tor list does not know the address", async () => {
    const source = await identifySource(buildAlert({ kind: "KV_TORAccess", ipAddress: "198.51.100.200" }), ctx());
    expect(source.ip.torExitNode).toBe(false);
    expect(source.origin).toBe("outside-tenant");
    expect(source.originEvidence.map((e) => e.code)).toContain("alert.tor-detection");
  });

  it("a denied request the firewall refused is reported as the firewall working, with no new firewall action", async () => {
    const alert = buildAlert({ kind: "KV_SuspiciousIPAccessDenied", ipAddress: "45.142.212.61", resultSignature: "Forbidden" });
    const report = await triageAlert(alert, tableContext("access-policy-firewall"));
    expect(report.findings.find((f) => f.ruleId === "kv/unrecognised-ip")?.messageId).toBe("blocked");
    expect(actionKinds(report)).not.toContain("enable-firewall");
  });

  it("an alert that is not Active is not moved to InProgress again", async () => {
    const alert = buildAlert({ kind: "KV_TORAccess", ipAddress: "101.99.92.179", status: "InProgress" });
    expect(actionKinds(await triageAlert(alert, ctx()))).not.toContain("update-alert-state");
  });
});
