import type { LogColumn, LogColumnType, LogTable } from "../state/log-types.js";
import { KqlQueryError } from "./kql-query-error.js";
import { toKqlQuery, type KqlExpression, type KqlNamedExpression, type KqlQuery } from "./kql-syntax.js";
import { analyzeKql } from "./kusto-language.js";
import { noteAnalysis, preParsedOutcome, schemaSignature } from "./kql-pre-parsed.js";
import { tableSchema } from "./table-schemas.js";

/**
 * Evaluates the KQL subset in `kql-syntax.ts` over in-memory tables, with Kusto's semantics where they matter:
 * case-sensitive `==` / `in` and case-insensitive `=~` / `in~` / `endswith`; strings are never null (missing is
 * ""); three-valued logic for null booleans (a null predicate drops the row); `column_ifexists` sees the
 * workspace's columns; `coalesce` skips empty strings; `summarize` puts the by-columns first.
 *
 * Runtime values: string, number, boolean, null, JSON values for dynamic; datetimes are epoch milliseconds.
 */

type Value = unknown;
type Row = Record<string, Value>;
type Schema = Map<string, LogColumnType>;

export interface EvaluatedTable {
  name: "PrimaryResult";
  columns: LogColumn[];
  /** Cells encoded as the query API sends them: datetimes as ISO strings, dynamic values as JSON text. */
  rows: unknown[][];
}

export interface EvaluateOptions {
  /** The request's `timespan`, resolved: rows whose `TimeGenerated` falls outside are dropped first. */
  timespan?: { start: number; end: number };
}

/** Parses (with Microsoft's Kusto parser), checks and evaluates `text` over `tables`. */
export function evaluateKql(text: string, tables: ReadonlyMap<string, LogTable>, options: EvaluateOptions = {}): EvaluatedTable {
  const schemas = new Map<string, Schema>();
  for (const [name, table] of tables) schemas.set(name, tableSchema(table));
  const query = analyzed(text, tables, schemas);
  return run(query, tables.get(query.table)!, schemas.get(query.table)!, options);
}

/**
 * The checked query, or the `KqlQueryError` the parser's verdict gives. A query already analyzed over these very
 * tables (kql-pre-parsed.json) reuses that outcome: the parser takes seconds to load.
 */
function analyzed(text: string, tables: ReadonlyMap<string, LogTable>, schemas: ReadonlyMap<string, Schema>): KqlQuery {
  const signature = schemaSignature(schemas);
  const known = preParsedOutcome(text, signature);
  if (known !== undefined) {
    if (known.error !== undefined) throw new KqlQueryError(known.error.innerCode, known.error.innerMessage, known.error.detailCode, known.error.message);
    if (known.parsed !== undefined && tables.has(known.parsed.table)) return known.parsed;
  }
  try {
    const query = analyzeAndCheck(text, tables, schemas);
    noteAnalysis(text, signature, { parsed: query });
    return query;
  } catch (error) {
    if (error instanceof KqlQueryError) {
      noteAnalysis(text, signature, { error: { innerCode: error.innerCode, innerMessage: error.innerMessage, detailCode: error.detailCode, message: error.message } });
    }
    throw error;
  }
}

function analyzeAndCheck(text: string, tables: ReadonlyMap<string, LogTable>, schemas: ReadonlyMap<string, Schema>): KqlQuery {
  const { syntax, diagnostics } = analyzeKql(text, schemas);
  const errors = diagnostics.filter((d) => d.Severity === "Error");
  const syntaxError = errors.find((d) => /^KS0\d\d$/.test(d.Code));
  if (syntaxError !== undefined) {
    throw KqlQueryError.syntax(`Query could not be parsed at position ${syntaxError.Start}: ${syntaxError.Message}`);
  }
  const query = toKqlQuery(syntax, text);
  const table = tables.get(query.table);
  if (table === undefined) {
    throw KqlQueryError.semantic(`'${query.table}': Failed to resolve table or column expression named '${query.table}'`);
  }
  const semantic = errors[0];
  if (semantic !== undefined) throw KqlQueryError.semantic(`${semantic.Message} (${semantic.Code} at position ${semantic.Start})`);
  return query;
}

