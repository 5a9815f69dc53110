import type { ErrorCategory } from "./error-category.js";

/**
 * One stable code. Error codes (`E`) carry the category every error with that code belongs to; warning (`W`) and
 * information (`I`) codes name report and journal entries and carry none.
 */
export interface ErrorCodeDefinition {
  /** `KW_<AREA>_<E|W|I><nnnn>`; never reused or renumbered once published. */
  code: string;
  category?: ErrorCategory;
}

/** A code map as every Keywarden package spells it: a name per code, the value being the code itself. */
export type ErrorCodes<T extends Record<string, ErrorCodeDefinition>> = { readonly [K in keyof T]: T[K]["code"] };

const categories = new WeakMap<object, ReadonlyMap<string, ErrorCategory>>();

/**
 * Declares a package's (or an error class's) codes, the one convention for code maps:
 *
 * ```ts
 * export const alertParseErrorCodes = defineErrorCodes({
 *   invalidJson: { code: "KW_ALERTS_E0001", category: "invalid-input" },
 * });
 * alertParseErrorCodes.invalidJson; // "KW_ALERTS_E0001"
 * ```
 *
 * The result maps each name to its code string (so `error.code === codes.invalidJson` reads naturally); the
 * category of a code is looked up with {@link categoryOfCode}.
 */
export function defineErrorCodes<const T extends Record<string, ErrorCodeDefinition>>(definitions: T): ErrorCodes<T> {
  const codes: Record<string, string> = {};
  const byCode = new Map<string, ErrorCategory>();
  for (const [name, definition] of Object.entries(definitions)) {
    if (!/^KW_[A-Z]+_[EWI]\d{4}$/.test(definition.code)) {
      throw new TypeError(`Error code ${definition.code} (${name}) is not of the form KW_<AREA>_<E|W|I><nnnn>.`);
    }
    if (codes[name] !== undefined || Object.values(codes).includes(definition.code)) {
      throw new TypeError(`Error code ${definition.code} is defined twice.`);
    }
    const isError = /_E\d{4}$/.test(definition.code);
    if (isError !== (definition.category !== undefined)) {
      throw new TypeError(`${definition.code} (${name}): error (E) codes need a category, warning and information codes take none.`);
    }
    codes[name] = definition.code;
    if (definition.category !== undefined) byCode.set(definition.code, definition.category);
  }
  const frozen = Object.freeze(codes) as ErrorCodes<T>;
  categories.set(frozen, byCode);
  return frozen;
}

/** The category of error code `code` in a map made by {@link defineErrorCodes}; throws for a code it does not define as an error. */
export function categoryOfCode(codes: object, code: string): ErrorCategory {
  const category = categories.get(codes)?.get(code);
  if (category === undefined) throw new TypeError(`${code} is not defined as an error code in this map.`);
  return category;
}

/** Every error code of a map made by {@link defineErrorCodes}, with its category (for docs and tests). */
export function listErrorCodes(codes: object): ReadonlyMap<string, ErrorCategory> {
  return categories.get(codes) ?? new Map();
}
