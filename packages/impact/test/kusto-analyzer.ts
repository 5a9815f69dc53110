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
interface KustoNamespace {
  KustoCode: { ParseAndAnalyze(text: string, globals: unknown): { GetDiagnostics(): { Count: number; getItem(i: number): KustoDiagnostic } } };
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

export function analyze(query: string, variant: AzureDiagnosticsVariant = "all-columns"): KustoDiagnostic[] {
  const db = new kusto.Symbols.DatabaseSymbol.$ctor2("workspace", null, [
    table("AZKVAuditLogs", azkvColumns),
    table("AzureDiagnostics", azureDiagnostics(variant)),
  ]);
  const code = kusto.KustoCode.ParseAndAnalyze(query, kusto.GlobalState.Default.WithDatabase(db));
  const list = code.GetDiagnostics();
  const out: KustoDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    out.push({ Code: d.Code, Severity: d.Severity, Message: d.Message, Start: d.Start, Length: d.Length });
  }
  return out;
}
