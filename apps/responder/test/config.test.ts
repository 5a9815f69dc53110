import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { loadConfig } from "../src/config/config.js";

describe("configuration", () => {
  it("has the contract defaults and generates the sandbox's secrets", () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({ mode: "sandbox", port: 8080, store: "sqlite:.keywarden/responder.db", generated: { hmacKey: true, adminToken: true } });
    expect(config.hmacKey?.length).toBeGreaterThanOrEqual(32);
    expect(config.users.map((user) => user.username)).toContain("alice");
  });

  it("reads the contract environment variables over the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "kw-config-"));
    try {
      writeFileSync(join(dir, "responder.json"), JSON.stringify({ port: 9000, autoApprove: ["update-alert-state"] }));
      const config = loadConfig({
        cwd: dir,
        env: {
          KEYWARDEN_RESPONDER_CONFIG: "responder.json",
          PORT: "9100",
          KEYWARDEN_RESPONDER_STORE: "postgres://u@db.example:5432/kw",
          KEYWARDEN_RESPONDER_HMAC_KEY: "0123456789abcdef0123",
          KEYWARDEN_RESPONDER_ADMIN_TOKEN: "fedcba98765432100123",
        },
      });
      expect(config).toMatchObject({ port: 9100, store: "postgres://u@db.example:5432/kw", hmacKey: "0123456789abcdef0123", adminToken: "fedcba98765432100123", autoApprove: ["update-alert-state"], generated: { hmacKey: false, adminToken: false } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ KEYWARDEN_RESPONDER_STORE: "mysql://x" }, "KEYWARDEN_RESPONDER_STORE"],
    [{ KEYWARDEN_RESPONDER_HMAC_KEY: "short" }, "KEYWARDEN_RESPONDER_HMAC_KEY"],
    [{ KEYWARDEN_RESPONDER_MODE: "azure" }, "KEYWARDEN_RESPONDER_HMAC_KEY"],
    [{ KEYWARDEN_RESPONDER_ENTRA_ISSUER: "not a url", KEYWARDEN_RESPONDER_ENTRA_AUDIENCE: "a", KEYWARDEN_RESPONDER_ENTRA_JWKS_URI: "https://x/keys" }, "KEYWARDEN_RESPONDER_ENTRA_ISSUER"],
    // Sign-in tokens never cross a network in the clear: plain http only for a provider on loopback.
    [{ KEYWARDEN_RESPONDER_OIDC_ISSUER: "http://login.example.com/tenant/v2.0", KEYWARDEN_RESPONDER_OIDC_CLIENT_ID: "c", KEYWARDEN_RESPONDER_OIDC_CLIENT_SECRET: "short", KEYWARDEN_RESPONDER_OIDC_REDIRECT_URI: "https://r.example/auth/oidc/callback" }, "KEYWARDEN_RESPONDER_OIDC_ISSUER"],
  ])("refuses %o with one error naming %s, never echoing a secret", (env, name) => {
    let message = "";
    try {
      loadConfig({ env });
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code?: string }).code).toBe("KW_RESPONDER_E0001");
    }
    expect(message).toContain(name);
    expect(message).not.toContain("short");
  });
});
