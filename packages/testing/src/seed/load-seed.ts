import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import seedSchema from "../../schema/seed.schema.json" with { type: "json" };
import { SeedValidationError, type SeedIssue } from "./seed-validation-error.js";
import type { FakeAzureSeed } from "./seed-types.js";

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    validator = ajv.compile(seedSchema);
  }
  return validator;
}

/** `/vaults/0/properties/sku` -> `$.vaults[0].properties.sku`. */
function toJsonPath(pointer: string): string {
  if (pointer === "") return "$";
  return (
    "$" +
    pointer
      .split("/")
      .slice(1)
      .map((raw) => raw.replaceAll("~1", "/").replaceAll("~0", "~"))
      .map((segment) => (/^\d+$/u.test(segment) ? `[${segment}]` : /^[A-Za-z_$][\w$]*$/u.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`))
      .join("")
  );
}

function describe(error: ErrorObject): SeedIssue {
  const path = toJsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { path, message: `is missing the required property '${String(params["missingProperty"])}'` };
    case "additionalProperties":
      return { path, message: `has an unknown property '${String(params["additionalProperty"])}' (not part of the seed format)` };
    case "enum":
      return { path, message: `must be one of ${(params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "const":
      return { path, message: `must be ${JSON.stringify(params["allowedValue"])}` };
    case "pattern":
      return { path, message: `must match the pattern ${String(params["pattern"])}` };
    case "format":
      return { path, message: `must be a ${String(params["format"])} string` };
    case "type":
      return { path, message: `must be of type ${String(params["type"])}` };
    case "oneOf":
      return /suppressionAlertsScope\/allOf\/\d+$/u.test(error.instancePath)
        ? { path, message: "must have exactly one operator: 'in' (an array of values) or 'contains' (a string)" }
        : /\/(nbf|exp|created|updated|deletedDate|scheduledPurgeDate)$/u.test(error.instancePath)
          ? { path, message: "must be unix seconds (an integer) or an ISO 8601 date-time string" }
          : { path, message: "must match exactly one of the allowed forms (see schema/seed.schema.json)" };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

const COMBINATORS = new Set(["oneOf", "anyOf", "not", "if"]);

/**
 * Keeps the precise errors, plus a combinator error (oneOf/not) only where no precise error already explains that
 * part of the document: the errors ajv reports from inside a failed `oneOf` branch are mostly noise.
 */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const combinatorPaths = errors.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath);
  const insideCombinator = (e: ErrorObject): boolean => combinatorPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`));
  const precise = errors.filter((e) => !COMBINATORS.has(e.keyword) && !insideCombinator(e));
  const combinators = errors.filter((e) => e.keyword === "oneOf");
  return [...precise, ...combinators];
}

/**
 * Validates a seed (an object, or JSON text) against `schema/seed.schema.json` and returns it typed. A malformed
 * seed throws `SeedValidationError` naming each JSON path and what was expected there.
 */
export function loadSeed(json: unknown, source?: string): FakeAzureSeed {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new SeedValidationError([{ path: "$", message: `is not valid JSON (${(error as Error).message})` }], source);
    }
  }
  const validate = compile();
  if (!validate(value)) {
    const issues = relevantErrors(validate.errors ?? []).map(describe);
    const unique = [...new Map(issues.map((issue) => [`${issue.path} ${issue.message}`, issue])).values()];
    throw new SeedValidationError(unique, source);
  }
  return structuredClone(value as FakeAzureSeed);
}
