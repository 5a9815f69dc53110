import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";

import { composeDetectionFindingSchema } from "./compose-detection-finding-schema.js";

// The composed if/then subschemas test properties and presence without restating `type` or `properties`.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, unicodeRegExp: false });
const validate = ajv.compile(composeDetectionFindingSchema());

/**
 * What makes `value` an invalid OCSF 1.3.0 Detection Finding, one line per problem (`<path> <message> <params>`);
 * empty when it is valid. Shared by the library's and the CLI's OCSF tests so both judge by the same schema.
 */
export function detectionFindingProblems(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath || "/"} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`);
}
