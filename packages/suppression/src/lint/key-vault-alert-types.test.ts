import { describe, expect, it } from "vitest";
import { HIGH_VALUE_ALERT_TYPES, KEY_VAULT_ALERT_TYPES, KEY_VAULT_ALERT_TYPE_ALIASES } from "./key-vault-alert-types.js";

describe("alert types from the catalog", () => {
  it("has the 14 documented types, the release-notes alias, and the four IP-driven detections", () => {
    expect(KEY_VAULT_ALERT_TYPES).toHaveLength(14);
    expect(KEY_VAULT_ALERT_TYPE_ALIASES).toContain("KV_DeniedAccountVolumeAnomaly");
    expect([...HIGH_VALUE_ALERT_TYPES].sort()).toEqual(["KV_SuspiciousIPAccess", "KV_SuspiciousIPAccessDenied", "KV_TORAccess", "KV_UnusualAccessSuspiciousIP"]);
  });
});
