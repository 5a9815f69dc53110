import type { FakeTokenClaims } from "../auth/fake-token.js";
import type { FakeAzureContext } from "../context.js";
import type { VaultState } from "../state/tenant-state.js";
import { badParameter } from "./key-vault-errors.js";
import { emptyResponse, errorResponse, jsonResponse, type KeyVaultErrorSpec, type ResponseContext } from "./key-vault-response.js";

/** Everything an operation handler needs about one authenticated, firewall-cleared data-plane request. */
export interface DataPlaneCall {
  readonly ctx: FakeAzureContext;
  readonly vault: VaultState;
  readonly request: Request;
  readonly url: URL;
  /** Decoded path segments; a trailing slash leaves a final `""` (`GET /secrets/name/` = latest version). */
  readonly segments: readonly string[];
  /** `https://{vault}.vault.azure.net`: the base of every object id this vault hands out. */
  readonly vaultUrl: string;
  /** `api-version` as sent (the SDK percent-encodes the hyphen; `searchParams` decodes it). */
  readonly apiVersion: string;
  /** Clock milliseconds when the request arrived. */
  readonly nowMs: number;
  /** Clock unix seconds when the request arrived (the unit of data-plane attributes). */
  readonly nowSeconds: number;
  readonly responseContext: ResponseContext;
  /** The caller, from its verified bearer token. */
  readonly claims: FakeTokenClaims;
}

/** Thrown inside an operation to answer with a Key Vault error; caught by the dispatcher. */
export class KeyVaultFailure extends Error {
  constructor(readonly spec: KeyVaultErrorSpec) {
    super(spec.message);
    this.name = "KeyVaultFailure";
  }
}

export function fail(spec: KeyVaultErrorSpec): never {
  throw new KeyVaultFailure(spec);
}

export function ok(call: DataPlaneCall, body: unknown, status = 200, extraHeaders?: Record<string, string>): Response {
  return jsonResponse(call.responseContext, status, body, extraHeaders);
}

export function noContent(call: DataPlaneCall): Response {
  return emptyResponse(call.responseContext, 204);
}

export function failureResponse(call: Pick<DataPlaneCall, "responseContext">, error: KeyVaultErrorSpec): Response {
  return errorResponse(call.responseContext, error);
}

/** Reads the JSON body of a write; an empty or malformed body is the service's 400. */
export async function readJsonObject(call: DataPlaneCall): Promise<Record<string, unknown>> {
  const text = await call.request.text();
  if (text.trim().length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fail(badParameter("The request body is not valid JSON."));
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) fail(badParameter("The request body must be a JSON object."));
  return parsed as Record<string, unknown>;
}

const OBJECT_NAME = /^[0-9a-zA-Z-]{1,127}$/u;

/** Object names are 1-127 characters of `[0-9a-zA-Z-]` (a leading digit or dash is accepted). */
export function checkObjectName(name: string): void {
  if (!OBJECT_NAME.test(name)) fail(badParameter(`The request URI contains an invalid name: ${name}`));
}

/** Tags: at most 15, string values only. */
export function readTags(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) fail(badParameter("tags must be a JSON object of strings."));
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 15) fail(badParameter("The number of tags exceeds the limit of 15."));
  const tags: Record<string, string> = {};
  for (const [key, tag] of entries) {
    if (typeof tag !== "string") fail(badParameter(`The value of tag '${key}' must be a string.`));
    tags[key] = tag;
  }
  return tags;
}

export function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") fail(badParameter(`${field} must be a string.`));
  return value;
}
