import type { KeyVaultAlert, KeyVaultAlertKind, OperationCount } from "@keywarden/alerts";

export const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-111122223333";

export interface AlertSpec {
  kind: KeyVaultAlertKind;
  vaultName?: string;
  resourceGroup?: string;
  simulated?: boolean;
  ipAddress?: string;
  objectId?: string;
  applicationId?: string;
  userPrincipalName?: string;
  operations?: OperationCount[];
  targets?: string[];
  resultSignature?: string;
  status?: KeyVaultAlert["status"];
}

/** A normalised alert as `parseAlert` produces it (built directly so tests can state exactly what the alert carries). */
export function buildAlert(spec: AlertSpec): KeyVaultAlert {
  const vaultName = spec.vaultName ?? "kv-payments";
  const resourceGroup = spec.resourceGroup ?? "rg-payments";
  const alertType = spec.simulated === true ? `SIMULATED_${spec.kind}` : spec.kind;
  const systemAlertId = `2517396773228188817_${spec.kind.toLowerCase()}-${vaultName}`;
  const source: KeyVaultAlert["source"] = {};
  if (spec.ipAddress !== undefined) source.ipAddress = spec.ipAddress;
  if (spec.objectId !== undefined) source.objectId = spec.objectId;
  if (spec.applicationId !== undefined) source.applicationId = spec.applicationId;
  if (spec.userPrincipalName !== undefined) source.userPrincipalName = spec.userPrincipalName;
  const alert: KeyVaultAlert = {
    id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers/Microsoft.Security/locations/westeurope/alerts/${systemAlertId}`,
    systemAlertId,
    alertType,
    kind: spec.kind,
    simulated: spec.simulated ?? false,
    channel: "arm",
    displayName: spec.kind,
    description: `${spec.kind} on ${vaultName}`,
    severity: "Medium",
    status: spec.status ?? "Active",
    startTime: "2026-11-28T07:00:00.0000000Z",
    endTime: "2026-11-28T08:00:00.0000000Z",
    generatedTime: "2026-11-28T08:05:00.0000000Z",
    tactics: ["CredentialAccess"],
    techniques: [],
    vault: {
      resourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers/Microsoft.KeyVault/vaults/${vaultName}`,
      subscriptionId: SUBSCRIPTION,
      resourceGroup,
      name: vaultName,
      vaultUri: `https://${vaultName}.vault.azure.net/`,
    },
    source,
    operations: { suspicious: spec.operations ?? [], last24Hours: spec.operations ?? [] },
    targets: spec.targets ?? [],
    reasons: [],
    entities: [],
    extendedProperties: {},
    warnings: [],
  };
  if (spec.resultSignature !== undefined) alert.resultSignature = spec.resultSignature;
  return alert;
}
