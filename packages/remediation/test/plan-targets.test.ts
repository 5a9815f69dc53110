import type * as core from "@keywarden/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  alertTargetSchema,
  objectTargetSchema,
  principalTargetSchema,
  vaultTargetSchema,
  type AlertTarget,
  type ObjectTarget,
  type PrincipalTarget,
  type VaultTarget,
} from "../src/plan/remediation-plan.js";

// A plan's targets are core's targets: triage's actions go into a plan without a field-by-field mapping, and what a
// plan holds is readable as core's types. `tsc -p packages/remediation` fails when either side drifts.
type PlanVault = core.VaultTarget & { vaultUri: string };

describe("plan targets are core's targets", () => {
  it("are assignable to and from core's types (type level)", () => {
    expectTypeOf<VaultTarget>().toExtend<core.VaultTarget>();
    expectTypeOf<PlanVault>().toExtend<VaultTarget>();
    expectTypeOf<PrincipalTarget>().toExtend<core.PrincipalTarget>();
    expectTypeOf<core.PrincipalTarget>().toExtend<PrincipalTarget>();
    expectTypeOf<AlertTarget>().toExtend<core.AlertTarget>();
    expectTypeOf<core.AlertTarget>().toExtend<AlertTarget>();
    expectTypeOf<ObjectTarget>().toExtend<core.ObjectTarget>();
    expectTypeOf<core.ObjectTarget>().toExtend<ObjectTarget>();
  });

  it("keep every field of a fully populated core target when a stored plan is parsed (zod drops unknown keys)", () => {
    const vault: PlanVault = {
      resourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-pay",
      name: "kv-pay",
      subscriptionId: "s",
      resourceGroup: "rg",
      vaultUri: "https://kv-pay.vault.azure.net/",
      authorization: "rbac",
    };
    const principal: Required<core.PrincipalTarget> = {
      objectId: "o",
      tenantId: "t",
      type: "service-principal",
      displayName: "billing",
      userPrincipalName: "billing@contoso.example",
      appId: "a",
      applicationId: "b",
    };
    const alert: Required<core.AlertTarget> = {
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Security/locations/westeurope/alerts/x",
      systemAlertId: "x",
      subscriptionId: "s",
      resourceGroup: "rg",
      location: "westeurope",
    };
    const object: Required<core.ObjectTarget> = {
      type: "secret",
      name: "db-password",
      versions: ["0123456789abcdef0123456789abcdef"],
      contentType: "text/plain",
      tags: { owner: "payments" },
    };
    expect(vaultTargetSchema.parse(vault)).toEqual(vault);
    expect(principalTargetSchema.parse(principal)).toEqual(principal);
    expect(alertTargetSchema.parse(alert)).toEqual(alert);
    expect(objectTargetSchema.parse(object)).toEqual(object);
  });
});
