import type { KeyVaultAlert, KeyVaultAlertKind } from "@keywarden/alerts";
import type { AccessOutcome } from "../source-report.js";

interface KindProfile {
  access: "succeeded" | "denied";
  /** The detection is about one principal across many vaults. */
  acrossVaults: boolean;
  /** Operations the detection itself implies, used when the alert lists none. */
  impliedOperations: readonly string[];
}

/**
 * Per-kind facts triage relies on (Microsoft Learn, "Alerts for Azure Key Vault"): which alerts describe denied
 * access, which look across vaults, and which imply secret reads by definition.
 */
const PROFILES: Record<KeyVaultAlertKind, KindProfile> = {
  KV_SuspiciousIPAccess: { access: "succeeded", acrossVaults: false, impliedOperations: [] },
  KV_TORAccess: { access: "succeeded", acrossVaults: false, impliedOperations: [] },
  KV_OperationVolumeAnomaly: { access: "succeeded", acrossVaults: false, impliedOperations: [] },
  KV_PutGetAnomaly: { access: "succeeded", acrossVaults: false, impliedOperations: ["VaultPut", "SecretGet"] },
  KV_ListGetAnomaly: { access: "succeeded", acrossVaults: false, impliedOperations: ["SecretList", "SecretGet"] },
  KV_AccountVolumeAccessDeniedAnomaly: { access: "denied", acrossVaults: true, impliedOperations: [] },
  KV_UserAccessDeniedAnomaly: { access: "denied", acrossVaults: false, impliedOperations: [] },
  KV_AppAnomaly: { access: "succeeded", acrossVaults: false, impliedOperations: [] },
  KV_OperationPatternAnomaly: { access: "succeeded", acrossVaults: false, impliedOperations: [] },
  KV_UserAnomaly: { access: "succeeded", acrossVaults: false, impliedOperations: [] },
  KV_UserAppAnomaly: { access: "succeeded", acrossVaults: false, impliedOperations: [] },
  KV_AccountVolumeAnomaly: { access: "succeeded", acrossVaults: true, impliedOperations: [] },
  KV_SuspiciousIPAccessDenied: { access: "denied", acrossVaults: false, impliedOperations: [] },
  KV_UnusualAccessSuspiciousIP: { access: "succeeded", acrossVaults: false, impliedOperations: [] },
};

export function kindProfile(kind: KeyVaultAlert["kind"]): KindProfile | undefined {
  return kind === "unknown" ? undefined : PROFILES[kind];
}

/** Succeeded or denied: from the alert kind, else from the result signature (`OK`, `Unauthorized`, ...). */
export function accessOutcomeOf(alert: KeyVaultAlert): AccessOutcome {
  const profile = kindProfile(alert.kind);
  if (profile !== undefined) return profile.access;
  const signature = alert.resultSignature?.toLowerCase() ?? "";
  if (/unauthori[sz]ed|forbidden|denied/.test(signature)) return "denied";
  if (/^(ok|success|succeeded|accepted|created|no content)\b/.test(signature)) return "succeeded";
  return "unknown";
}
