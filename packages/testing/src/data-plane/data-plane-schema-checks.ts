import type { SetupServer } from "msw/node";
import { responseDefinitionFor } from "./response-schema-map.js";
import { createSwaggerResponseValidator } from "./swagger-response-validator.js";

/** Checks of every data-plane response body an msw server answers, against the 7.5 swagger definitions. */
export interface DataPlaneSchemaChecks {
  /** How many response bodies were checked so far. */
  checked(): number;
  /** Waits for the checks of responses already answered, then returns every mismatch so far. */
  results(): Promise<string[]>;
}

/** Validates, from msw's `response:mocked` events, every body answered for a `*.vault.azure.net` request. */
export function attachDataPlaneSchemaChecks(server: SetupServer): DataPlaneSchemaChecks {
  const validator = createSwaggerResponseValidator();
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let checked = 0;
  server.events.on("response:mocked", ({ request, response }) => {
    const url = new URL(request.url);
    if (!url.hostname.toLowerCase().endsWith(".vault.azure.net")) return;
    const target = responseDefinitionFor(request.method, url.pathname, response.status);
    if (target === undefined) return;
    const pending = response
      .clone()
      .json()
      .then((body: unknown) => {
        checked += 1;
        validator.assertValid(target.file, target.definition, body);
      })
      .catch((error: unknown) => {
        failures.push(`${request.method} ${url.pathname} -> ${response.status}: ${error instanceof Error ? error.message : String(error)}`);
      });
    inFlight.add(pending);
    void pending.finally(() => inFlight.delete(pending));
  });
  return {
    checked: () => checked,
    async results() {
      await Promise.all([...inFlight]);
      return failures;
    },
  };
}
