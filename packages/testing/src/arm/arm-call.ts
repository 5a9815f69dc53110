import type { FakeTokenClaims } from "../auth/fake-token.js";
import type { FakeAzureContext } from "../context.js";

/** One authenticated ARM request, routed. */
export interface ArmCall {
  readonly ctx: FakeAzureContext;
  readonly request: Request;
  readonly url: URL;
  /** The path with repeated slashes collapsed (some SDKs send `//subscriptions/...` for resource URIs). */
  readonly path: string;
  /** Named groups of the route's path pattern, URI-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly apiVersion: string;
  readonly caller: FakeTokenClaims;
  /** Items per page of list responses (`nextLink` paging). */
  readonly pageSize: number;
}

/** An ARM error the route wants to answer with (`CloudError`). */
export class ArmFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = "ArmFailure";
  }
}

export function armFail(status: number, code: string, message: string): never {
  throw new ArmFailure(status, code, message);
}

/** The request body as a JSON object; anything else is ARM's 400 `InvalidRequestContent`. */
export async function readArmJson(call: ArmCall): Promise<Record<string, unknown>> {
  const text = await call.request.text();
  if (text.trim() === "")
    armFail(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: the body is empty.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    armFail(400, "InvalidRequestContent", `The request content was invalid and could not be deserialized: '${(error as Error).message}'.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    armFail(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: expected a JSON object.");
  }
  return parsed as Record<string, unknown>;
}

/** A page of `items` plus `nextLink` (the same URL with `$skipToken`), as ARM list operations answer. */
export function pageOf<T>(call: ArmCall, items: readonly T[]): { value: T[]; nextLink?: string } {
  const token = call.url.searchParams.get("$skipToken") ?? call.url.searchParams.get("$skiptoken");
  const start = token === null ? 0 : Number.parseInt(token, 10);
  if (!Number.isInteger(start) || start < 0) armFail(400, "InvalidSkipToken", `The $skipToken '${token ?? ""}' is not valid.`);
  const end = start + call.pageSize;
  const page: { value: T[]; nextLink?: string } = { value: items.slice(start, end) };
  if (end < items.length) {
    const next = new URL(call.url.href);
    next.searchParams.delete("$skiptoken");
    next.searchParams.set("$skipToken", String(end));
    page.nextLink = next.href;
  }
  return page;
}
