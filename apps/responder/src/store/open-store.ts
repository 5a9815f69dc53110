import { resolve } from "node:path";

import { PostgresStore } from "./postgres-store.js";
import { SqliteStore } from "./sqlite-store.js";
import type { ResponderStore } from "./store-types.js";

/** Opens and migrates the store named by `sqlite:<path>` or a `postgres://` URL. */
export async function openStore(spec: string, options: { cwd?: string } = {}): Promise<ResponderStore> {
  const store: ResponderStore = spec.startsWith("sqlite:")
    ? new SqliteStore(spec.slice("sqlite:".length) === ":memory:" ? ":memory:" : resolve(options.cwd ?? process.cwd(), spec.slice("sqlite:".length)))
    : new PostgresStore({ connectionString: spec });
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
