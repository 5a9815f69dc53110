import { readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/**
 * Checks the fake's responses against the official OpenAPI (swagger 2.0) specs copied under
 * `test/fixtures/azure-specs/`: the request's method and path pick the operation, the status picks the response, and
 * the JSON body is validated with ajv against its schema. Objects are closed (`additionalProperties: false`) so an
 * invented or misspelt field fails, except where real Azure data is documented to carry fields the spec lacks.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ROOT = fileURLToPath(new URL("../fixtures/azure-specs/", import.meta.url));
const SPEC_FILES = [
  "security/Microsoft.Security/stable/2022-01-01/alerts.json",
  "security/Microsoft.Security/preview/2019-01-01-preview/alertsSuppressionRules.json",
  "keyvault/resource-manager/2023-07-01/keyvault.json",
  "authorization/2022-04-01/authorization-RoleAssignmentsCalls.json",
  "network/2023-11-01/serviceTags.json",
];
/** Path parameters declared `x-ms-skip-url-encoding` (they contain slashes). */
const GREEDY_PARAMETERS = new Set(["scope", "roleAssignmentId", "roleId", "resourceUri", "parentResourcePath"]);
/**
 * Definitions left open: real Azure alerts carry `$id` on entities and resource identifiers and
 * `azureResourceTenantId` (defender-alerts.md §2.2); entities are an open bag in the spec itself.
 */
const OPEN_DEFINITIONS = new Set(["ResourceIdentifier", "AzureResourceIdentifier", "LogAnalyticsIdentifier", "AlertEntity", "AlertPropertiesSupportingEvidence", "ScopeElement"]);

const BASE = "https://azure-specs.invalid/";

const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

interface Operation {
  file: string;
  method: string;
  template: string;
  pattern: RegExp;
  greedy: number;
  /** The spec's `info.version` (its api-version). */
  version: string;
  responses: JsonObject;
}

export interface ResponseCheck {
  /** The operation's file and path template, or undefined when no spec covers the request. */
  operation?: string;
  errors: string[];
}

export interface OpenApiChecker {
  check(method: string, url: string, status: number, body: unknown): ResponseCheck;
}

function load(file: string): JsonObject {
  return JSON.parse(readFileSync(join(ROOT, file), "utf8")) as JsonObject;
}

export function createOpenApiChecker(): OpenApiChecker {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats.default(ajv);
  for (const format of ["int32", "int64", "unixtime", "arm-id", "duration", "float", "double", "password", "base64url", "byte"]) ajv.addFormat(format, true);
  const files = new Map<string, JsonObject>();
  const queue = [...SPEC_FILES];
  const missing = new Set<string>();

  // Rewrites every $ref to an absolute `<file>#<pointer>` id; refs into files that are not shipped become `{}`.
  const rewrite = (node: Json, file: string, parentKey?: string): Json => {
    if (Array.isArray(node)) return node.map((item) => rewrite(item, file));
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const [target = "", pointer = ""] = value.split("#");
        const resolved = target === "" ? file : normalize(join(dirname(file), target));
        try {
          readFileSync(join(ROOT, resolved));
        } catch {
          missing.add(resolved);
          return {};
        }
        if (!files.has(resolved) && !queue.includes(resolved)) queue.push(resolved);
        out["$ref"] = `${BASE}${resolved}#${pointer}`;
      } else {
        out[key] = rewrite(value, file, key);
      }
    }
    // Close object schemas (not the `properties` / `definitions` maps themselves).
    if (parentKey !== "properties" && parentKey !== "definitions" && "properties" in out && !("additionalProperties" in out)) {
      out["additionalProperties"] = false;
    }
    if (out["x-nullable"] === true && typeof out["type"] === "string") out["type"] = [out["type"], "null"];
    return out;
  };

  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (files.has(file)) continue;
    const spec = rewrite(load(file), file) as JsonObject;
    // `allOf` plus a closed object would reject the inherited properties: merge inherited properties into the child.
    files.set(file, spec);
  }
  const resolveRef = (ref: string): JsonObject | undefined => {
    const [url = "", pointer = ""] = ref.split("#");
    const file = url.slice(BASE.length);
    let node: Json | undefined = files.get(file);
    for (const segment of pointer.split("/").filter((s) => s.length > 0)) node = isObject(node) ? node[segment.replaceAll("~1", "/")] : undefined;
    return isObject(node) ? node : undefined;
  };
  const flatten = (node: Json, seen = new Set<string>()): Json => {
    if (Array.isArray(node)) return node.map((item) => flatten(item, seen));
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) out[key] = flatten(value, seen);
    const allOf = out["allOf"];
    if (Array.isArray(allOf)) {
      // Inline the inherited properties and required names, then drop `allOf`: the (closed) base schemas would
      // otherwise reject the child's own properties.
      let inherited: JsonObject = {};
      const required = new Set<string>(Array.isArray(out["required"]) ? (out["required"] as string[]) : []);
      for (const part of allOf) {
        const base = isObject(part) && typeof part["$ref"] === "string" ? resolveRef(part["$ref"]) : isObject(part) ? part : undefined;
        if (!base) continue;
        const flat = flatten(base, seen) as JsonObject;
        if (isObject(flat["properties"])) inherited = { ...inherited, ...flat["properties"] };
        if (Array.isArray(flat["required"])) for (const name of flat["required"]) required.add(name as string);
      }
      out["properties"] = { ...inherited, ...(isObject(out["properties"]) ? out["properties"] : {}) };
      if (required.size > 0) out["required"] = [...required];
      out["type"] ??= "object";
      if (!("additionalProperties" in out)) out["additionalProperties"] = false;
      delete out["allOf"];
    }
    // Extensible enums (`x-ms-enum.modelAsString`) accept any string: the service returns values outside the list
    // (for example access-policy permissions in PascalCase as the portal stores them).
    const xmsEnum = out["x-ms-enum"];
    if (isObject(xmsEnum) && xmsEnum["modelAsString"] === true) delete out["enum"];
    return out;
  };
  for (const [file, spec] of files) {
    const definitions = isObject(spec["definitions"]) ? spec["definitions"] : {};
    for (const name of OPEN_DEFINITIONS) {
      const definition = definitions[name];
      if (isObject(definition)) delete definition["additionalProperties"];
    }
    ajv.addSchema(flatten(spec) as JsonObject, `${BASE}${file}`);
  }

  const operations: Operation[] = [];
  for (const file of SPEC_FILES) {
    const spec = files.get(file);
    const paths = spec?.["paths"];
    const info = spec?.["info"];
    const version = isObject(info) && typeof info["version"] === "string" ? info["version"] : "";
    if (!isObject(paths)) continue;
    for (const [template, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      let greedy = 0;
      // `GET /{roleAssignmentId}` (by id) would match any path: pin it to the resource type the id names.
      const byId = /^\/\{(roleAssignmentId|roleId)\}$/u.exec(template)?.[1];
      const source = byId
        ? `.+/providers/Microsoft\\.Authorization/${byId === "roleId" ? "roleDefinitions" : "roleAssignments"}/[^/]+`
        : template
        .split(/(\{[^}]+\})/u)
        .map((part) => {
          if (!part.startsWith("{")) return part.replace(/[.+?^$()|[\]\\]/gu, "\\$&");
          if (GREEDY_PARAMETERS.has(part.slice(1, -1))) {
            greedy += 1;
            return ".+";
          }
          return "[^/]+";
        })
        .join("");
      for (const [method, operation] of Object.entries(item)) {
        if (!isObject(operation) || !isObject(operation["responses"])) continue;
        operations.push({ file, method: method.toUpperCase(), template, pattern: new RegExp(`^/?${source}/?$`, "iu"), greedy, version, responses: operation["responses"] });
      }
    }
  }
  const validators = new Map<string, ValidateFunction>();

  return {
    check(method, url, status, body) {
      const path = new URL(url).pathname.replace(/\/{2,}/gu, "/");
      const candidates = operations.filter((op) => op.method === method.toUpperCase() && op.pattern.test(path)).sort((a, b) => a.greedy - b.greedy);
      const operation = candidates[0];
      if (!operation) return { errors: [] };
      const name = `${relative(".", operation.file)} ${operation.method} ${operation.template}`;
      const response = operation.responses[String(status)] ?? (status >= 400 ? operation.responses["default"] : undefined);
      if (!isObject(response)) {
        // An older api-version may document other statuses (arm-security 5 calls simulate with 2021-11-01: 204).
        const apiVersion = new URL(url).searchParams.get("api-version");
        if (apiVersion !== null && apiVersion !== operation.version && (body === undefined || body === "")) return { operation: name, errors: [] };
        return { operation: name, errors: [`status ${status} is not a documented response (${Object.keys(operation.responses).join(", ")})`] };
      }
      if (!isObject(response["schema"])) {
        return { operation: name, errors: body === undefined || body === null || body === "" ? [] : ["the spec documents no body for this status"] };
      }
      const key = `${BASE}${operation.file}#/paths/${operation.template.replaceAll("~", "~0").replaceAll("/", "~1")}/${operation.method.toLowerCase()}/responses/${String(status) in operation.responses ? status : "default"}/schema`;
      let validate = validators.get(key);
      if (!validate) {
        validate = ajv.getSchema(key);
        if (!validate) return { operation: name, errors: [`no schema at ${key}`] };
        validators.set(key, validate);
      }
      if (validate(body)) return { operation: name, errors: [] };
      return { operation: name, errors: (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}${e.keyword === "additionalProperties" ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : ""}`) };
    },
  };
}
