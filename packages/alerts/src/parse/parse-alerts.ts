import { AlertParseError, alertParseErrorCodes } from "../errors/alert-parse-error.js";
import { type KeyVaultAlert } from "../key-vault-alert.js";
import { mayHoldReference } from "./build-alert.js";
import { childPath, isObject, type JsonObject } from "./json-value.js";
import { asParseError, channelOf, checkOptions, parseAlertAt, parseJsonText, type ParseAlertOptions } from "./parse-alert.js";

/** Options of {@link parseAlerts} and {@link parseAlertsSettled}. */
export type ParseAlertsOptions = ParseAlertOptions;

/** The outcome of {@link parseAlertsSettled}: every alert that parsed, and an error for each item that did not. */
export interface ParseAlertsResult {
  alerts: KeyVaultAlert[];
  errors: AlertParseError[];
}

interface Item {
  value: unknown;
  path: string;
}

function columnNames(columns: unknown, path: string): string[] {
  if (!Array.isArray(columns)) {
    throw new AlertParseError(alertParseErrorCodes.invalidList, "A Log Analytics table needs a `columns` array.", { channel: "log-analytics", path });
  }
  return (columns as unknown[]).map((column, index) => {
    const name: unknown = isObject(column) ? column.name : column;
    if (typeof name !== "string") {
      throw new AlertParseError(alertParseErrorCodes.invalidList, "Every Log Analytics column needs a string `name`.", {
        channel: "log-analytics",
        path: childPath(path, index),
      });
    }
    return name;
  });
}

/** Rows of a Log Analytics table (REST `{ name, columns, rows }` or SDK `LogsTable { columnDescriptors, rows }`). */
function tableItems(table: JsonObject, path: string, items: Item[]): void {
  const columnsKey = Array.isArray(table.columnDescriptors) ? "columnDescriptors" : "columns";
  const names = columnNames(table[columnsKey], childPath(path, columnsKey));
  const rows = table.rows;
  if (!Array.isArray(rows)) {
    throw new AlertParseError(alertParseErrorCodes.invalidList, "A Log Analytics table needs a `rows` array.", { channel: "log-analytics", path: childPath(path, "rows") });
  }
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    const rowPath = childPath(childPath(path, "rows"), i);
    if (Array.isArray(row)) {
      const record: JsonObject = {};
      for (let c = 0; c < names.length; c++) record[names[c]!] = row[c];
      items.push({ value: record, path: rowPath });
    } else {
      items.push({ value: row, path: rowPath });
    }
  }
}

/** Flattens every list shape into alert items with their JSON paths. */
function listItems(input: unknown): Item[] {
  const items: Item[] = [];
  if (Array.isArray(input)) {
    input.forEach((value, index) => items.push({ value, path: `$[${index}]` }));
    return items;
  }
  if (!isObject(input)) {
    throw new AlertParseError(alertParseErrorCodes.notAnObject, "Expected an alert, an array of alerts, a list response or a Log Analytics result.", { path: "$" });
  }
  if (Array.isArray(input.tables)) {
    input.tables.forEach((table, index) => {
      const path = `$.tables[${index}]`;
      if (!isObject(table)) throw new AlertParseError(alertParseErrorCodes.invalidList, "A Log Analytics table must be an object.", { channel: "log-analytics", path });
      tableItems(table, path, items);
    });
    return items;
  }
  if (Array.isArray(input.rows) && (Array.isArray(input.columns) || Array.isArray(input.columnDescriptors))) {
    tableItems(input, "$", items);
    return items;
  }
  for (const key of ["value", "records"] as const) {
    const list = input[key];
    if (Array.isArray(list)) {
      list.forEach((value, index) => items.push({ value, path: `$.${key}[${index}]` }));
      return items;
    }
  }
  items.push({ value: input, path: "$" });
  return items;
}

function settle(input: unknown, options: ParseAlertsOptions, stopOnError: boolean): ParseAlertsResult {
  const alerts: KeyVaultAlert[] = [];
  const errors: AlertParseError[] = [];
  checkOptions(options);
  const value = typeof input === "string" ? parseJsonText(input, options.channel) : input;
  // One search of the whole text instead of a walk over every alert's entity graph (see mayHoldReference).
  const referencesPossible = typeof input !== "string" || mayHoldReference(input);
  for (const item of listItems(value)) {
    try {
      alerts.push(parseAlertAt(item.value, options, item.path, referencesPossible));
    } catch (error) {
      const parseError = asParseError(error, options.channel, item.path);
      // In a list, alerts of other Defender plans are expected: keyVaultOnly filters them out quietly.
      if (parseError.code === alertParseErrorCodes.notKeyVaultAlert) continue;
      if (stopOnError) throw parseError;
      errors.push(parseError);
    }
  }
  return { alerts, errors };
}

/**
 * Parses many alerts: an ARM or Graph list response (`{ value: [...] }`), an Event Hubs batch
 * (`{ records: [...] }`), an array, a Log Analytics query result (`{ tables: [...] }`, or an SDK `LogsTable`), a
 * single alert, or the JSON text of any of these. Throws the first `AlertParseError`; with `keyVaultOnly`, alerts
 * of other Defender plans are skipped.
 */
export function parseAlerts(input: unknown, options: ParseAlertsOptions = {}): KeyVaultAlert[] {
  try {
    return settle(input, options, true).alerts;
  } catch (error) {
    throw asParseError(error, channelOf(options), "$");
  }
}

/** Like {@link parseAlerts}, but never throws for a bad item: it is reported in `errors` and the rest still parse. */
export function parseAlertsSettled(input: unknown, options: ParseAlertsOptions = {}): ParseAlertsResult {
  try {
    return settle(input, options, false);
  } catch (error) {
    return { alerts: [], errors: [asParseError(error, channelOf(options), "$")] };
  }
}
