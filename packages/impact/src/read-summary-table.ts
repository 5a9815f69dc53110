import { callerCensusColumns, impactSummaryColumns } from "./build-impact-queries.js";
import type { ImpactAccumulator, SummaryRow } from "./impact-accumulator.js";
import type { ImpactTable } from "./impact-report.js";

/** The shape of a `LogsTable` from `@azure/monitor-query-logs` that the reader needs. */
export interface SummaryTableLike {
  columnDescriptors: readonly { name?: string }[];
  rows: readonly (readonly unknown[])[];
}

type SummaryColumn = (typeof impactSummaryColumns)[number];

/** The columns a table lacks (a query that is not ours, or a service change). Empty when it can be read. */
export function missingSummaryColumns(table: SummaryTableLike): SummaryColumn[] {
  const names = new Set(table.columnDescriptors.map((c) => c.name));
  return impactSummaryColumns.filter((c) => !names.has(c));
}

/**
 * Feeds every row of a summary table into the accumulator and returns the number of rows read. Column positions
 * are resolved once by name; one row object is reused, so reading allocates nothing per row.
 */
export function readSummaryTable(table: SummaryTableLike, source: ImpactTable, accumulator: ImpactAccumulator): number {
  const index = {} as Record<SummaryColumn, number>;
  for (const column of impactSummaryColumns) index[column] = table.columnDescriptors.findIndex((c) => c.name === column);
  const row: SummaryRow = {
    operation: "",
    objectUri: "",
    callerIp: "",
    callerObjectId: "",
    callerUpn: "",
    callerAppId: "",
    resultType: "",
    statusCode: 0,
    count: 0,
    firstTime: Number.NaN,
    lastTime: Number.NaN,
  };
  const { OperationName, ObjectUri, CallerIp, CallerObjectId, CallerUpn, CallerAppId, ResultType, StatusCode } = index;
  const { EventCount, FirstTime, LastTime } = index;
  // An indexed loop with everything it needs read before it starts: V8 compiles this loop on-stack while it runs,
  // and anything first touched after it (such as `table.rows.length`) would throw that compiled code away on every
  // call, leaving the next call's rows to the interpreter (and an iterator result object per row).
  const rows = table.rows;
  const total = rows.length;
  for (let i = 0; i < total; i++) {
    const cells = rows[i]!;
    row.operation = text(cells[OperationName]);
    row.objectUri = text(cells[ObjectUri]);
    row.callerIp = text(cells[CallerIp]);
    row.callerObjectId = text(cells[CallerObjectId]);
    row.callerUpn = text(cells[CallerUpn]);
    row.callerAppId = text(cells[CallerAppId]);
    row.resultType = text(cells[ResultType]);
    row.statusCode = number(cells[StatusCode]);
    row.count = number(cells[EventCount]);
    row.firstTime = time(cells[FirstTime]);
    row.lastTime = time(cells[LastTime]);
    accumulator.add(source, row);
  }
  return total;
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return value === null || value === undefined ? "" : JSON.stringify(value);
}

function number(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

function time(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string" && value !== "") return Date.parse(value);
  return Number.NaN;
}

/** Feeds a caller-census table (see `callerCensusColumns`) into the accumulator; returns the rows read. */
export function readCallerCensusTable(table: SummaryTableLike, accumulator: ImpactAccumulator): number {
  const at = (column: (typeof callerCensusColumns)[number]): number => table.columnDescriptors.findIndex((c) => c.name === column);
  const [ip, oid, upn, app, count, failed, first, last, viaPublic, viaNetwork, viaEndpoint, viaTrusted] = callerCensusColumns.map(at) as [
    number, number, number, number, number, number, number, number, number, number, number, number,
  ];
  for (const cells of table.rows) {
    accumulator.addCensus({
      ip: text(cells[ip]),
      oid: text(cells[oid]),
      upn: text(cells[upn]),
      appId: text(cells[app]),
      count: number(cells[count]),
      failed: number(cells[failed]),
      first: time(cells[first]),
      last: time(cells[last]),
      paths: { public: number(cells[viaPublic]), "virtual-network": number(cells[viaNetwork]), "private-endpoint": number(cells[viaEndpoint]), "trusted-service": number(cells[viaTrusted]) },
    });
  }
  return table.rows.length;
}

/** The census columns a table lacks. */
export function missingCensusColumns(table: SummaryTableLike): string[] {
  const names = new Set(table.columnDescriptors.map((c) => c.name));
  return callerCensusColumns.filter((c) => !names.has(c));
}
