import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";

/**
 * Validates response bodies against the Key Vault 7.5 data-plane swagger definitions (copied verbatim under
 * `__fixtures__/keyvault-7.5/`). Swagger objects allow unknown properties; to catch a misspelt or invented field the
 * validator flattens `allOf` inheritance and closes every object schema with `additionalProperties: false`.
 */

const SPEC_FILES = ["common.json", "secrets.json", "keys.json", "certificates.json"] as const;
export type SpecFile = (typeof SPEC_FILES)[number];

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Rewrites `#/definitions/X` to `<file>#/definitions/X` so definitions can move between files when merged. */
function absoluteRefs(node: JsonValue, file: string): JsonValue {
  if (Array.isArray(node)) return node.map((item) => absoluteRefs(item, file));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(node)) {
    out[name] = name === "$ref" && typeof value === "string" && value.startsWith("#") ? `${file}${value}` : absoluteRefs(value, file);
  }
  return out;
}

/**
 * Flattens `allOf: [{ $ref }]` inheritance into plain properties and closes every object schema with
 * `additionalProperties: false`, so an invented or misspelt field fails validation (swagger leaves objects open).
 */
function closeSchema(node: JsonValue, resolve: (ref: string) => JsonObject, key?: string): JsonValue {
  if (Array.isArray(node)) return node.map((item) => closeSchema(item, resolve));
  if (!isObject(node)) return node;
  let source = node;
  const allOf = node["allOf"];
  if (key !== "properties" && Array.isArray(allOf)) {
    const merged: JsonObject = { ...node };
    delete merged["allOf"];
    let properties: JsonObject = {};
    for (const part of allOf) {
      const base = isObject(part) && typeof part["$ref"] === "string" ? resolve(part["$ref"]) : part;
      const flat = closeSchema(base, resolve);
      if (isObject(flat) && isObject(flat["properties"])) properties = { ...properties, ...flat["properties"] };
    }
    merged["properties"] = { ...properties, ...(isObject(node["properties"]) ? node["properties"] : {}) };
    source = merged;
  }
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(source)) out[name] = closeSchema(value, resolve, name);
  const isSchema = key !== "properties" && key !== "definitions";
  if (isSchema && "properties" in out && !("additionalProperties" in out)) out["additionalProperties"] = false;
  // The service (and the spec's own GetCertificateVersions example) answers `"nextLink": null` on the last page.
  if (isSchema && key === "nextLink" && out["type"] === "string") out["type"] = ["string", "null"];
  return out;
}

/**
 * Fields the service sends that the 7.5 spec does not declare, each taken from recorded traffic: a certificate bundle
 * links to its create operation (`"pending": {"id": ".../pending"}`; Azure SDK for JS test-proxy recordings
 * `certificates_client__lro__create/recording_can_wait_until_a_certificate_is_created.json` and
 * `certificates_client__create_read_update_and_delete/recording_can_read_cancel_and_delete_a_certificates_operation.json`);
 * and a policy's X.509 properties carry `"basic_constraints": {"ca": false}` (the same recording, 2025-07-01, and
 * every recorded policy back to 2020).
 */
function addRecordedFields(definitions: Map<string, JsonObject>): void {
  const bundle = definitions.get("certificates.json")?.["CertificateBundle"];
  if (isObject(bundle) && isObject(bundle["properties"])) {
    bundle["properties"] = { ...bundle["properties"], pending: { type: "object", properties: { id: { type: "string" } } } };
  }
  const x509 = definitions.get("certificates.json")?.["X509CertificateProperties"];
  if (isObject(x509) && isObject(x509["properties"])) {
    x509["properties"] = { ...x509["properties"], basic_constraints: { type: "object", properties: { ca: { type: "boolean" } } } };
  }
}

export interface SwaggerResponseValidator {
  /** Throws with every ajv error when `body` does not match `definition` of `file`. */
  assertValid(file: SpecFile, definition: string, body: unknown): void;
}

export function createSwaggerResponseValidator(): SwaggerResponseValidator {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("unixtime", { type: "number", validate: (value: number) => Number.isInteger(value) && value >= 0 });
  ajv.addFormat("base64url", /^[A-Za-z0-9_-]*$/u);
  ajv.addFormat("byte", /^[A-Za-z0-9+/]*={0,2}$/u);
  ajv.addFormat("int32", { type: "number", validate: (value: number) => Number.isInteger(value) });
  const definitions = new Map<string, JsonObject>();
  for (const file of SPEC_FILES) {
    const raw = JSON.parse(readFileSync(new URL(`./__fixtures__/keyvault-7.5/${file}`, import.meta.url), "utf8")) as JsonObject;
    const spec = absoluteRefs(raw, file);
    definitions.set(file, isObject(spec) && isObject(spec["definitions"]) ? spec["definitions"] : {});
  }
  addRecordedFields(definitions);
  const resolve = (ref: string): JsonObject => {
    const [file = "", pointer = ""] = ref.split("#/definitions/");
    const found = definitions.get(file)?.[pointer];
    if (!isObject(found)) throw new Error(`Unresolvable $ref ${ref} in the 7.5 data-plane spec.`);
    return found;
  };
  for (const [file, defs] of definitions) ajv.addSchema({ definitions: closeSchema(defs, resolve, "definitions") }, file);
  const cache = new Map<string, ValidateFunction>();
  return {
    assertValid(file, definition, body) {
      const ref = `${file}#/definitions/${definition}`;
      let validate = cache.get(ref);
      if (validate === undefined) {
        validate = ajv.getSchema(ref);
        if (validate === undefined) throw new Error(`No definition ${ref} in the 7.5 data-plane spec.`);
        cache.set(ref, validate);
      }
      if (!validate(body)) {
        throw new Error(
          `Response does not match ${ref}:\n${ajv.errorsText(validate.errors, { separator: "\n" })}\n${JSON.stringify(body, null, 2)}`
        );
      }
    },
  };
}
