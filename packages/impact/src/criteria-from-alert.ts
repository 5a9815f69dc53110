import type { KeyVaultAlert } from "@keywarden/alerts";
import type { ImpactCriteria } from "./impact-criteria.js";

/** Options for {@link criteriaFromAlert}. */
export interface CriteriaFromAlertOptions {
  margins?: ImpactCriteria["margins"];
  tables?: ImpactCriteria["tables"];
  /** How many days the census of the vault's other callers looks back (default 7). */
  callerCensusLookbackDays?: ImpactCriteria["callerCensusLookbackDays"];
  /**
   * Which of the alert's caller fields to filter on. Default: all that are present. With none present the whole
   * vault's activity in the window is measured.
   */
  callerFields?: readonly ("ipAddress" | "objectId" | "userPrincipalName" | "applicationId")[];
}

/** Impact criteria for an alert: its vault, its window, and the caller it names (IP, object id, UPN, app id). */
export function criteriaFromAlert(alert: KeyVaultAlert, options: CriteriaFromAlertOptions = {}): ImpactCriteria {
  const fields = new Set(options.callerFields ?? ["ipAddress", "objectId", "userPrincipalName", "applicationId"]);
  const source = alert.source ?? {};
  const pick = (field: "ipAddress" | "objectId" | "userPrincipalName" | "applicationId"): string[] => {
    const value = source[field];
    return fields.has(field) && typeof value === "string" && value.trim() !== "" ? [value] : [];
  };
  const criteria: ImpactCriteria = {
    vault: { name: alert.vault?.name ?? "" },
    window: { start: alert.startTime, end: alert.endTime },
    callers: {
      ipAddresses: pick("ipAddress"),
      objectIds: pick("objectId"),
      userPrincipalNames: pick("userPrincipalName"),
      applicationIds: pick("applicationId"),
    },
  };
  if (alert.vault?.resourceId) criteria.vault.resourceId = alert.vault.resourceId;
  if (options.margins !== undefined) criteria.margins = options.margins;
  if (options.tables !== undefined) criteria.tables = options.tables;
  if (options.callerCensusLookbackDays !== undefined) criteria.callerCensusLookbackDays = options.callerCensusLookbackDays;
  return criteria;
}