function run(query: KqlQuery, table: LogTable, tableColumns: Schema, options: EvaluateOptions): EvaluatedTable {
  let schema: Schema = new Map(tableColumns);
  let rows: Row[] = table.rows.map((r) => loadRow(r, schema));
  if (options.timespan !== undefined && schema.get("TimeGenerated") === "datetime") {
    const { start, end } = options.timespan;
    rows = rows.filter((r) => typeof r["TimeGenerated"] === "number" && r["TimeGenerated"] >= start && r["TimeGenerated"] < end);
  }
  for (const op of query.operators) {
    switch (op.kind) {
      case "where":
        rows = rows.filter((row) => evaluate(op.predicate, row, schema) === true);
        break;
      case "take":
        rows = rows.slice(0, Math.max(0, op.count));
        break;
      case "extend": {
        const next = new Map(schema);
        for (const column of op.columns) next.set(column.name, typeOf(column.expression, next));
        rows = rows.map((row) => {
          const out: Row = Object.assign(Object.create(null) as Row, row);
          for (const column of op.columns) out[column.name] = evaluate(column.expression, out, next);
          return out;
        });
        // Columns computed in the same extend may refer to the earlier ones: evaluate against `next`.
        schema = next;
        break;
      }
      case "project": {
        const next: Schema = new Map();
        for (const column of op.columns) next.set(column.name, typeOf(column.expression, schema));
        const before = schema;
        rows = rows.map((row) => {
          const out = Object.create(null) as Row;
          for (const column of op.columns) out[column.name] = evaluate(column.expression, row, before);
          return out;
        });
        schema = next;
        break;
      }
      case "summarize": {
        const result = summarize(op.aggregates, op.by, rows, schema);
        rows = result.rows;
        schema = result.schema;
        break;
      }
    }
  }
  const columns = [...schema].map(([name, type]) => ({ name, type }));
  return { name: "PrimaryResult", columns, rows: rows.map((row) => columns.map((c) => encode(row[c.name], c.type))) };
}

function loadRow(source: Record<string, unknown>, schema: Schema): Row {
  const row = Object.create(null) as Row;
  for (const [column, type] of schema) row[column] = load(source[column], type);
  return row;
}

function load(value: unknown, type: LogColumnType): Value {
  if (value === undefined || value === null) return type === "string" ? "" : null;
  switch (type) {
    case "datetime": {
      const ms = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : Number.NaN;
      return Number.isNaN(ms) ? null : ms;
    }
    case "string":
      return typeof value === "string" ? value : JSON.stringify(value);
    case "int":
    case "long":
    case "real":
    case "decimal": {
      const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
      return Number.isFinite(n) ? n : null;
    }
    case "bool":
      return typeof value === "boolean" ? value : typeof value === "string" && /^true$/i.test(value);
    case "dynamic":
      if (typeof value === "string") {
        try {
          return JSON.parse(value) as unknown;
        } catch {
          return value;
        }
      }
      return value;
    default:
      return value;
  }
}

function encode(value: Value, type: LogColumnType): unknown {
  if (value === undefined || value === null) return type === "string" ? "" : null;
  if (type === "datetime") return typeof value === "number" ? new Date(value).toISOString() : null;
  if (type === "dynamic") return JSON.stringify(value);
  return value;
}

const booleanFunctions = new Set(["not", "isempty", "isnotempty", "isnull", "isnotnull"]);

/** The static type of an expression (the output column type). */
function typeOf(expression: KqlExpression, schema: Schema): LogColumnType {
  switch (expression.kind) {
    case "literal":
      return expression.literal.type;
    case "column": {
      const type = schema.get(expression.name);
      if (type === undefined) throw KqlQueryError.semantic(`Failed to resolve scalar expression named '${expression.name}'`);
      return type;
    }
    case "binary":
    case "in":
    case "between":
      return "bool";
    case "negate":
      return typeOf(expression.operand, schema);
    case "member":
      return "dynamic";
    case "call": {
      const { name, args } = expression;
      if (booleanFunctions.has(name)) return "bool";
      switch (name) {
        case "tostring":
        case "tolower":
        case "toupper":
          return "string";
        case "toint":
          return "int";
        case "tolong":
        case "strlen":
        case "count":
        case "countif":
        case "dcount":
          return "long";
        case "toreal":
        case "todouble":
          return "real";
        case "coalesce":
        case "min":
        case "max":
          return args[0] === undefined ? "string" : typeOf(args[0], schema);
        case "sum": {
          const t = args[0] === undefined ? "long" : typeOf(args[0], schema);
          return t === "int" ? "long" : t;
        }
        case "iff":
        case "iif":
          return args[1] === undefined ? "string" : typeOf(args[1], schema);
        case "column_ifexists": {
          const column = columnIfExistsName(expression);
          const known = schema.get(column);
          return known ?? (args[1] === undefined ? "string" : typeOf(args[1], schema));
        }
        default:
          throw KqlQueryError.unsupported(`function ${name}()`, "");
      }
    }
  }
}

