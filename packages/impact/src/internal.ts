/**
 * `@keywarden/impact/internal`: building blocks of `impactFromAlert`, exported for this repository's benchmarks and
 * tests. Not part of the documented surface: anything here may change in any release without a changeset entry.
 */
export { ImpactAccumulator, type AccumulatedImpact, type SummaryRow } from "./impact-accumulator.js";
export { readCallerCensusTable, readSummaryTable } from "./read-summary-table.js";
