import { getAlertTypeInfo } from "../catalog/alert-catalog.js";
import { type AlertSeverity, type AlertStatus, type KeyVaultAlert } from "../key-vault-alert.js";

/** The OCSF schema version the output follows. */
export const ocsfSchemaVersion = "1.3.0";

export interface OcsfAttack {
  tactic?: { name: string; uid?: string };
  technique?: { uid: string };
  sub_technique?: { uid: string };
  version: string;
}

export interface OcsfObservable {
  name: string;
  type: string;
  type_id: number;
  value: string;
}

/**
 * An OCSF 1.3.0 `evidences` object. It has no `http_request` and an OCSF geo location needs a city, country, postal
 * code or region, so the user agent and Defender's free-text IP location go in `data` (the object's JSON attribute).
 */
export interface OcsfEvidence {
  src_endpoint?: { ip: string };
  actor?: { user?: { uid?: string; name?: string; email_addr?: string }; app_uid?: string };
  api?: { operation: string };
  data?: { user_agent?: string; ip_location?: string; count?: number };
}

/** An OCSF Detection Finding (class 2004), the subset of attributes Keywarden fills. */
export interface OcsfDetectionFinding {
  category_uid: 2;
  category_name: "Findings";
  class_uid: 2004;
  class_name: "Detection Finding";
  activity_id: 1 | 2 | 3;
  activity_name: "Create" | "Update" | "Close";
  type_uid: 200401 | 200402 | 200403;
  type_name: string;
  time: number;
  time_dt: string;
  start_time: number;
  start_time_dt: string;
  end_time: number;
  end_time_dt: string;
  severity_id: 1 | 2 | 3 | 4;
  severity: AlertSeverity;
  status_id: 1 | 2 | 3 | 4;
  status: "New" | "In Progress" | "Suppressed" | "Resolved";
  status_detail: AlertStatus;
  message: string;
  metadata: {
    version: string;
    uid: string;
    product: { name: string; vendor_name: string; feature: { name: string } };
    profiles: string[];
    labels: string[];
    original_time?: string;
  };
  finding_info: {
    uid: string;
    title: string;
    desc: string;
    types: string[];
    created_time: number;
    created_time_dt: string;
    first_seen_time: number;
    first_seen_time_dt: string;
    last_seen_time: number;
    last_seen_time_dt: string;
    src_url?: string;
    analytic: { uid: string; name: string; type: "Rule"; type_id: 1 };
    attacks: OcsfAttack[];
    data_sources: string[];
  };
  cloud: { provider: "Azure"; account: { uid: string; type: "Azure Subscription" } };
  resources: {
    uid: string;
    name: string;
    type: string;
    cloud_partition?: string;
    group: { name: string };
    data?: { vault_uri: string };
  }[];
  evidences: OcsfEvidence[];
  observables: OcsfObservable[];
  unmapped: {
    alert_id: string;
    alert_type: string;
    kind: string;
    simulated: boolean;
    channel: string;
    reasons: string[];
    targets: string[];
    result_signature?: string;
    suspicious_operations: { operation: string; count: number }[];
    operations_last_24_hours: { operation: string; count: number }[];
    warning_codes: string[];
  };
}

const severityIds: Record<AlertSeverity, 1 | 2 | 3 | 4> = { Informational: 1, Low: 2, Medium: 3, High: 4 };

const statusMap: Record<AlertStatus, { id: 1 | 2 | 3 | 4; name: OcsfDetectionFinding["status"]; activity: 1 | 2 | 3 }> = {
  Active: { id: 1, name: "New", activity: 1 },
  InProgress: { id: 2, name: "In Progress", activity: 2 },
  // A dismissed Defender alert was judged not worth acting on (often by a suppression rule).
  Dismissed: { id: 3, name: "Suppressed", activity: 3 },
  Resolved: { id: 4, name: "Resolved", activity: 3 },
};

const activityNames = { 1: "Create", 2: "Update", 3: "Close" } as const;