function columnIfExistsName(expression: Extract<KqlExpression, { kind: "call" }>): string {
  const first = expression.args[0];
  if (first?.kind !== "literal" || first.literal.type !== "string") {
    throw KqlQueryError.semantic("column_ifexists(): the first argument must be a constant string (the column name)");
  }
  return first.literal.value;
}

function asText(value: Value): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function isEmpty(value: Value): boolean {
  return value === null || value === undefined || value === "";
}

function toNumber(value: Value, integer: boolean): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : typeof value === "boolean" ? (value ? 1 : 0) : Number(asText(value));
  if (!Number.isFinite(n)) return null;
  return integer ? Math.trunc(n) : n;
}

function equals(left: Value, right: Value, caseInsensitive: boolean): boolean | null {
  if (left === null || right === null || left === undefined || right === undefined) return null;
  if (typeof left === "string" || typeof right === "string") {
    const a = asText(left);
    const b = asText(right);
    return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
  }
  if (typeof left === "object" || typeof right === "object") return JSON.stringify(left) === JSON.stringify(right);
  return left === right;
}

function compare(left: Value, right: Value): number | null {
  if (left === null || right === null || left === undefined || right === undefined) return null;
  if (typeof left === "number" && typeof right === "number") return left - right;
  const a = asText(left);
  const b = asText(right);
  return a < b ? -1 : a > b ? 1 : 0;
}

function and(a: Value, b: Value): boolean | null {
  if (a === false || b === false) return false;
  if (a === true && b === true) return true;
  return null;
}

function or(a: Value, b: Value): boolean | null {
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  return null;
}

function evaluate(expression: KqlExpression, row: Row, schema: Schema): Value {
  switch (expression.kind) {
    case "literal":
      return expression.literal.value;
    case "column":
      if (!schema.has(expression.name)) {
        throw KqlQueryError.semantic(`Failed to resolve scalar expression named '${expression.name}'`);
      }
      return row[expression.name] ?? null;
    case "negate": {
      const n = toNumber(evaluate(expression.operand, row, schema), false);
      return n === null ? null : -n;
    }
    case "member": {
      let target = evaluate(expression.target, row, schema);
      if (typeof target === "string") {
        try {
          target = JSON.parse(target) as unknown;
        } catch {
          return null;
        }
      }
      if (typeof target !== "object" || target === null || Array.isArray(target)) return null;
      return Object.prototype.hasOwnProperty.call(target, expression.key)
        ? ((target as Record<string, unknown>)[expression.key] ?? null)
        : null;
    }
    case "in": {
      const left = evaluate(expression.left, row, schema);
      const insensitive = expression.operator.endsWith("~");
      const found =
        left !== null && left !== undefined && expression.list.some((item) => equals(left, evaluate(item, row, schema), insensitive) === true);
      return expression.operator.startsWith("!") ? !found : found;
    }
    case "between": {
      const value = evaluate(expression.left, row, schema);
      const low = compare(value, evaluate(expression.low, row, schema));
      const high = compare(value, evaluate(expression.high, row, schema));
      if (low === null || high === null) return null;
      const inside = low >= 0 && high <= 0;
      return expression.negated ? !inside : inside;
    }
    case "binary":
      return binary(expression, row, schema);
    case "call":
      return call(expression, row, schema);
  }
}

function binary(expression: Extract<KqlExpression, { kind: "binary" }>, row: Row, schema: Schema): Value {
  const left = evaluate(expression.left, row, schema);
  if (expression.operator === "and" && left === false) return false;
  if (expression.operator === "or" && left === true) return true;
  const right = evaluate(expression.right, row, schema);
  switch (expression.operator) {
    case "and":
      return and(left, right);
    case "or":
      return or(left, right);
    case "==":
      return equals(left, right, false);
    case "=~":
      return equals(left, right, true);
    case "!=":
    case "!~": {
      const eq = equals(left, right, expression.operator === "!~");
      return eq === null ? null : !eq;
    }
    case "<":
    case "<=":
    case ">":
    case ">=": {
      const c = compare(left, right);
      if (c === null) return null;
      return expression.operator === "<" ? c < 0 : expression.operator === "<=" ? c <= 0 : expression.operator === ">" ? c > 0 : c >= 0;
    }
    default: {
      const cs = expression.operator.endsWith("_cs");
      const negated = expression.operator.startsWith("!");
      const a = cs ? asText(left) : asText(left).toLowerCase();
      const b = cs ? asText(right) : asText(right).toLowerCase();
      const op = expression.operator.replace(/^!/, "").replace(/_cs$/, "");
      const hit = op === "endswith" ? a.endsWith(b) : op === "startswith" ? a.startsWith(b) : a.includes(b);
      return negated ? !hit : hit;
    }
  }
}

