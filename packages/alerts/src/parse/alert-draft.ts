import { type AlertEntity } from "../key-vault-alert.js";

/**
 * What a channel adapter extracts from its input before normalization: raw values (untrusted, any JSON type)
 * and, in `paths`, where each came from relative to the alert object (for warnings and errors).
 */
export interface AlertDraft {
  id?: unknown;
  systemAlertId?: unknown;
  alertType?: unknown;
  displayName?: unknown;
  description?: unknown;
  severity?: unknown;
  status?: unknown;
  startTime?: unknown;
  endTime?: unknown;
  generatedTime?: unknown;
  /** `intent` / `Tactics` / Graph `category`: a string (possibly comma-separated) or an array. */
  tactics?: unknown;
  techniques?: unknown;
  subTechniques?: unknown;
  /** REST `resourceIdentifiers` / export `ResourceIdentifiers`. */
  resourceIdentifiers?: unknown;
  /** A direct resource id: export `AzureResourceId`, Log Analytics `ResourceId`. */
  resourceId?: unknown;
  compromisedEntity?: unknown;
  /** An array, or a JSON string holding one (Log Analytics). */
  entities?: unknown;
  /** Entities the adapter already put in entity shape (Graph evidence); `entities` is then ignored. */
  entityList?: AlertEntity[];
  /** An object, or a JSON string holding one (Log Analytics). */
  extendedProperties?: unknown;
  portalUrl?: unknown;
}

export type DraftField = Exclude<keyof AlertDraft, "entityList">;

/** JSON paths of the draft's fields, relative to the alert object (e.g. `.properties.severity`). */
export type DraftPaths = Readonly<Record<DraftField, string>>;
