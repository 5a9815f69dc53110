/**
 * `@keywarden/testing/internal`: pieces of the fake tenant's machinery, for this repository's own tests.
 * Not part of the documented surface: anything here may change in any release without a changeset entry.
 */
export { CaseInsensitiveMap } from "./state/case-insensitive-map.js";
export { Throttler } from "./gate/throttling.js";
