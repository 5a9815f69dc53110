import type { KqlQuery } from "./kql-syntax.js";
import preParsedFile from "./kql-pre-parsed.json" with { type: "json" };

/**
 * Queries already analyzed by Microsoft's Kusto parser, so a run that asks only these (`keywarden demo` on the
 * built-in scenarios) never loads it: the Kusto language service takes seconds to start. Each entry is what
 * `analyzeKql` + `toKqlQuery` and the evaluator's checks gave for that exact text over those exact table schemas:
 * the query, or the error it is refused with (the demo's impact step also asks for a table the workspace lacks).
 * Any other query goes through the parser as before. `kql-pre-parsed.test.ts` re-analyzes every entry and fails
 * when one no longer matches; `apps/cli/scripts/pre-parse-demo-queries.ts` regenerates the file.
 */

/** What the analysis gave: the checked query, or the refusal (`KqlQueryError`'s fields). */
export interface PreParsedOutcome {
  parsed?: KqlQuery;
  error?: { innerCode: string; innerMessage: string; detailCode: string; message: string };
}

export interface PreParsedEntry extends PreParsedOutcome {
  query: string;
  /** `schemaSignature` of the workspace's tables the query was analyzed against. */
  schemas: string;
}

interface PreParsedFile {
  entries: PreParsedEntry[];
}

function keyOf(query: string, schemas: string): string {
  return `${schemas}\u0000${query}`;
}

let recording: PreParsedEntry[] | undefined;

const preParsed = new Map<string, PreParsedOutcome>();
for (const entry of (preParsedFile as PreParsedFile).entries) preParsed.set(keyOf(entry.query, entry.schemas), entry);

/** The tables a query is analyzed against, as one string: names, columns and types, in order. */
export function schemaSignature(schemas: ReadonlyMap<string, ReadonlyMap<string, string>>): string {
  let signature = "";
  for (const [name, columns] of schemas) {
    signature += `${name}(`;
    for (const [column, type] of columns) signature += `${column}:${type},`;
    signature += ")";
  }
  return signature;
}

/** The outcome for `query` over tables with this signature, if it is pre-parsed; a fresh copy (callers may keep it). */
export function preParsedOutcome(query: string, schemas: string): PreParsedOutcome | undefined {
  // While recording, every query goes through the parser, so the regenerated file holds fresh analyses only.
  if (recording !== undefined) return undefined;
  const entry = preParsed.get(keyOf(query, schemas));
  return entry === undefined ? undefined : { parsed: entry.parsed === undefined ? undefined : structuredClone(entry.parsed), error: entry.error };
}

/**
 * Starts collecting every query the Kusto parser accepts, pre-parsed entries ignored (for the generator script);
 * returns the list it fills.
 */
export function recordKqlAnalyses(): PreParsedEntry[] {
  recording = [];
  return recording;
}

/** Stops the recording `recordKqlAnalyses` started; pre-parsed entries are used again. */
export function stopKqlRecording(): void {
  recording = undefined;
}

/** Called by the evaluator with the parser's verdict on a query (only kept while recording). */
export function noteAnalysis(query: string, schemas: string, outcome: PreParsedOutcome): void {
  if (recording !== undefined && !recording.some((entry) => entry.query === query && entry.schemas === schemas)) {
    recording.push({ query, schemas, ...structuredClone(outcome) });
  }
}
