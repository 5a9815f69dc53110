import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createSwaggerResponseValidator } from "./swagger-response-validator.js";

const validator = createSwaggerResponseValidator();

function example(name: string): { responses: Record<string, { body?: unknown }> } {
  const url = new URL(`./__fixtures__/keyvault-7.5/examples/${name}-example.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as { responses: Record<string, { body?: unknown }> };
}

describe("the swagger response validator the data-plane tests rely on", () => {
  it("accepts the spec's own examples", () => {
    for (const [file, definition, name] of [
      ["secrets.json", "SecretBundle", "GetSecret"],
      ["secrets.json", "DeletedSecretBundle", "DeleteSecret"],
      ["secrets.json", "SecretListResult", "GetSecretVersions"],
      ["keys.json", "KeyBundle", "RotateKey"],
      ["keys.json", "KeyRotationPolicy", "GetKeyRotationPolicy"],
      ["certificates.json", "CertificateOperation", "CreateCertificate"],
      ["certificates.json", "CertificatePolicy", "GetCertificatePolicy"],
    ] as const) {
      const body = Object.values(example(name).responses)[0]?.body;
      expect(() => validator.assertValid(file, definition, body), name).not.toThrow();
    }
  });

  it("rejects an invented field, a wrong type and a wrong nested field (objects are closed, allOf flattened)", () => {
    const valid = {
      id: "https://v.vault.azure.net/secrets/a/0123",
      attributes: { enabled: true, created: 1, updated: 1, recoveryLevel: "Recoverable" },
    };
    expect(() => validator.assertValid("secrets.json", "SecretBundle", valid)).not.toThrow();
    expect(() => validator.assertValid("secrets.json", "SecretBundle", { ...valid, secretValue: "x" })).toThrow(/additional properties/u);
    expect(() => validator.assertValid("secrets.json", "SecretBundle", { ...valid, attributes: { enabled: "yes" } })).toThrow(/boolean/u);
    expect(() =>
      validator.assertValid("secrets.json", "DeletedSecretBundle", { ...valid, attributes: { ...valid.attributes, recoverable: 7 } })
    ).toThrow(/additional properties/u);
    expect(() =>
      validator.assertValid("secrets.json", "SecretBundle", { ...valid, attributes: { ...valid.attributes, recoveryLevel: "Sometimes" } })
    ).toThrow(/allowed values/u);
  });
});
