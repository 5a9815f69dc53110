import { createRequire } from "node:module";

/**
 * Microsoft's Kusto parser and analyzer (`@kusto/language-service-next`: the C# Kusto.Language compiled to JS with
 * Bridge.NET). It installs `Bridge` and `Kusto` as globals, so it is loaded once, lazily, on the first query.
 * Only the small structural surface the fake uses is typed here.
 */

/** A syntax node or token (`Kusto.Language.Syntax.SyntaxElement`). */
export interface KustoElement {
  Kind: number;
  IsToken: boolean;
  /** Token text (tokens only). */
  Text: string;
  ChildCount: number;
  GetChild(index: number): KustoElement | null;
  TextStart: number;
  Width: number;
  /** Literal expressions: the decoded value (strings unescaped, numbers parsed). */
  LiteralValue?: unknown;
}

export interface KustoDiagnostic {
  Code: string;
  Severity: string;
  Message: string;
  Start: number;
  Length: number;
}

interface KustoCode {
  Syntax: KustoElement;
  GetDiagnostics(): { Count: number; getItem(index: number): KustoDiagnostic };
}

interface KustoLanguage {
  KustoCode: { ParseAndAnalyze(text: string, globals: unknown): KustoCode };
  GlobalState: { Default: { WithDatabase(database: unknown): unknown } };
  Symbols: {
    TableSymbol: { From(schema: string): { WithName(name: string): unknown } };
    DatabaseSymbol: { $ctor2: new (name: string, alternateName: string | null, members: unknown[]) => unknown };
  };
  Syntax: { SyntaxKind: Record<string, number> };
}

export interface LoadedKusto {
  language: KustoLanguage;
  /** Numeric SyntaxKind to its name (`FilterOperator`, `EqualExpression`, ...). */
  kindName(kind: number): string;
}

let loaded: LoadedKusto | undefined;

export function loadKusto(): LoadedKusto {
  if (loaded !== undefined) return loaded;
  // Works from both the ESM and the CJS build (tsup leaves `import.meta` empty in CJS).
  const require = createRequire(typeof __filename === "string" ? __filename : import.meta.url);
  const globals = globalThis as unknown as { Bridge?: unknown; Kusto?: { Language?: KustoLanguage } };
  if (globals.Bridge === undefined) require("@kusto/language-service-next/bridge.min.js");
  if (globals.Kusto?.Language === undefined) require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
  const language = globals.Kusto?.Language;
  if (language === undefined) throw new Error("@kusto/language-service-next did not install the Kusto.Language global");
  const names = new Map<number, string>();
  for (const [name, value] of Object.entries(language.Syntax.SyntaxKind)) {
    if (typeof value === "number" && !names.has(value)) names.set(value, name);
  }
  loaded = { language, kindName: (kind) => names.get(kind) ?? `SyntaxKind(${kind})` };
  return loaded;
}

/** Parses and analyzes `query` against the given tables (name -> column -> KQL type). */
export function analyzeKql(
  query: string,
  tables: ReadonlyMap<string, ReadonlyMap<string, string>>,
): { syntax: KustoElement; diagnostics: KustoDiagnostic[] } {
  const { language } = loadKusto();
  const symbols: unknown[] = [];
  for (const [name, columns] of tables) {
    const schema = [...columns].map(([column, type]) => `['${column.replace(/'/g, "\\'")}']:${type}`).join(", ");
    symbols.push(language.Symbols.TableSymbol.From(`(${schema})`).WithName(name));
  }
  const database = new language.Symbols.DatabaseSymbol.$ctor2("workspace", null, symbols);
  const code = language.KustoCode.ParseAndAnalyze(query, language.GlobalState.Default.WithDatabase(database));
  const list = code.GetDiagnostics();
  const diagnostics: KustoDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) diagnostics.push(list.getItem(i));
  return { syntax: code.Syntax, diagnostics };
}
