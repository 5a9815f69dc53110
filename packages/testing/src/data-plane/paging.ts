import { badParameter } from "./key-vault-errors.js";
import { fail, type DataPlaneCall } from "./data-plane-call.js";

/** Key Vault list pages hold at most 25 items (`maxresults`, default 25). */
export const MAX_PAGE_SIZE = 25;

export interface Page<T> {
  value: T[];
  nextLink: string | null;
}

function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ NextMarker: offset, TargetLocation: 0 }), "utf8").toString("base64url");
}

function decodeSkipToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { NextMarker?: unknown };
    if (typeof parsed.NextMarker === "number" && Number.isInteger(parsed.NextMarker) && parsed.NextMarker >= 0) return parsed.NextMarker;
  } catch {
    // fall through to the 400 below
  }
  return fail(badParameter(`The $skiptoken '${token}' is not valid.`));
}

/**
 * One page of `items` for a list request, honouring `maxresults` and `$skiptoken`, with a `nextLink` shaped like the
 * service's (`https://{vault}.vault.azure.net:443/{path}?api-version=...&$skiptoken=...&maxresults=...`).
 */
export function pageOf<T>(call: DataPlaneCall, items: readonly T[]): Page<T> {
  const maxText = call.url.searchParams.get("maxresults");
  let size = MAX_PAGE_SIZE;
  if (maxText !== null && maxText !== "") {
    const parsed = Number(maxText);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_PAGE_SIZE) {
      fail(badParameter(`The value '${maxText}' of maxresults is not valid: it must be between 1 and ${MAX_PAGE_SIZE}.`));
    }
    size = parsed;
  }
  const skipToken = call.url.searchParams.get("$skiptoken");
  const offset = skipToken === null || skipToken === "" ? 0 : decodeSkipToken(skipToken);
  const value = items.slice(offset, offset + size);
  const next = offset + size;
  if (next >= items.length) return { value, nextLink: null };
  const query = new URLSearchParams({ "api-version": call.apiVersion, $skiptoken: encodeSkipToken(next), maxresults: String(size) });
  const origin = new URL(call.vaultUrl);
  return {
    value,
    nextLink: `${origin.protocol}//${origin.host}:443${call.url.pathname}?${query.toString().replace("%24skiptoken", "$skiptoken")}`,
  };
}

/** Sorts objects by name the way listings show them (case-insensitive). */
export function byName<T extends { name: string }>(objects: Iterable<T>): T[] {
  return [...objects].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
}
