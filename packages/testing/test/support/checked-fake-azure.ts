import { afterEach, expect } from "vitest";
import type { FakeAzure } from "../../src/index.js";
import { useFakeAzure, type UseFakeAzureOptions } from "../../src/vitest.js";
import { createOpenApiChecker, type OpenApiChecker } from "./openapi-checker.js";

let checker: OpenApiChecker | undefined;

export interface CheckedResponse {
  operation: string;
  status: number;
}

/**
 * `useFakeAzure` plus fidelity checking: every ARM response the fake produces during the test is validated against
 * the official OpenAPI response schema of its operation, and the test fails on any mismatch.
 */
export type CheckedFakeAzure = FakeAzure & {
  /** Responses checked so far (call `flushChecks()` first). */
  checked: CheckedResponse[];
  /** Waits until every response seen so far has been checked. */
  flushChecks(): Promise<void>;
};

export function useCheckedFakeAzure(options: UseFakeAzureOptions = {}): CheckedFakeAzure {
  const tenant = useFakeAzure(options) as CheckedFakeAzure;
  tenant.checked = [];
  const pending: Array<Promise<string[]>> = [];
  checker ??= createOpenApiChecker();
  const spec = checker;
  tenant.server.events.on("response:mocked", ({ request, response }) => {
    if (response.type === "error") return;
    const method = request.method;
    const url = request.url;
    pending.push(
      response
        .clone()
        .text()
        .then((text) => {
          let body: unknown = text;
          try {
            body = text === "" ? undefined : JSON.parse(text);
          } catch {
            // not JSON: validated as a string
          }
          const result = spec.check(method, url.replace(/^https:\/\/(subscriptions|providers)\//iu, "https://management.azure.com/$1/"), response.status, body);
          if (result.operation) tenant.checked.push({ operation: result.operation, status: response.status });
          return result.errors.map((e) => `${method} ${url} -> ${response.status} (${result.operation ?? "?"}): ${e}`);
        }),
    );
  });
  tenant.flushChecks = async () => {
    await Promise.all(pending);
  };
  afterEach(async () => {
    const errors = (await Promise.all(pending.splice(0))).flat();
    expect(errors, "responses that do not match the official OpenAPI schemas").toEqual([]);
  });
  return tenant;
}
