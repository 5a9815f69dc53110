import type { JournalEntry } from "@keywarden/core";

import type { IncidentPatch, IncidentRecord, IncidentSummary, StepRecord, StepStatus, IncidentState } from "./store-types.js";

/** The incident columns an `IncidentPatch` may set, by patch field (both stores build their UPDATE from it). */
export const patchColumns = new Map<keyof IncidentPatch, string>([
  ["state", "state"],
  ["alert", "alert"],
  ["differences", "differences"],
  ["triage", "triage"],
  ["impact", "impact"],
  ["plan", "plan"],
  ["error", "error"],
  ["rollback", "rollback"],
]);

/** Row shapes shared by both stores (column names as in the migrations; BIGINTs may come back as strings). */
export interface IncidentRow {
  id: string;
  alert_id: string;
  system_alert_id: string;
  vault_resource_id: string;
  vault_name: string;
  kind: string;
  severity: string;
  display_name: string;
  state: string;
  received_at: number | string;
  updated_at: number | string;
  pushed_alert?: string;
  alert?: string | null;
  differences?: string | null;
  triage?: string | null;
  impact?: string | null;
  plan?: string | null;
  error: string | null;
  rollback: string | null;
  pending_approvals?: number | string;
}

export interface StepRow {
  step_id: string;
  position: number;
  kind: string;
  status: string;
  requires_approval: number | boolean;
  risk: string;
  principal_object_id: string | null;
  principal_upn: string | null;
  decided_approved: number | boolean | null;
  decided_by: string | null;
  decided_reason: string | null;
  decided_at: number | string | null;
}

const json = (text: string | null | undefined): unknown => (text === null || text === undefined ? undefined : JSON.parse(text));

export function toSummary(row: IncidentRow): IncidentSummary {
  const error = json(row.error) as IncidentSummary["error"];
  const rollback = json(row.rollback) as IncidentSummary["rollback"];
  return {
    id: row.id,
    alertId: row.alert_id,
    systemAlertId: row.system_alert_id,
    vaultResourceId: row.vault_resource_id,
    vaultName: row.vault_name,
    kind: row.kind,
    severity: row.severity,
    displayName: row.display_name,
    state: row.state as IncidentState,
    receivedAt: Number(row.received_at),
    updatedAt: Number(row.updated_at),
    pendingApprovals: Number(row.pending_approvals ?? 0),
    ...(error === undefined ? {} : { error }),
    ...(rollback === undefined ? {} : { rollback }),
  };
}

export function toStep(row: StepRow): StepRecord {
  const step: StepRecord = {
    id: row.step_id,
    kind: row.kind,
    status: row.status as StepStatus,
    requiresApproval: Boolean(row.requires_approval),
    risk: row.risk,
    position: Number(row.position),
  };
  if (row.principal_object_id !== null) step.principalObjectId = row.principal_object_id;
  if (row.principal_upn !== null) step.principalUpn = row.principal_upn;
  if (row.decided_at !== null) {
    step.decision = { approved: Boolean(row.decided_approved), by: row.decided_by ?? "", reason: row.decided_reason ?? "", at: Number(row.decided_at) };
  }
  return step;
}

export function toIncident(row: IncidentRow, steps: StepRow[]): IncidentRecord {
  const { pendingApprovals: _pending, ...summary } = toSummary(row);
  const record: IncidentRecord = { ...summary, pushedAlert: json(row.pushed_alert), steps: steps.map(toStep) };
  const optional = { alert: row.alert, differences: row.differences, triage: row.triage, impact: row.impact, plan: row.plan } as const;
  for (const [key, value] of Object.entries(optional)) {
    const parsed = json(value);
    if (parsed !== undefined) (record as unknown as Record<string, unknown>)[key] = parsed;
  }
  return record;
}

export function toJournalEntry(seq: number | string, text: string): JournalEntry {
  return { ...(JSON.parse(text) as Omit<JournalEntry, "seq">), seq: Number(seq) };
}

/** Incidents columns without the large JSON ones (lists). */
export const summaryColumns =
  "i.id, i.alert_id, i.system_alert_id, i.vault_resource_id, i.vault_name, i.kind, i.severity, i.display_name, i.state, i.received_at, i.updated_at, i.error, i.rollback";

/** Step status when a decision exists: a decided step never goes back to waiting. */
export function effectiveStatus(status: StepStatus, decided: { approved: boolean } | undefined): StepStatus {
  if (status !== "pending-approval" || decided === undefined) return status;
  return decided.approved ? "planned" : "rejected";
}