/** MITRE ATT&CK tactic ids for Defender's intent values (PreAttack / Probing / Exploitation have none). */
const tacticIds: Record<string, { name: string; uid?: string }> = {
  InitialAccess: { name: "Initial Access", uid: "TA0001" },
  Execution: { name: "Execution", uid: "TA0002" },
  Persistence: { name: "Persistence", uid: "TA0003" },
  PrivilegeEscalation: { name: "Privilege Escalation", uid: "TA0004" },
  DefenseEvasion: { name: "Defense Evasion", uid: "TA0005" },
  CredentialAccess: { name: "Credential Access", uid: "TA0006" },
  Discovery: { name: "Discovery", uid: "TA0007" },
  LateralMovement: { name: "Lateral Movement", uid: "TA0008" },
  Collection: { name: "Collection", uid: "TA0009" },
  Exfiltration: { name: "Exfiltration", uid: "TA0010" },
  CommandAndControl: { name: "Command and Control", uid: "TA0011" },
  Impact: { name: "Impact", uid: "TA0040" },
  PreAttack: { name: "Pre-Attack" },
  Probing: { name: "Probing" },
  Exploitation: { name: "Exploitation" },
};

/**
 * OCSF 1.3.0 `email_t` (the dictionary type's regex). A principal name that is not an e-mail address (a guest's
 * `#EXT#` name with a bare host, a service principal) stays in `user.name` only.
 */
