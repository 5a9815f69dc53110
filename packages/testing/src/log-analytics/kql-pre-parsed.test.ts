import { afterEach, describe, expect, it } from "vitest";

import type { LogTable } from "../state/log-types.js";
import { evaluateKql } from "./kql-evaluator.js";
import preParsedFile from "./kql-pre-parsed.json" with { type: "json" };
import { preParsedOutcome, recordKqlAnalyses, schemaSignature, stopKqlRecording, type PreParsedEntry } from "./kql-pre-parsed.js";
import { KqlQueryError } from "./kql-query-error.js";
import { tableSchema } from "./table-schemas.js";

const entries = (preParsedFile as { entries: PreParsedEntry[] }).entries;

/** Empty tables declaring exactly the columns of a schema signature (`Name(col:type,...)...`). */
function tablesOf(signature: string): Map<string, LogTable> {
  const tables = new Map<string, LogTable>();
  for (const match of signature.matchAll(/([^()]+)\(([^()]*)\)/g)) {
    const columns = match[2]!
      .split(",")
      .filter((column) => column !== "")
      .map((column) => {
        const at = column.lastIndexOf(":");
        return { name: column.slice(0, at), type: column.slice(at + 1) as NonNullable<LogTable["columns"]>[number]["type"] };
      });
    tables.set(match[1]!, { name: match[1]!, columns, rows: [] });
  }
  return tables;
}

afterEach(() => stopKqlRecording());

describe("pre-parsed KQL (kql-pre-parsed.json)", () => {
  it("holds, for every entry, exactly what the Kusto parser and the evaluator's checks give today", () => {
    expect(entries.length).toBeGreaterThan(0);
    const recorded = recordKqlAnalyses();
    for (const entry of entries) {
      const tables = tablesOf(entry.schemas);
      // The signature must round-trip, or the entry was analyzed over other tables than these.
      expect(schemaSignature(new Map([...tables].map(([name, table]) => [name, tableSchema(table)])))).toBe(entry.schemas);
      try {
        evaluateKql(entry.query, tables);
      } catch (error) {
        if (!(error instanceof KqlQueryError)) throw error;
      }
    }
    // If this fails, regenerate: node --import tsx apps/cli/scripts/pre-parse-demo-queries.ts
    expect(recorded).toEqual(entries);
  }, 120_000);

  it("answers a pre-parsed query, or refuses it, as the parser-backed path does", () => {
    for (const entry of entries.slice(0, 4)) {
      const tables = tablesOf(entry.schemas);
      const outcome = (): unknown => {
        try {
          return evaluateKql(entry.query, tables);
        } catch (error) {
          return error instanceof KqlQueryError ? { refused: error.toBody() } : error;
        }
      };
      expect(preParsedOutcome(entry.query, entry.schemas)).toBeDefined();
      const reused = outcome();
      recordKqlAnalyses();
      expect(reused).toEqual(outcome());
      stopKqlRecording();
    }
  }, 120_000);

  it("is keyed on the tables too: the same text over other columns is not pre-parsed", () => {
    const entry = entries[0]!;
    expect(preParsedOutcome(entry.query, `${entry.schemas}Extra(x:string,)`)).toBeUndefined();
    expect(preParsedOutcome(`${entry.query} `, entry.schemas)).toBeUndefined();
  });
});
