import { terminalSafe } from "../text/terminal-text.js";
import type { ErrorCategory } from "./error-category.js";

/** Options accepted by every Keywarden error. */
export interface KeywardenErrorOptions {
  /** What kind of failure this is; see {@link ErrorCategory}. */
  category: ErrorCategory;
  /** The upstream error (for example an Azure `RestError`) that caused this one. Kept, never replaced. */
  cause?: unknown;
}

const baseMarker = "keywarden.error";
const markersKey = Symbol.for("keywarden.error.markers");

type Marked = { [markersKey]?: readonly string[] };

/**
 * The base of every error Keywarden throws or attaches to a report.
 *
 * `code` is stable across releases (`KW_<AREA>_<E|W|I><nnnn>`, see docs/error-codes.md), so SOAR code can branch on
 * it; `category` says what kind of failure it is; `message` is for people and names what was wrong and the one
 * action that fixes it. Messages name outside values (a vault, a rule, an object from an alert), so control, ANSI and
 * bidi characters in the message are shown as visible escapes (`terminalSafe`): an error printed on a terminal or
 * written to a log cannot clear the screen or hide text. Line breaks are kept (some messages list problems).
 *
 * Each subclass declares its own `static readonly marker` (a globally unique string such as
 * `"keywarden.remediation.error"`). `X.isInstance(error)` is true only for errors of class `X` or its subclasses,
 * also across two installed copies of a package, where `instanceof` fails. A subclass that forgets its marker
 * makes `isInstance` throw, so the mistake cannot silently match a sibling class (the bug this design replaces).
 */
export class KeywardenError extends Error {
  /** The class marker; every subclass must declare its own. */
  static readonly marker: string = baseMarker;

  readonly code: string;
  readonly category: ErrorCategory;

  constructor(code: string, message: string, options: KeywardenErrorOptions) {
    super(terminalSafe(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.category = options.category;
    Object.defineProperty(this, markersKey, { value: markersOf(new.target), enumerable: false });
  }

  /** Whether `error` is an instance of the class this is called on (or of one of its subclasses), by marker. */
  static isInstance<T extends KeywardenError>(this: abstract new (...args: never[]) => T, error: unknown): error is T {
    const marker = ownMarker(this);
    const markers = typeof error === "object" && error !== null ? (error as Marked)[markersKey] : undefined;
    return Array.isArray(markers) && markers.includes(marker);
  }
}

function ownMarker(errorClass: object): string {
  if (!Object.hasOwn(errorClass, "marker")) {
    throw new TypeError(
      `${(errorClass as { name?: string }).name ?? "This error class"} extends KeywardenError without its own static marker; declare \`static override readonly marker = "keywarden.<area>.<name>"\`.`,
    );
  }
  return (errorClass as { marker: string }).marker;
}

/** The markers of a class and every Keywarden class above it, collected once per class. */
const markerCache = new WeakMap<object, readonly string[]>();

function markersOf(errorClass: object): readonly string[] {
  const cached = markerCache.get(errorClass);
  if (cached !== undefined) return cached;
  const markers: string[] = [];
  for (let current: object | null = errorClass; current !== null && current !== Error; current = Object.getPrototypeOf(current) as object | null) {
    if (Object.hasOwn(current, "marker")) markers.push((current as { marker: string }).marker);
  }
  const frozen = Object.freeze(markers);
  markerCache.set(errorClass, frozen);
  return frozen;
}
