import { createHash } from "node:crypto";
import type { RemediationPlan, RemediationStep } from "./remediation-plan.js";

/** JSON with object keys sorted at every level, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
}

/**
 * The content-derived id of a plan (its signature excluded): the same content always gets the same id. An id is a
 * name, not a seal: anyone can recompute it, which is why plans are signed. Internal: not exported from the package.
 */
export function computePlanId(plan: Omit<RemediationPlan, "id"> | RemediationPlan): string {
  const { id: _id, signature: _signature, ...content } = plan as RemediationPlan;
  return `kwp_${createHash("sha256").update(canonicalJson(content)).digest("hex").slice(0, 32)}`;
}

/** SHA-256 (hex) of a step's canonical JSON: what an approval is bound to. */
export function stepDigest(step: RemediationStep): string {
  return createHash("sha256").update(canonicalJson(step)).digest("hex");
}

/** Stamps the content-derived id on plan content. */
export function withPlanId(content: Omit<RemediationPlan, "id">): RemediationPlan {
  return { id: computePlanId(content), ...content };
}
