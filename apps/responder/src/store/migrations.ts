/**
 * Versioned schema migrations, run at start in order inside one transaction each. A store whose schema is newer
 * than the newest version here is refused (an older responder must not write a newer schema).
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

const common = (serial: string, big: string) => `
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  alert_id TEXT NOT NULL,
  system_alert_id TEXT NOT NULL UNIQUE,
  vault_resource_id TEXT NOT NULL,
  vault_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  display_name TEXT NOT NULL,
  state TEXT NOT NULL,
  received_at ${big} NOT NULL,
  updated_at ${big} NOT NULL,
  pushed_alert TEXT NOT NULL,
  alert TEXT,
  differences TEXT,
  triage TEXT,
  impact TEXT,
  plan TEXT,
  error TEXT,
  rollback TEXT
);
CREATE INDEX incidents_received ON incidents (received_at DESC);
CREATE INDEX incidents_state ON incidents (state);
CREATE TABLE steps (
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  step_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  requires_approval INTEGER NOT NULL,
  risk TEXT NOT NULL,
  principal_object_id TEXT,
  principal_upn TEXT,
  decided_approved INTEGER,
  decided_by TEXT,
  decided_reason TEXT,
  decided_at ${big},
  PRIMARY KEY (incident_id, step_id)
);
CREATE TABLE journal (
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  seq INTEGER NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (incident_id, seq)
);
CREATE TABLE jobs (
  id ${serial},
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  available_at ${big} NOT NULL,
  created_at ${big} NOT NULL,
  lease_owner TEXT,
  lease_expires_at ${big},
  last_error TEXT
);
CREATE INDEX jobs_available ON jobs (state, available_at);
CREATE INDEX jobs_incident ON jobs (incident_id, kind, state);
CREATE TABLE leases (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at ${big} NOT NULL
);
CREATE TABLE deliveries (
  key TEXT PRIMARY KEY,
  expires_at ${big} NOT NULL
);
CREATE INDEX deliveries_expiry ON deliveries (expires_at);
`;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "incidents, steps, journal, jobs, leases, deliveries",
    sqlite: common("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER"),
    postgres: common("BIGSERIAL PRIMARY KEY", "BIGINT"),
  },
];

export const latestSchemaVersion = Math.max(...migrations.map((migration) => migration.version));
