import type { TestProject } from "vitest/node";

import { startTestPostgres, type TestPostgres } from "./helpers/postgres-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The admin URL of the tests' PostgreSQL server, or "" when none could be started (tests skip loudly). */
    postgresUrl: string;
    postgresUnavailable: string;
  }
}

let server: TestPostgres | undefined;

/** One PostgreSQL server for the whole run; in CI its absence is a failure, never a skip. */
export async function setup(project: TestProject): Promise<void> {
  const given = process.env["KEYWARDEN_TEST_POSTGRES_URL"];
  if (given !== undefined && given !== "") {
    project.provide("postgresUrl", given);
    project.provide("postgresUnavailable", "");
    return;
  }
  const started = await startTestPostgres();
  if ("unavailable" in started) {
    if (process.env["CI"] === "true") throw new Error(`PostgreSQL is required in CI: ${started.unavailable}. .ci/run installs it.`);
    console.warn(`\n!!! PostgreSQL tests SKIPPED: ${started.unavailable}. Install it: apt-get install -y postgresql\n`);
    project.provide("postgresUrl", "");
    project.provide("postgresUnavailable", started.unavailable);
    return;
  }
  server = started;
  project.provide("postgresUrl", started.url);
  project.provide("postgresUnavailable", "");
}

export function teardown(): void {
  server?.stop();
  server = undefined;
}
