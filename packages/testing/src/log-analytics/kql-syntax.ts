import { KqlQueryError } from "./kql-query-error.js";
import { loadKusto, type KustoElement } from "./kusto-language.js";

/**
 * The subset of KQL the fake evaluates, as a small typed tree converted from Kusto.Language's syntax tree.
 * Anything else is rejected with an error naming the construct, so a query is either evaluated for real or
 * refused: never answered with made-up rows.
 */

export type KqlBinaryOperator =
  | "=="
  | "!="
  | "=~"
  | "!~"
  | "<"
  | "<="
  | ">"
  | ">="
  | "and"
  | "or"
  | "endswith"
  | "!endswith"
  | "endswith_cs"
  | "startswith"
  | "!startswith"
  | "startswith_cs"
  | "contains"
  | "!contains"
  | "contains_cs";

export type KqlLiteral =
  | { type: "string"; value: string }
  | { type: "long"; value: number }
  | { type: "real"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "datetime"; value: number };

export type KqlExpression =
  | { kind: "literal"; literal: KqlLiteral }
  | { kind: "column"; name: string }
  | { kind: "binary"; operator: KqlBinaryOperator; left: KqlExpression; right: KqlExpression }
  | { kind: "negate"; operand: KqlExpression }
  | { kind: "in"; operator: "in" | "in~" | "!in" | "!in~"; left: KqlExpression; list: KqlExpression[] }
  | { kind: "between"; negated: boolean; left: KqlExpression; low: KqlExpression; high: KqlExpression }
  | { kind: "call"; name: string; args: KqlExpression[] }
  | { kind: "member"; target: KqlExpression; key: string };

export interface KqlNamedExpression {
  name: string;
  expression: KqlExpression;
}

export type KqlOperator =
  | { kind: "where"; predicate: KqlExpression }
  | { kind: "extend"; columns: KqlNamedExpression[] }
  | { kind: "project"; columns: KqlNamedExpression[] }
  | { kind: "summarize"; aggregates: KqlNamedExpression[]; by: KqlNamedExpression[] }
  | { kind: "take"; count: number };

export interface KqlQuery {
  table: string;
  operators: KqlOperator[];
}

const binaryOperators: Record<string, KqlBinaryOperator> = {
  EqualExpression: "==",
  NotEqualExpression: "!=",
  EqualTildeExpression: "=~",
  BangTildeExpression: "!~",
  LessThanExpression: "<",
  LessThanOrEqualExpression: "<=",
  GreaterThanExpression: ">",
  GreaterThanOrEqualExpression: ">=",
  AndExpression: "and",
  OrExpression: "or",
  EndsWithExpression: "endswith",
  NotEndsWithExpression: "!endswith",
  EndsWithCsExpression: "endswith_cs",
  StartsWithExpression: "startswith",
  NotStartsWithExpression: "!startswith",
  StartsWithCsExpression: "startswith_cs",
  ContainsExpression: "contains",
  NotContainsExpression: "!contains",
  ContainsCsExpression: "contains_cs",
};

const inOperators: Record<string, "in" | "in~" | "!in" | "!in~"> = {
  InExpression: "in",
  InCsExpression: "in~",
  NotInExpression: "!in",
  NotInCsExpression: "!in~",
};

/** Human names for the operators people are most likely to try, for the 400 message. */
const operatorNames: Record<string, string> = {
  JoinOperator: "join",
  UnionOperator: "union",
  LookupOperator: "lookup",
  MvExpandOperator: "mv-expand",
  ParseOperator: "parse",
  SortOperator: "sort",
  OrderByOperator: "order by",
  TopOperator: "top",
  DistinctOperator: "distinct",
  CountOperator: "count",
  ProjectAwayOperator: "project-away",
  ProjectRenameOperator: "project-rename",
  ProjectKeepOperator: "project-keep",
  ProjectReorderOperator: "project-reorder",
  EvaluateOperator: "evaluate",
  MakeSeriesOperator: "make-series",
  SearchOperator: "search",
  SerializeOperator: "serialize",
  AsOperator: "as",
  InvokeOperator: "invoke",
  FacetOperator: "facet",
  SampleOperator: "sample",
  GetSchemaOperator: "getschema",
  RenderOperator: "render",
  ScanOperator: "scan",
  FindOperator: "find",
  PrintOperator: "print",
  LetStatement: "let statement",
  HasExpression: "has",
  NotHasExpression: "!has",
  HasCsExpression: "has_cs",
  HasAnyExpression: "has_any",
  MatchesRegexExpression: "matches regex",
  LikeExpression: "like",
};

