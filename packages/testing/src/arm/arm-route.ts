import type { ArmCall } from "./arm-call.js";

export type ArmMethod = "GET" | "PUT" | "PATCH" | "POST" | "DELETE";

/** One ARM operation the fake serves. */
export interface ArmRoute {
  /** The spec's operationId, for error messages and docs. */
  operation: string;
  method: ArmMethod;
  /** Anchored, case-insensitive pattern over the path, with named groups for parameters. */
  path: RegExp;
  /** api-versions the operation accepts (the SDK's and the spec's). */
  apiVersions: readonly string[];
  /** Whether the resource group in the path must exist (404 `ResourceGroupNotFound` otherwise). */
  needsResourceGroup?: boolean;
  handle(call: ArmCall): Response | Promise<Response>;
}

const SEGMENT = "[^/]+";

/** Builds a route path pattern from `{name}` placeholders: `/subscriptions/{subscriptionId}/...`. */
export function armPath(template: string): RegExp {
  const source = template
    .split(/(\{[A-Za-z]+\}|\{\*[A-Za-z]+\})/u)
    .map((part) => {
      if (part.startsWith("{*")) return `(?<${part.slice(2, -1)}>.*)`;
      if (part.startsWith("{")) return `(?<${part.slice(1, -1)}>${SEGMENT})`;
      return part.replace(/[.+?^$()|[\]\\]/gu, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}/?$`, "iu");
}
