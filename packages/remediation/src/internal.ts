/**
 * `@keywarden/remediation/internal`: engine building blocks exported for this repository's tests and benchmarks.
 * Not part of the documented surface: anything here may change in any release without a changeset entry.
 * Plans are validated with `validatePlan` / `isValidPlan`, not with the zod schemas directly.
 */
export { planSchema, stepSchema } from "./plan/remediation-plan.js";
export { TokenBucket } from "./engine/rate-budget.js";
export { processVaultLocks } from "./engine/keyed-lock.js";
export { recordVersions } from "./plan/recorded-versions.js";
export { computePlanId } from "./plan/plan-id.js";