function children(node: KustoElement): KustoElement[] {
  const out: KustoElement[] = [];
  for (let i = 0; i < node.ChildCount; i++) {
    const child = node.GetChild(i);
    if (child !== null) out.push(child);
  }
  return out;
}

/** The expressions of a `List` of `SeparatedElement`s (separators dropped). */
function listItems(list: KustoElement, kind: (k: number) => string): KustoElement[] {
  const out: KustoElement[] = [];
  for (const element of children(list)) {
    if (kind(element.Kind) === "SeparatedElement") {
      const item = children(element).find((c) => !c.IsToken);
      if (item !== undefined) out.push(item);
    } else if (!element.IsToken) {
      out.push(element);
    }
  }
  return out;
}

/** Converts a parsed query to the supported subset, or throws a `KqlQueryError` naming what is unsupported. */
export function toKqlQuery(root: KustoElement, text: string): KqlQuery {
  const kusto = loadKusto();
  const kindName = (kind: number): string => kusto.kindName(kind);
  const unsupported = (node: KustoElement, what?: string): never => {
    const name = kindName(node.Kind);
    const label = what ?? (Object.hasOwn(operatorNames, name) ? operatorNames[name] : undefined) ?? name;
    throw KqlQueryError.unsupported(label, text.slice(node.TextStart, node.TextStart + node.Width).trim());
  };

  const statements: KustoElement[] = [];
  for (const part of children(root)) {
    if (kindName(part.Kind) !== "List") continue;
    for (const element of listItems(part, kindName)) statements.push(element);
  }
  const expressionStatements = statements.filter((s) => kindName(s.Kind) !== "SemicolonToken");
  if (expressionStatements.length !== 1) {
    const other = expressionStatements.find((s) => kindName(s.Kind) !== "ExpressionStatement");
    if (other !== undefined) unsupported(other);
    throw KqlQueryError.unsupported("multiple statements", text.trim().slice(0, 80));
  }
  const statement = expressionStatements[0]!;
  if (kindName(statement.Kind) !== "ExpressionStatement") unsupported(statement);
  const body = children(statement).find((c) => !c.IsToken);
  if (body === undefined) throw KqlQueryError.unsupported("empty query", "");

  const operators: KqlOperator[] = [];
  let source = body;
  const pipeline: KustoElement[] = [];
  while (kindName(source.Kind) === "PipeExpression") {
    const parts = children(source).filter((c) => !c.IsToken);
    const [left, operator] = parts;
    if (left === undefined || operator === undefined) unsupported(source);
    pipeline.unshift(operator!);
    source = left!;
  }
  if (kindName(source.Kind) !== "NameReference") {
    const sourceKind = kindName(source.Kind);
    const known = Object.hasOwn(operatorNames, sourceKind) ? operatorNames[sourceKind] : undefined;
    unsupported(source, known ?? `${kindName(source.Kind)} as a query source`);
  }
  const table = nameOf(source);

  for (const op of pipeline) operators.push(convertOperator(op));
  return { table, operators };

  function nameOf(node: KustoElement): string {
    const tokenName = children(node)[0];
    const token = tokenName === undefined ? undefined : children(tokenName)[0];
    if (token === undefined || !token.IsToken) return unsupported(node, "bracketed names");
    return token.Text;
  }

  function noParameters(node: KustoElement): void {
    for (const c of children(node)) {
      if (kindName(c.Kind) === "List" && c.ChildCount > 0 && kindName(children(c)[0]!.Kind) === "NamedParameter") {
        unsupported(c, "operator parameters");
      }
    }
  }

  function convertOperator(node: KustoElement): KqlOperator {
    const name = kindName(node.Kind);
    const parts = children(node);
    switch (name) {
      case "FilterOperator": {
        noParameters(node);
        const condition = parts[parts.length - 1];
        if (condition === undefined || condition.IsToken) return unsupported(node);
        return { kind: "where", predicate: expression(condition) };
      }
      case "ExtendOperator":
      case "ProjectOperator": {
        const list = parts.find((c) => kindName(c.Kind) === "List");
        const columns = list === undefined ? [] : listItems(list, kindName).map((e) => named(e, name === "ExtendOperator"));
        return { kind: name === "ExtendOperator" ? "extend" : "project", columns };
      }
      case "SummarizeOperator": {
        noParameters(node);
        const lists = parts.filter((c) => kindName(c.Kind) === "List");
        const aggregatesList = lists[lists.length - 1];
        const aggregates = aggregatesList === undefined ? [] : listItems(aggregatesList, kindName).map((e) => aggregate(e));
        const byClause = parts.find((c) => kindName(c.Kind) === "SummarizeByClause");
        let by: KqlNamedExpression[] = [];
        if (byClause !== undefined) {
          const byList = children(byClause).find((c) => kindName(c.Kind) === "List");
          by = byList === undefined ? [] : listItems(byList, kindName).map((e) => named(e, false));
        }
        return { kind: "summarize", aggregates, by };
      }
      case "TakeOperator": {
        noParameters(node);
        const countNode = parts[parts.length - 1];
        if (countNode === undefined || kindName(countNode.Kind) !== "LongLiteralExpression") {
          return unsupported(node, "take with a non-literal count");
        }
        return { kind: "take", count: Number(children(countNode)[0]?.Text ?? "0") };
      }
      default:
        return unsupported(node);
    }
  }

  function aggregate(node: KustoElement): KqlNamedExpression {
    const item = named(node, false);
    if (item.expression.kind !== "call" || !aggregateFunctions.has(item.expression.name)) {
      return unsupported(node, `summarize aggregate '${text.slice(node.TextStart, node.TextStart + node.Width).trim()}'`);
    }
    if (kindName(node.Kind) !== "SimpleNamedExpression") {
      // KQL names an unnamed aggregate `<fn>_<column>` or `count_`.
      const call = item.expression;
      const arg = call.args[0];
      item.name = arg?.kind === "column" ? `${call.name}_${arg.name}` : `${call.name}_`;
    }
    return item;
  }

  /** `Name = expr`, or a bare column reference (its own name). */
  function named(node: KustoElement, requireName: boolean): KqlNamedExpression {
    if (kindName(node.Kind) === "SimpleNamedExpression") {
      const parts = children(node);
      const declaration = parts[0];
      const value = parts[parts.length - 1];
      if (declaration === undefined || value === undefined) return unsupported(node);
      return { name: nameOf(declaration), expression: expression(value) };
    }
    const value = expression(node);
    if (value.kind === "column") return { name: value.name, expression: value };
    if (requireName || value.kind !== "call") return unsupported(node, "an unnamed computed column");
    return { name: "", expression: value };
  }

  function expression(node: KustoElement): KqlExpression {
    const name = kindName(node.Kind);
    const parts = children(node);
    const nonTokens = parts.filter((c) => !c.IsToken);
    if (Object.hasOwn(binaryOperators, name)) {
      const [left, right] = nonTokens;
      if (left === undefined || right === undefined) return unsupported(node);
      return { kind: "binary", operator: binaryOperators[name]!, left: expression(left), right: expression(right) };
    }
    if (Object.hasOwn(inOperators, name)) {
      const [left, list] = nonTokens;
      if (left === undefined || list === undefined) return unsupported(node);
      const inner = children(list).find((c) => kindName(c.Kind) === "List");
      return {
        kind: "in",
        operator: inOperators[name]!,
        left: expression(left),
        list: inner === undefined ? [] : listItems(inner, kindName).map(expression),
      };
    }
    switch (name) {
      case "StringLiteralExpression":
        if (typeof node.LiteralValue !== "string") return unsupported(node, "this string literal form");
        return { kind: "literal", literal: { type: "string", value: node.LiteralValue } };
      case "LongLiteralExpression":
      case "IntLiteralExpression":
        return { kind: "literal", literal: { type: "long", value: Number(parts[0]?.Text) } };
      case "RealLiteralExpression":
        return { kind: "literal", literal: { type: "real", value: Number(parts[0]?.Text) } };
      case "BooleanLiteralExpression":
        return { kind: "literal", literal: { type: "bool", value: /^true$/i.test(parts[0]?.Text ?? "") } };
      case "DateTimeLiteralExpression": {
        const inner = /^datetime\((.*)\)$/is.exec(parts[0]?.Text ?? "")?.[1]?.trim() ?? "";
        const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(inner) || inner.length <= 10 ? inner : `${inner}Z`);
        if (Number.isNaN(ms)) return unsupported(node, `datetime literal '${inner}'`);
        return { kind: "literal", literal: { type: "datetime", value: ms } };
      }
      case "NameReference":
        return { kind: "column", name: nameOf(node) };
      case "ParenthesizedExpression": {
        const inner = nonTokens[0];
        return inner === undefined ? unsupported(node) : expression(inner);
      }
      case "UnaryMinusExpression": {
        const inner = nonTokens[0];
        return inner === undefined ? unsupported(node) : { kind: "negate", operand: expression(inner) };
      }
      case "BetweenExpression":
      case "NotBetweenExpression": {
        const [left, couple] = nonTokens;
        const bounds = couple === undefined ? [] : children(couple).filter((c) => !c.IsToken);
        if (left === undefined || bounds.length !== 2) return unsupported(node);
        return {
          kind: "between",
          negated: name === "NotBetweenExpression",
          left: expression(left),
          low: expression(bounds[0]!),
          high: expression(bounds[1]!),
        };
      }
      case "FunctionCallExpression": {
        const [callee, argumentList] = parts;
        if (callee === undefined || argumentList === undefined) return unsupported(node);
        const fn = nameOf(callee);
        if (!scalarFunctions.has(fn) && !aggregateFunctions.has(fn)) return unsupported(node, `function ${fn}()`);
        const inner = children(argumentList).find((c) => kindName(c.Kind) === "List");
        return { kind: "call", name: fn, args: inner === undefined ? [] : listItems(inner, kindName).map(expression) };
      }
      case "PathExpression": {
        const [target, selector] = nonTokens;
        if (target === undefined || selector === undefined || kindName(selector.Kind) !== "NameReference") {
          return unsupported(node);
        }
        return { kind: "member", target: expression(target), key: nameOf(selector) };
      }
      case "ElementExpression": {
        const [target, bracketed] = nonTokens;
        const key = bracketed === undefined ? undefined : children(bracketed).find((c) => !c.IsToken);
        if (target === undefined || key === undefined || kindName(key.Kind) !== "StringLiteralExpression") {
          return unsupported(node, "element access other than [\"key\"]");
        }
        return { kind: "member", target: expression(target), key: String(key.LiteralValue) };
      }
      default:
        return unsupported(node);
    }
  }
}

export const scalarFunctions = new Set([
  "not",
  "tostring",
  "toint",
  "tolong",
  "toreal",
  "todouble",
  "tolower",
  "toupper",
  "isempty",
  "isnotempty",
  "isnull",
  "isnotnull",
  "coalesce",
  "iff",
  "iif",
  "column_ifexists",
  "strlen",
]);

export const aggregateFunctions = new Set(["count", "countif", "min", "max", "sum", "dcount"]);
