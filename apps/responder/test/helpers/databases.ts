import { randomBytes } from "node:crypto";

import pg from "pg";
import { inject } from "vitest";

/** A new empty database on the tests' PostgreSQL server; its URL. */
export async function freshPostgresDatabase(): Promise<string> {
  const admin = inject("postgresUrl");
  const name = `kw_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** True when PostgreSQL tests can run (never false in CI: the global setup fails instead). */
export function postgresAvailable(): boolean {
  return inject("postgresUrl") !== "";
}
