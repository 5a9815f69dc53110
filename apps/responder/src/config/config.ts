import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

import { z } from "zod";

import { ResponderError, ResponderErrorCode } from "../errors/responder-error.js";

/** The roles of the responder, weakest first: a viewer reads, an approver decides steps, an admin also rolls back. */
export const roles = ["viewer", "approver", "admin"] as const;
export type Role = (typeof roles)[number];

const localUserSchema = z.object({
  username: z.string().regex(/^[\w.@-]{1,64}$/, "1-64 letters, digits, '.', '@', '_' or '-'"),
  password: z.string().min(8, "at least 8 characters"),
  displayName: z.string().min(1).optional(),
  roles: z.array(z.enum(roles)).min(1),
  /** The user's Entra object id and UPN, so that the self-approval rule can recognise them. */
  objectId: z.string().min(1).optional(),
  userPrincipalName: z.string().min(1).optional(),
});
export type LocalUser = z.infer<typeof localUserSchema>;

const port = z.coerce.number().int().min(0).max(65_535);

/** Every setting, with defaults. Environment variables win over the file. */
export const configSchema = z
  .object({
    mode: z.enum(["sandbox", "azure"]).default("sandbox"),
    host: z.string().min(1).default("127.0.0.1"),
    port: port.default(8080),
    /** `sqlite:<path>` or a `postgres://` / `postgresql://` URL. */
    store: z
      .string()
      .refine((value) => value.startsWith("sqlite:") || /^postgres(ql)?:\/\//.test(value), "must be sqlite:<path> or a postgres:// URL")
      .default("sqlite:.keywarden/responder.db"),
    /** The shared HMAC key of signed deliveries. */
    hmacKey: z.string().min(16, "at least 16 characters").optional(),
    /** A bearer token with the admin role for the JSON API. */
    adminToken: z.string().min(16, "at least 16 characters").optional(),
    /** Signs session cookies; every replica needs the same. */
    sessionSecret: z.string().min(32, "at least 32 characters").optional(),
    /** Entra ID bearer tokens on POST /alerts: issuer, audience and JWKS. */
    entra: z
      .object({ issuer: z.url(), audience: z.string().min(1), jwksUri: z.url(), requiredRole: z.string().min(1).optional() })
      .optional(),
    /** OpenID Connect sign-in for people (Entra ID in production). */
    oidc: z
      .object({
        issuer: z.url(),
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        redirectUri: z.url(),
        /** Token claim holding app roles / groups, mapped to responder roles below. */
        rolesClaim: z.string().min(1).default("roles"),
        roleMap: z
          .object({ viewer: z.array(z.string()), approver: z.array(z.string()), admin: z.array(z.string()) })
          .default({ viewer: ["Keywarden.Viewer"], approver: ["Keywarden.Approver"], admin: ["Keywarden.Admin"] }),
      })
      .optional(),
    /** Local sign-in (the sandbox); never enabled in Azure mode unless listed here. */
    users: z.array(localUserSchema).default([]),
    bodyLimitBytes: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
    /** Signed deliveries older or newer than this are refused. */
    maxClockSkewSeconds: z.coerce.number().int().min(1).max(3600).default(300),
    rateLimitPerMinute: z.coerce.number().int().min(1).default(6000),
    sandbox: z
      .object({
        scenario: z.string().min(1).default("tor-secret-reads"),
        seedIncident: z.preprocess((value) => (value === "true" ? true : value === "false" ? false : value), z.boolean()).default(true),
        /** A sandbox tenant served by another process (replicas sharing one tenant); default: one in this process. */
        tenantUrl: z.url().optional(),
      })
      .default({ scenario: "tor-secret-reads", seedIncident: true }),
    worker: z
      .object({
        enabled: z.boolean().default(true),
        concurrency: z.coerce.number().int().min(1).max(32).default(2),
        leaseInMs: z.coerce.number().int().min(1000).default(30_000),
        pollIntervalInMs: z.coerce.number().int().min(10).default(200),
        maxAttempts: z.coerce.number().int().min(1).default(5),
        /** Per-vault lock lease: a dead replica's lock is free after this. */
        vaultLockTtlInMs: z.coerce.number().int().min(500).default(30_000),
      })
      .default({ enabled: true, concurrency: 2, leaseInMs: 30_000, pollIntervalInMs: 200, maxAttempts: 5, vaultLockTtlInMs: 30_000 }),
    /** Step kinds that run without a person's approval (never destructive ones: the engine decides those). */
    autoApprove: z
      .preprocess((value) => (typeof value === "string" ? value.split(",").map((kind) => kind.trim()).filter((kind) => kind !== "") : value), z.array(z.string()))
      .default(["update-alert-state", "contact-owner", "escalate-to-admin"]),
    /** The responder's own egress addresses, kept allowed when a plan closes a vault firewall. */
    responderAddresses: z.array(z.string()).default([]),
  })
  .strict();

export type ResponderConfig = z.infer<typeof configSchema> & {
  hmacKey?: string;
  adminToken?: string;
  /** Which secrets were generated at start (the sandbox prints them). */
  generated: { hmacKey: boolean; adminToken: boolean; sessionSecret: boolean };
  sessionSecret: string;
};

/** Environment variables and the setting each one sets. */
const environmentSettings: ReadonlyArray<[string, (string | number)[]]> = [
  ["KEYWARDEN_RESPONDER_MODE", ["mode"]],
  ["HOST", ["host"]],
  ["PORT", ["port"]],
  ["KEYWARDEN_RESPONDER_STORE", ["store"]],
  ["KEYWARDEN_RESPONDER_HMAC_KEY", ["hmacKey"]],
  ["KEYWARDEN_RESPONDER_ADMIN_TOKEN", ["adminToken"]],
  ["KEYWARDEN_RESPONDER_SESSION_SECRET", ["sessionSecret"]],
  ["KEYWARDEN_RESPONDER_ENTRA_ISSUER", ["entra", "issuer"]],
  ["KEYWARDEN_RESPONDER_ENTRA_AUDIENCE", ["entra", "audience"]],
  ["KEYWARDEN_RESPONDER_ENTRA_JWKS_URI", ["entra", "jwksUri"]],
  ["KEYWARDEN_RESPONDER_OIDC_ISSUER", ["oidc", "issuer"]],
  ["KEYWARDEN_RESPONDER_OIDC_CLIENT_ID", ["oidc", "clientId"]],
  ["KEYWARDEN_RESPONDER_OIDC_CLIENT_SECRET", ["oidc", "clientSecret"]],
  ["KEYWARDEN_RESPONDER_OIDC_REDIRECT_URI", ["oidc", "redirectUri"]],
  ["KEYWARDEN_RESPONDER_SCENARIO", ["sandbox", "scenario"]],
  ["KEYWARDEN_RESPONDER_SANDBOX_TENANT_URL", ["sandbox", "tenantUrl"]],
  ["KEYWARDEN_RESPONDER_SEED_INCIDENT", ["sandbox", "seedIncident"]],
  ["KEYWARDEN_RESPONDER_AUTO_APPROVE", ["autoApprove"]],
  ["KEYWARDEN_RESPONDER_WORKER_CONCURRENCY", ["worker", "concurrency"]],
  ["KEYWARDEN_RESPONDER_WORKER_LEASE_MS", ["worker", "leaseInMs"]],
  ["KEYWARDEN_RESPONDER_WORKER_POLL_MS", ["worker", "pollIntervalInMs"]],
  ["KEYWARDEN_RESPONDER_VAULT_LOCK_TTL_MS", ["worker", "vaultLockTtlInMs"]],
  ["KEYWARDEN_RESPONDER_RATE_LIMIT_PER_MINUTE", ["rateLimitPerMinute"]],
];

function setPath(target: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let node = target;
  for (const [index, key] of path.entries()) {
    const name = String(key);
    if (index === path.length - 1) {
      node[name] = value;
      return;
    }
    const next = Object.hasOwn(node, name) ? node[name] : undefined;
    if (typeof next !== "object" || next === null) node[name] = {};
    node = node[name] as Record<string, unknown>;
  }
}

/** Names the setting an issue is about: the environment variable when one set it, else the file's path. */
function settingName(path: PropertyKey[], fromEnv: Map<string, string>): string {
  const dotted = path.map(String).join(".");
  for (const [variable, settingPath] of environmentSettings) {
    if (settingPath.join(".") === dotted && fromEnv.has(variable)) return variable;
  }
  return dotted === "" ? "(configuration)" : dotted;
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** The working directory for a relative KEYWARDEN_RESPONDER_CONFIG. */
  cwd?: string;
  /** Settings given in code (tests); the file and environment still apply on top. */
  overrides?: Record<string, unknown>;
}

/**
 * Reads the configuration: the JSON file named by KEYWARDEN_RESPONDER_CONFIG (if any), then the environment, then
 * validates it all at once. A bad setting is one clear error naming it; secret values are never in the message.
 */
export function loadConfig(options: LoadConfigOptions = {}): ResponderConfig {
  const env = options.env ?? process.env;
  const raw: Record<string, unknown> = structuredClone(options.overrides ?? {});
  const file = env["KEYWARDEN_RESPONDER_CONFIG"];
  if (file !== undefined && file !== "") {
    const path = resolve(options.cwd ?? process.cwd(), file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new ResponderError(
        ResponderErrorCode.InvalidConfiguration,
        "configuration",
        `KEYWARDEN_RESPONDER_CONFIG: cannot read ${path} as JSON (${(error as Error).message}); fix the file or unset the variable.`,
        { cause: error },
      );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new ResponderError(ResponderErrorCode.InvalidConfiguration, "configuration", `KEYWARDEN_RESPONDER_CONFIG: ${path} must hold a JSON object.`);
    }
    Object.assign(raw, parsed);
  }
  const fromEnv = new Map<string, string>();
  for (const [variable, path] of environmentSettings) {
    const value = env[variable];
    if (value === undefined || value === "") continue;
    fromEnv.set(variable, value);
    setPath(raw, path, value);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : "";
    throw new ResponderError(
      ResponderErrorCode.InvalidConfiguration,
      "configuration",
      `Invalid setting ${settingName(issue.path, fromEnv)}: ${issue.message}${more}. Fix it in the environment or the configuration file.`,
    );
  }
  const config = result.data;
  if (config.mode === "azure") {
    if (config.hmacKey === undefined && config.entra === undefined) {
      throw new ResponderError(
        ResponderErrorCode.InvalidConfiguration,
        "configuration",
        "Invalid setting KEYWARDEN_RESPONDER_HMAC_KEY: required in azure mode unless Entra bearer tokens are configured (KEYWARDEN_RESPONDER_ENTRA_*).",
      );
    }
    if (config.sessionSecret === undefined && (config.oidc !== undefined || config.users.length > 0)) {
      throw new ResponderError(
        ResponderErrorCode.InvalidConfiguration,
        "configuration",
        "Invalid setting KEYWARDEN_RESPONDER_SESSION_SECRET: required in azure mode for sign-in (every replica must share it).",
      );
    }
  }
  const sandbox = config.mode === "sandbox";
  const generate = (bytes: number) => randomBytes(bytes).toString("base64url");
  const hmacKey = config.hmacKey ?? (sandbox ? generate(32) : undefined);
  const adminToken = config.adminToken ?? (sandbox ? generate(32) : undefined);
  return {
    ...config,
    ...(hmacKey === undefined ? {} : { hmacKey }),
    ...(adminToken === undefined ? {} : { adminToken }),
    sessionSecret: config.sessionSecret ?? generate(48),
    users: config.users.length > 0 || !sandbox ? config.users : sandboxUsers(),
    generated: { hmacKey: config.hmacKey === undefined && sandbox, adminToken: config.adminToken === undefined && sandbox, sessionSecret: config.sessionSecret === undefined },
  };
}

/** The sandbox's people: an approver, a viewer, an admin, and the suspected user of the default scenario. */
export function sandboxUsers(): LocalUser[] {
  return [
    { username: "alice", password: "sandbox-alice", displayName: "Alice (on-call approver)", roles: ["viewer", "approver"] },
    { username: "victor", password: "sandbox-victor", displayName: "Victor (viewer)", roles: ["viewer"] },
    { username: "admin", password: "sandbox-admin", displayName: "Sandbox admin", roles: ["viewer", "approver", "admin"] },
    // The principal the default scenario's alert is about: an approver who must never lift their own containment.
    {
      username: "ravi",
      password: "sandbox-ravi",
      displayName: "Ravi Patel (the suspected user)",
      roles: ["viewer", "approver"],
      objectId: "2042c8a7-76cc-4e41-879a-efcf7bd1b0b4",
      userPrincipalName: "ravi.patel@contoso.example",
    },
  ];
}
