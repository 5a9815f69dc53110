import { createRequire } from "node:module";
import azkvSchema from "./fixtures/azkv-audit-logs.schema.json" with { type: "json" };
import azureDiagnosticsColumns from "./fixtures/azure-diagnostics.columns.json" with { type: "json" };

/**
 * Microsoft's Kusto analyzer (`@kusto/language-service-next`, the C# Kusto.Language compiled to JS) with the two
 * Key Vault log tables declared, so tests can assert a query has no syntax or semantic diagnostics.
 */
interface KustoDiagnostic {
  Code: string;
  Severity: string;
  Message: string;
  Start: number;
  Length: number;
}
interface KustoElement {
  Kind: number;
  IsToken: boolean;
  Text: string;
  ChildCount: number;
  GetChild(i: number): KustoElement | null;
  LiteralValue?: unknown;
}
interface KustoNamespace {
  Syntax: { SyntaxKind: Record<string, number> };
  KustoCode: {
    Parse(text: string): { Syntax: KustoElement }; ParseAndAnalyze(text: string, globals: unknown): { GetDiagnostics(): { Count: number; getItem(i: number): KustoDiagnostic } } };
  GlobalState: { Default: { WithDatabase(db: unknown): unknown } };
  Symbols: {
    TableSymbol: { From(schema: string): { WithName(name: string): unknown } };
    DatabaseSymbol: { $ctor2: new (name: string, alternateName: string | null, members: unknown[]) => unknown };
  };
}

const require = createRequire(import.meta.url);
require("@kusto/language-service-next/bridge.min.js");
require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
const kusto = (globalThis as unknown as { Kusto: { Language: KustoNamespace } }).Kusto.Language;

function table(name: string, columns: Record<string, string>): unknown {
  const schema = Object.entries(columns)
    .map(([column, type]) => `['${column}']:${type}`)
    .join(", ");
  return kusto.Symbols.TableSymbol.From(`(${schema})`).WithName(name);
}

export type AzureDiagnosticsVariant = "all-columns" | "current-claims-only" | "legacy-claims-only" | "standard-only";

function azureDiagnostics(variant: AzureDiagnosticsVariant): Record<string, string> {
  const { standard, dynamic, legacy } = azureDiagnosticsColumns;
  switch (variant) {
    case "all-columns":
      return { ...standard, ...dynamic, ...legacy };
    case "current-claims-only":
      return { ...standard, ...dynamic };
    case "legacy-claims-only": {
      const withoutCurrent = Object.fromEntries(Object.entries(dynamic).filter(([c]) => !c.startsWith("identity_claim_")));
      return { ...standard, ...withoutCurrent, ...legacy };
    }
    case "standard-only":
      return { ...standard };
  }
}

const azkvColumns = Object.fromEntries(azkvSchema.Properties.map((p) => [p.Name, p.Type]));

const globalsByVariant = new Map<AzureDiagnosticsVariant, unknown>();

function globalsFor(variant: AzureDiagnosticsVariant): unknown {
  let globals = globalsByVariant.get(variant);
  if (globals === undefined) {
    const db = new kusto.Symbols.DatabaseSymbol.$ctor2("workspace", null, [
      table("AZKVAuditLogs", azkvColumns),
      table("AzureDiagnostics", azureDiagnostics(variant)),
    ]);
    globals = kusto.GlobalState.Default.WithDatabase(db);
    globalsByVariant.set(variant, globals);
  }
  return globals;
}

export function analyze(query: string, variant: AzureDiagnosticsVariant = "all-columns"): KustoDiagnostic[] {
  const code = kusto.KustoCode.ParseAndAnalyze(query, globalsFor(variant));
  const list = code.GetDiagnostics();
  const out: KustoDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    out.push({ Code: d.Code, Severity: d.Severity, Message: d.Message, Start: d.Start, Length: d.Length });
  }
  return out;
}

const kindNames = new Map<number, string>();
for (const [name, value] of Object.entries(kusto.Syntax.SyntaxKind)) {
  if (typeof value === "number" && !kindNames.has(value)) kindNames.set(value, name);
}

function walk(element: KustoElement, visit: (e: KustoElement, kind: string) => void): void {
  visit(element, kindNames.get(element.Kind) ?? String(element.Kind));
  for (let i = 0; i < element.ChildCount; i++) {
    const child = element.GetChild(i);
    if (child !== null) walk(child, visit);
  }
}

/**
 * The structure of a query as Kusto parses it: every node kind and token, with string literals reduced to a
 * placeholder. Two queries with the same shape differ only in their string literal values.
 */
export function queryShape(query: string): string[] {
  const shape: string[] = [];
  walk(kusto.KustoCode.Parse(query).Syntax, (e, kind) => {
    if (e.IsToken) shape.push(kind === "StringLiteralToken" ? "<string>" : `${kind}:${e.Text}`);
    else shape.push(kind);
  });
  return shape;
}

/** The decoded values of every string literal in a query, in order. */
export function stringLiterals(query: string): string[] {
  const values: string[] = [];
  walk(kusto.KustoCode.Parse(query).Syntax, (e, kind) => {
    if (kind === "StringLiteralExpression") values.push(String(e.LiteralValue));
  });
  return values;
}