const ocsfEmailAddress = /^[a-zA-Z0-9!#$%&'*+-/=?^_`{|}~.]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$/;

/** Epoch milliseconds of an ISO string (sub-millisecond digits dropped; the `_dt` twin keeps them). */
function epochMs(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

function attacksOf(alert: KeyVaultAlert): OcsfAttack[] {
  const tactics = alert.tactics.map((tactic) => tacticIds[tactic] ?? { name: tactic });
  const attacks: OcsfAttack[] = [];
  const version = "v9";
  const techniques = alert.techniques.filter((technique) => !technique.includes("."));
  const subTechniques = alert.techniques.filter((technique) => technique.includes("."));
  for (const technique of techniques) {
    const attack: OcsfAttack = { technique: { uid: technique }, version };
    if (tactics[0] !== undefined) attack.tactic = tactics[0];
    attacks.push(attack);
  }
  for (const subTechnique of subTechniques) {
    const attack: OcsfAttack = { technique: { uid: subTechnique.slice(0, subTechnique.indexOf(".")) }, sub_technique: { uid: subTechnique }, version };
    if (tactics[0] !== undefined) attack.tactic = tactics[0];
    attacks.push(attack);
  }
  const covered = attacks.length > 0 ? 1 : 0;
  for (const tactic of tactics.slice(covered)) attacks.push({ tactic, version });
  return attacks;
}

/**
 * Maps a `KeyVaultAlert` to an OCSF Detection Finding (class_uid 2004, OCSF 1.3.0), so SIEM and SOAR tools that
 * speak OCSF (Security Lake, Splunk, Sentinel data connectors, ...) can take Keywarden output unchanged.
 *
 * Times are epoch milliseconds with `*_dt` twins holding the service's full-precision ISO strings (datetime
 * profile). The source IP, principal and application become `evidences` and `observables`; Keywarden's
 * normalized extras (kind, operations, reasons) sit under `unmapped`. Pure: no I/O, no clock.
 */
export function toOcsf(alert: KeyVaultAlert): OcsfDetectionFinding {
  const status = statusMap[alert.status];
  const info = alert.kind === "unknown" ? undefined : getAlertTypeInfo(alert.kind);
  const observables: OcsfObservable[] = [];
  const evidence: OcsfEvidence = {};
  const { source } = alert;
  const evidenceData: NonNullable<OcsfEvidence["data"]> = {};
  if (source.ipAddress !== undefined) {
    evidence.src_endpoint = { ip: source.ipAddress };
    observables.push({ name: "evidences[0].src_endpoint.ip", type: "IP Address", type_id: 2, value: source.ipAddress });
  }
  if (source.ipLocation !== undefined) evidenceData.ip_location = source.ipLocation;
  if (source.objectId !== undefined || source.userPrincipalName !== undefined || source.applicationId !== undefined) {
    evidence.actor = {};
    if (source.objectId !== undefined || source.userPrincipalName !== undefined) {
      evidence.actor.user = {};
      if (source.objectId !== undefined) evidence.actor.user.uid = source.objectId;
      if (source.userPrincipalName !== undefined) {
        evidence.actor.user.name = source.userPrincipalName;
        if (ocsfEmailAddress.test(source.userPrincipalName)) evidence.actor.user.email_addr = source.userPrincipalName;
        observables.push({ name: "evidences[0].actor.user.name", type: "User Name", type_id: 4, value: source.userPrincipalName });
      }
    }
    if (source.applicationId !== undefined) evidence.actor.app_uid = source.applicationId;
  }
  if (source.clientInfo !== undefined) {
    evidenceData.user_agent = source.clientInfo;
    observables.push({ name: "evidences[0].data.user_agent", type: "HTTP User-Agent", type_id: 16, value: source.clientInfo });
  }
  if (Object.keys(evidenceData).length > 0) evidence.data = evidenceData;
  const evidences: OcsfEvidence[] = Object.keys(evidence).length > 0 ? [evidence] : [];
  for (const operation of alert.operations.suspicious) evidences.push({ api: { operation: operation.operation }, data: { count: operation.count } });

  observables.push({ name: "resources[0].uid", type: "Resource UID", type_id: 10, value: alert.vault.resourceId });
  alert.targets.forEach((target, index) => {
    observables.push({ name: `unmapped.targets[${index}]`, type: "URL String", type_id: 6, value: target });
  });

  const resource: OcsfDetectionFinding["resources"][number] = {
    uid: alert.vault.resourceId,
    name: alert.vault.name,
    type: alert.vault.vaultUri === undefined ? "Azure Resource" : "Microsoft.KeyVault/vaults",
    group: { name: alert.vault.resourceGroup },
  };
  if (alert.vault.vaultUri !== undefined) resource.data = { vault_uri: alert.vault.vaultUri };

  const labels = [`kind:${alert.kind}`, `channel:${alert.channel}`];
  if (alert.simulated) labels.push("simulated");
  if (info !== undefined) labels.push(`access:${info.access}`);

  const finding: OcsfDetectionFinding = {
    category_uid: 2,
    category_name: "Findings",
    class_uid: 2004,
    class_name: "Detection Finding",
    activity_id: status.activity,
    activity_name: activityNames[status.activity],
    type_uid: (200400 + status.activity) as OcsfDetectionFinding["type_uid"],
    type_name: `Detection Finding: ${activityNames[status.activity]}`,
    time: epochMs(alert.generatedTime),
    time_dt: alert.generatedTime,
    start_time: epochMs(alert.startTime),
    start_time_dt: alert.startTime,
    end_time: epochMs(alert.endTime),
    end_time_dt: alert.endTime,
    severity_id: severityIds[alert.severity],
    severity: alert.severity,
    status_id: status.id,
    status: status.name,
    status_detail: alert.status,
    message: alert.displayName,
    metadata: {
      version: ocsfSchemaVersion,
      uid: alert.systemAlertId,
      product: { name: "Microsoft Defender for Cloud", vendor_name: "Microsoft", feature: { name: "Defender for Key Vault" } },
      profiles: ["cloud", "datetime"],
      labels,
    },
    finding_info: {
      uid: alert.systemAlertId,
      title: alert.displayName,
      desc: alert.description,
      types: [alert.alertType],
      created_time: epochMs(alert.generatedTime),
      created_time_dt: alert.generatedTime,
      first_seen_time: epochMs(alert.startTime),
      first_seen_time_dt: alert.startTime,
      last_seen_time: epochMs(alert.endTime),
      last_seen_time_dt: alert.endTime,
      analytic: { uid: alert.alertType, name: info?.displayName ?? alert.alertType, type: "Rule", type_id: 1 },
      attacks: attacksOf(alert),
      data_sources: [`defender-for-cloud:${alert.channel}`],
    },
    cloud: { provider: "Azure", account: { uid: alert.vault.subscriptionId, type: "Azure Subscription" } },
    resources: [resource],
    evidences,
    observables,
    unmapped: {
      alert_id: alert.id,
      alert_type: alert.alertType,
      kind: alert.kind,
      simulated: alert.simulated,
      channel: alert.channel,
      reasons: [...alert.reasons],
      targets: [...alert.targets],
      suspicious_operations: alert.operations.suspicious.map((entry) => ({ ...entry })),
      operations_last_24_hours: alert.operations.last24Hours.map((entry) => ({ ...entry })),
      warning_codes: [...new Set(alert.warnings.map((warning) => warning.code))],
    },
  };
  if (alert.portalUrl !== undefined) finding.finding_info.src_url = alert.portalUrl;
  if (alert.resultSignature !== undefined) finding.unmapped.result_signature = alert.resultSignature;
  return finding;
}
