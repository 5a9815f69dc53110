import { fieldParts, type SuppressionField } from "../rule/suppression-fields.js";
import type { SuppressionAlert } from "./suppression-alert.js";

const none: readonly string[] = Object.freeze([]);

/** An alert's entity values per suppression field, lower-cased, computed once and shared by every rule. */
export interface AlertFieldValues {
  readonly entityCount: number;
  get(field: SuppressionField): readonly string[];
}

/**
 * Reads the values of `fields` from the alert's entities. Entity types are compared without case or dashes
 * (`azure-resource` is the field path's `azureresource`) and property names without case (REST `address`, export
 * `Address`), because each channel spells them differently (defender-alerts.md gotchas 1 and 3).
 */
export function alertFieldValues(alert: SuppressionAlert, fields: Iterable<SuppressionField>): AlertFieldValues {
  const entities = alert.entities;
  const values = new Map<SuppressionField, string[]>();
  if (entities.length > 0) {
    for (const field of fields) {
      const { entityType, property } = fieldParts(field);
      const found: string[] = [];
      for (const entity of entities) {
        if (normalizeEntityType(entity.type) !== entityType) continue;
        collect(entity.properties, property, found);
      }
      if (found.length > 0) values.set(field, found);
    }
  }
  return { entityCount: entities.length, get: (field) => values.get(field) ?? none };
}

const typeCache = new Map<string, string>();

function normalizeEntityType(type: string): string {
  let normalized = typeCache.get(type);
  if (normalized === undefined) {
    normalized = type.toLowerCase().replace(/[-_\s]/g, "");
    if (typeCache.size < 1000) typeCache.set(type, normalized);
  }
  return normalized;
}

function collect(properties: Record<string, unknown>, property: string, into: string[]): void {
  for (const key in properties) {
    if (key.length !== property.length || key.toLowerCase() !== property) continue;
    const value = properties[key];
    if (Array.isArray(value)) {
      for (const item of value) pushValue(item, into);
    } else {
      pushValue(value, into);
    }
  }
}

function pushValue(value: unknown, into: string[]): void {
  if (typeof value === "string") into.push(value.toLowerCase());
  else if (typeof value === "number" || typeof value === "boolean") into.push(String(value).toLowerCase());
}