function call(expression: Extract<KqlExpression, { kind: "call" }>, row: Row, schema: Schema): Value {
  const { name, args } = expression;
  const arg = (i: number): Value => {
    const a = args[i];
    return a === undefined ? null : evaluate(a, row, schema);
  };
  switch (name) {
    case "not": {
      const v = arg(0);
      return v === null ? null : v !== true;
    }
    case "tostring":
      return asText(arg(0));
    case "tolower":
      return asText(arg(0)).toLowerCase();
    case "toupper":
      return asText(arg(0)).toUpperCase();
    case "toint":
    case "tolong":
      return toNumber(arg(0), true);
    case "toreal":
    case "todouble":
      return toNumber(arg(0), false);
    case "strlen":
      return asText(arg(0)).length;
    case "isempty":
      return isEmpty(arg(0));
    case "isnotempty":
      return !isEmpty(arg(0));
    case "isnull":
      return arg(0) === null;
    case "isnotnull":
      return arg(0) !== null;
    case "coalesce": {
      for (let i = 0; i < args.length; i++) {
        const v = arg(i);
        if (!isEmpty(v)) return v;
      }
      return args[0] !== undefined && typeOf(args[0], schema) === "string" ? "" : null;
    }
    case "iff":
    case "iif":
      return arg(0) === true ? arg(1) : arg(2);
    case "column_ifexists": {
      const column = columnIfExistsName(expression);
      return schema.has(column) ? (row[column] ?? null) : arg(1);
    }
    default:
      throw KqlQueryError.unsupported(`function ${name}() outside summarize`, "");
  }
}

interface AggregateState {
  count: number;
  value: Value;
  distinct?: Set<string>;
}

function summarize(
  aggregates: KqlNamedExpression[],
  by: KqlNamedExpression[],
  rows: Row[],
  schema: Schema,
): { rows: Row[]; schema: Schema } {
  const next: Schema = new Map();
  for (const key of by) next.set(key.name, typeOf(key.expression, schema));
  for (const aggregate of aggregates) next.set(aggregate.name, typeOf(aggregate.expression, schema));
  const groups = new Map<string, { keys: Value[]; states: AggregateState[] }>();
  for (const row of rows) {
    const keys = by.map((key) => evaluate(key.expression, row, schema));
    const id = JSON.stringify(keys);
    let group = groups.get(id);
    if (group === undefined) {
      group = { keys, states: aggregates.map(() => ({ count: 0, value: null })) };
      groups.set(id, group);
    }
    aggregates.forEach((aggregate, i) => accumulate(aggregate.expression, group.states[i]!, row, schema));
  }
  if (by.length === 0 && groups.size === 0) {
    groups.set("[]", { keys: [], states: aggregates.map(() => ({ count: 0, value: null })) });
  }
  const out: Row[] = [];
  for (const group of groups.values()) {
    const row = Object.create(null) as Row;
    by.forEach((key, i) => (row[key.name] = group.keys[i]));
    aggregates.forEach((aggregate, i) => (row[aggregate.name] = result(aggregate.expression, group.states[i]!)));
    out.push(row);
  }
  return { rows: out, schema: next };
}

function accumulate(expression: KqlExpression, state: AggregateState, row: Row, schema: Schema): void {
  if (expression.kind !== "call") throw KqlQueryError.unsupported("a summarize aggregate that is not a function call", "");
  const value = expression.args[0] === undefined ? null : evaluate(expression.args[0], row, schema);
  switch (expression.name) {
    case "count":
      state.count++;
      return;
    case "countif":
      if (value === true) state.count++;
      return;
    case "dcount":
      if (value !== null && value !== "") (state.distinct ??= new Set()).add(JSON.stringify(value));
      return;
    case "sum":
      if (typeof value === "number") state.value = (typeof state.value === "number" ? state.value : 0) + value;
      return;
    case "min":
    case "max": {
      if (value === null || value === undefined) return;
      const c = state.value === null ? null : compare(value, state.value);
      if (c === null || (expression.name === "min" ? c < 0 : c > 0)) state.value = value;
      return;
    }
    default:
      throw KqlQueryError.unsupported(`aggregate ${expression.name}()`, "");
  }
}

function result(expression: KqlExpression, state: AggregateState): Value {
  if (expression.kind !== "call") return null;
  switch (expression.name) {
    case "count":
    case "countif":
      return state.count;
    case "dcount":
      return state.distinct?.size ?? 0;
    default:
      return state.value;
  }
}
