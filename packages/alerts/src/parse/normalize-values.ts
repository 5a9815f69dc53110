import { type MitreTactic } from "../catalog/alert-catalog.js";
import { parseUsDateTime } from "../helpers/us-date-time.js";
import { type AlertSeverity, type AlertStatus } from "../key-vault-alert.js";
import { alertWarningCodes, type ParseContext } from "./parse-context.js";

const isoTime = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/**
 * Normalizes a timestamp to ISO 8601 UTC (`...Z`), keeping the service's full fractional precision as text
 * (7 digits stay 7 digits). Accepts ISO with `Z`, an offset or no zone (assumed UTC), US `MM/dd/yyyy HH:mm:ss`,
 * and `Date` objects (the Log Analytics SDK returns those). Returns `undefined` (with a warning) otherwise.
 */
const fastIso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);
}

/** Validates an already-canonical `yyyy-MM-ddTHH:mm:ss[.f]Z` string without allocating a Date. */
function validCanonical(text: string): boolean {
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > monthDays[month - 1]! + (leap ? 1 : 0)) return false;
  return twoDigits(text, 11) <= 23 && twoDigits(text, 14) <= 59 && twoDigits(text, 17) <= 59;
}

export function normalizeTime(value: unknown, ctx: ParseContext, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  // The common case: REST / export / Graph times are already canonical ISO UTC. Return the input itself.
  if (typeof value === "string" && fastIso.test(value) && validCanonical(value)) {
    if (value.length > 24) {
      ctx.warnOnce(
        alertWarningCodes.subMillisecondTime,
        path,
        `Timestamps carry ${value.length - 21} fractional digits; they are kept as text because Date keeps only milliseconds.`,
      );
    }
    return value;
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  }
  if (typeof value !== "string") {
    ctx.warn(alertWarningCodes.invalidOptionalField, path, `Timestamp is a ${typeof value}, not a string; ignored.`);
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  const match = isoTime.exec(trimmed);
  if (match === null) {
    const us = parseUsDateTime(trimmed);
    if (us !== undefined) {
      ctx.warn(alertWarningCodes.convertedTime, path, `US-format time "${trimmed}" read as UTC.`);
      return us;
    }
    ctx.warn(alertWarningCodes.invalidOptionalField, path, `"${trimmed.slice(0, 40)}" is not a timestamp; ignored.`);
    return undefined;
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = match[6] === undefined ? 0 : Number(match[6]);
  const fraction = match[7] ?? "";
  const zone = match[8];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 ||
    probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1
  ) {
    ctx.warn(alertWarningCodes.invalidOptionalField, path, `"${trimmed}" is not a valid date; ignored.`);
    return undefined;
  }
  if (fraction.length > 4) {
    ctx.warnOnce(
      alertWarningCodes.subMillisecondTime,
      path,
      `Timestamps carry ${fraction.length - 1} fractional digits; they are kept as text because Date keeps only milliseconds.`,
    );
  }
  // The common case: already ISO UTC with a capital T and Z. Return the input string itself.
  if ((zone === "Z") && trimmed.charCodeAt(10) === 84 && match[6] !== undefined) return trimmed;
  let offsetMinutes = 0;
  if (zone === undefined) {
    ctx.warn(alertWarningCodes.convertedTime, path, `Timestamp "${trimmed}" has no zone; read as UTC.`);
  } else if (zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    if (offsetMinutes !== 0) ctx.warn(alertWarningCodes.convertedTime, path, `Timestamp "${trimmed}" converted to UTC.`);
  }
  const utc = new Date(probe.getTime() - offsetMinutes * 60_000);
  return (
    `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}` +
    `T${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}${fraction}Z`
  );
}

/** Own keys only: input such as `constructor` must not find Object.prototype members. */
function lookup<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const severities: Record<string, AlertSeverity> = {
  high: "High",
  medium: "Medium",
  low: "Low",
  informational: "Informational",
  information: "Informational",
  info: "Informational",
};

/** Maps any channel's severity (`High`, `high`, `medium`, ...) to the model's; `undefined` when unknown. */
export function normalizeSeverity(value: unknown): AlertSeverity | undefined {
  if (typeof value !== "string") return undefined;
  // The spellings every channel uses, without a trimmed, lower-cased copy.
  switch (value) {
    case "High":
    case "Medium":
    case "Low":
    case "Informational":
      return value;
    default:
      return lookup(severities, value.trim().toLowerCase());
  }
}

const statuses: Record<string, AlertStatus> = {
  active: "Active",
  new: "Active",
  inprogress: "InProgress",
  "in progress": "InProgress",
  resolved: "Resolved",
  dismissed: "Dismissed",
};

/** Maps REST / export / Log Analytics / Graph status to the model's (`New` and Graph `new` are `Active`). */
export function normalizeStatus(value: unknown): AlertStatus | undefined {
  return typeof value === "string" ? lookup(statuses, value.trim().toLowerCase()) : undefined;
}

const tacticList: readonly MitreTactic[] = [
  "InitialAccess",
  "Discovery",
  "CredentialAccess",
  "Persistence",
  "PrivilegeEscalation",
  "DefenseEvasion",
  "LateralMovement",
  "Execution",
  "Collection",
  "Exfiltration",
  "CommandAndControl",
  "Impact",
  "PreAttack",
  "Probing",
  "Exploitation",
];
const tactics = new Map<string, MitreTactic>(tacticList.map((tactic) => [tactic.toLowerCase(), tactic]));

// Compiled once at load, not per alert.
const listSeparator = /[,;]/;
const tacticFiller = /[\s_-]+/g;
const jsonListPunctuation = /[[\]"]/g;

/**
 * Splits `intent` / `Tactics` / Graph `category` (a string, comma- or semicolon-separated, or an array) into
 * PascalCase tactic ids (`Credential Access` -> `CredentialAccess`). `Unknown` is dropped; undocumented values
 * are kept (spaces removed) with a warning.
 */
export function normalizeTactics(value: unknown, ctx: ParseContext, path: string): string[] {
  // Fast path: one documented tactic, as REST and export send it.
  if (typeof value === "string") {
    const single = tactics.get(value.toLowerCase());
    if (single !== undefined) return [single];
    if (value === "Unknown") return [];
  }
  const out: string[] = [];
  const add = (item: unknown): void => {
    if (typeof item !== "string") return;
    for (const piece of item.split(listSeparator)) {
      const compact = piece.replace(tacticFiller, "");
      if (compact === "" || compact.toLowerCase() === "unknown") continue;
      const known = tactics.get(compact.toLowerCase());
      if (known === undefined) {
        ctx.warn(alertWarningCodes.unknownEnumValue, path, `Tactic "${piece.trim().slice(0, 64)}" is not a documented Defender intent; kept.`);
      }
      const tactic = known ?? compact;
      if (!out.includes(tactic)) out.push(tactic);
    }
  };
  let items: unknown = value;
  // The Activity Log writes intent as a JSON-encoded array string: "[\"CredentialAccess\"]".
  if (typeof items === "string" && items.trimStart().startsWith("[")) {
    try {
      items = JSON.parse(items) as unknown;
    } catch {
      items = (items as string).replace(jsonListPunctuation, "");
    }
  }
  if (Array.isArray(items)) for (const item of items) add(item);
  else add(items);
  return out;
}

function addTechniques(out: string[], value: unknown): void {
  if (typeof value === "string") {
    if (!value.includes(",") && !value.includes(";")) {
      const technique = value.trim().toUpperCase();
      if (technique !== "" && !out.includes(technique)) out.push(technique);
      return;
    }
    for (const piece of value.split(listSeparator)) {
      const technique = piece.trim().toUpperCase();
      if (technique !== "" && !out.includes(technique)) out.push(technique);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) if (typeof item === "string") addTechniques(out, item);
  }
}

/** Technique ids (`T1059`, `T1059.001`) from arrays or comma-separated strings, de-duplicated, upper-cased. */
export function normalizeTechniques(techniques: unknown, subTechniques: unknown): string[] {
  const out: string[] = [];
  addTechniques(out, techniques);
  addTechniques(out, subTechniques);
  return out;
}

const zeroGuid = /^\{?0{8}-?0{4}-?0{4}-?0{4}-?0{12}\}?$/;
const zeroIp = /^0{1,3}\.0{1,3}\.0{1,3}\.0{1,3}$/;

/** `true` for the placeholders Defender and sanitised samples use for "no value": all-zero GUIDs, `00.00.00.00`. */
export function isPlaceholder(value: string): boolean {
  // Every placeholder starts with "0", "{" or ":"; real values are told apart by their first character.
  const first = value.charCodeAt(0);
  if (first !== 48 && first !== 123 && first !== 58) return false;
  return zeroGuid.test(value) || zeroIp.test(value) || value === "::";
}
