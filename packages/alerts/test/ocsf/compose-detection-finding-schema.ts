import { readFileSync } from "node:fs";

/**
 * Composes a JSON Schema (draft 2020-12) for an OCSF 1.3.0 Detection Finding from the vendored schema extract in
 * test/fixtures/ocsf-schema-1.3.0 (see SOURCES.md there for what was copied and what is missing).
 *
 * "Valid" here means:
 * - every attribute has the dictionary type of OCSF 1.3.0 (string_t, integer_t, long_t, timestamp_t, ip_t, email_t,
 *   url_t, datetime_t, ... with their regex, max_len and range), arrays where `is_array`, enum values for `*_id`;
 * - `requirement: "required"` attributes are present;
 * - objects and the event carry no attribute OCSF does not define: `additionalProperties: false` everywhere except
 *   the free-form `object` type (`unmapped`, `xattributes`) and `json_t` values (`data`), which is where OCSF puts
 *   source-specific extras. Keywarden uses no OCSF extension, so none is allowed;
 * - object constraints hold (`at_least_one`, `just_one`);
 * - a string sibling (`severity`, `type`, ...) present next to a non-Other `*_id` equals that id's caption;
 * - an attribute that belongs to a profile is only present when `metadata.profiles` names the profile, a required
 *   profile attribute is present when it does, and `metadata.profiles` names only profiles the class takes;
 * - the class's own attribute definitions (`classes.detection_finding`: requirements such as `finding_info`
 *   required, and the class's enumerations of `activity_id`, `status_id`, `type_uid`, `confidence_id`, ...) take
 *   precedence over the base event's;
 * - `class_uid` 2004, `category_uid` 2 and `type_uid = class_uid * 100 + activity_id`.
 * What is not checked is listed in SOURCES.md.
 */

type Requirement = "required" | "recommended" | "optional";

interface OcsfAttribute {
  type: string;
  requirement: Requirement;
  is_array?: boolean;
  object_type?: string;
  profile?: string;
  sibling?: string;
  deprecated?: boolean;
  enum?: Record<string, string>;
}

interface OcsfConstraints {
  at_least_one?: string[];
  just_one?: string[];
}

interface OcsfObject {
  extends: string;
  constraints: OcsfConstraints | null;
  attributes: Record<string, OcsfAttribute>;
}

interface OcsfType {
  type?: string;
  max_len?: number;
  regex?: string;
  range?: [number, number];
  values?: unknown[];
}

interface OcsfClass {
  name: string;
  caption: string;
  uid: number;
  category: string;
  extends: string;
  profiles: string[];
  constraints: OcsfConstraints | null;
  attributes: Record<string, OcsfAttribute>;
}

export type JsonSchema = Record<string, unknown> | boolean;

interface SchemaExtract {
  objects: Map<string, OcsfObject>;
  types: Map<string, OcsfType>;
  baseEvent: { attributes: Record<string, OcsfAttribute> };
  profiles: Map<string, { attributes: Record<string, OcsfAttribute> }>;
  entry: { category: { name: string; uid: number; caption: string }; class: { name: string; uid: number; caption: string; profiles: string[] } };
  detectionFinding: OcsfClass;
}

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/ocsf-schema-1.3.0/${name}`, import.meta.url), "utf8")) as T;
}

/** Reads the vendored extract; Maps because attribute and object names are data, not code. */
export function readOcsfExtract(): SchemaExtract {
  return {
    objects: new Map(Object.entries(readJson<Record<string, OcsfObject>>("objects.json"))),
    types: new Map(Object.entries(readJson<Record<string, OcsfType>>("types.json"))),
    baseEvent: readJson("base-event.json"),
    profiles: new Map(Object.entries(readJson<Record<string, { attributes: Record<string, OcsfAttribute> }>>("profiles.json"))),
    entry: readJson("detection-finding-category-entry.json"),
    detectionFinding: readJson("detection-finding-class.json"),
  };
}

const baseTypes = new Map<string, Record<string, unknown>>([
  ["string_t", { type: "string" }],
  ["integer_t", { type: "integer" }],
  ["long_t", { type: "integer" }],
  ["float_t", { type: "number" }],
  ["boolean_t", { type: "boolean" }],
  ["json_t", {}],
]);

function typeSchema(extract: SchemaExtract, name: string): Record<string, unknown> {
  const base = baseTypes.get(name);
  const definition = extract.types.get(name);
  if (definition === undefined) throw new Error(`OCSF type ${name} is not in types.json`);
  const schema: Record<string, unknown> = base === undefined ? typeSchema(extract, definition.type ?? "") : { ...base };
  if (definition.max_len !== undefined && definition.max_len !== null) schema["maxLength"] = definition.max_len;
  if (definition.regex !== undefined && definition.regex !== null) schema["pattern"] = definition.regex;
  if (definition.range !== undefined && definition.range !== null) {
    schema["minimum"] = definition.range[0];
    schema["maximum"] = definition.range[1];
  }
  return schema;
}

const defsKey = (objectName: string): string => objectName.replaceAll("/", ".");

function attributeSchema(extract: SchemaExtract, attribute: OcsfAttribute): JsonSchema {
  let item: JsonSchema;
  if (attribute.object_type === "object") item = { type: "object" };
  else if (attribute.object_type !== undefined) {
    item = extract.objects.has(attribute.object_type)
      ? { $ref: `#/$defs/${defsKey(attribute.object_type)}` }
      : // Not vendored: emitting it must fail until its 1.3.0 definition is added to the extract.
        { not: {}, $comment: `OCSF 1.3.0 object ${attribute.object_type} is not in the vendored extract` };
  } else {
    item = typeSchema(extract, attribute.type);
    if (attribute.enum !== undefined) {
      const keys = Object.keys(attribute.enum);
      item["enum"] = item["type"] === "integer" ? keys.map(Number) : keys;
    }
  }
  return attribute.is_array === true ? { type: "array", items: item } : item;
}

function constraintSchemas(constraints: OcsfConstraints | null): JsonSchema[] {
  const schemas: JsonSchema[] = [];
  if (constraints?.at_least_one !== undefined) schemas.push({ anyOf: constraints.at_least_one.map((name) => ({ required: [name] })) });
  if (constraints?.just_one !== undefined) schemas.push({ oneOf: constraints.just_one.map((name) => ({ required: [name] })) });
  return schemas;
}

/** `type` must be the caption of `type_id` unless the id is Other (99), where the source names it. */
function siblingSchemas(attributes: Record<string, OcsfAttribute>): JsonSchema[] {
  const schemas: JsonSchema[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    const sibling = attribute.sibling;
    if (attribute.enum === undefined || sibling === undefined || !Object.hasOwn(attributes, sibling)) continue;
    for (const [key, caption] of Object.entries(attribute.enum)) {
      if (key === "99") continue;
      const value = /^-?\d+$/.test(key) ? Number(key) : key;
      schemas.push({ if: { properties: { [name]: { const: value } }, required: [name, sibling] }, then: { properties: { [sibling]: { const: caption } } } });
    }
  }
  return schemas;
}

function objectSchema(extract: SchemaExtract, attributes: Record<string, OcsfAttribute>, constraints: OcsfConstraints | null): Record<string, unknown> {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    properties[name] = attributeSchema(extract, attribute);
    if (attribute.requirement === "required" && attribute.profile === undefined) required.push(name);
  }
  const allOf = [...constraintSchemas(constraints), ...siblingSchemas(attributes)];
  return { type: "object", properties, required, additionalProperties: false, ...(allOf.length > 0 ? { allOf } : {}) };
}

const declares = (profile: string): JsonSchema => ({
  properties: { metadata: { properties: { profiles: { contains: { const: profile } } }, required: ["profiles"] } },
  required: ["metadata"],
});

/**
 * The event's attributes. `classes.detection_finding` is the compiled class (Finding and base-event attributes already
 * resolved into it, with the class's own requirements and enumerations), so its definitions win over the base
 * event's. The compiled record lists no attributes of three profiles it names (container, data_classification,
 * linux/linux_users); those come from profiles.json so that declaring such a profile still admits its attributes.
 */
function classAttributes(extract: SchemaExtract): Record<string, OcsfAttribute> {
  const record = extract.detectionFinding;
  const attributes: Record<string, OcsfAttribute> = { ...extract.baseEvent.attributes, ...record.attributes };
  for (const profile of record.profiles) {
    const definition = extract.profiles.get(profile);
    if (definition === undefined) throw new Error(`OCSF profile ${profile} is not in profiles.json`);
    for (const [name, attribute] of Object.entries(definition.attributes)) attributes[name] ??= { ...attribute, profile };
  }
  return attributes;
}

function profileSchemas(attributes: Record<string, OcsfAttribute>): JsonSchema[] {
  const schemas: JsonSchema[] = [];
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.profile === undefined) continue;
    schemas.push({ if: { not: declares(attribute.profile) }, then: { not: { required: [name] } } });
    if (attribute.requirement === "required") schemas.push({ if: declares(attribute.profile), then: { required: [name] } });
  }
  return schemas;
}

/** Builds the Detection Finding JSON Schema from the vendored OCSF 1.3.0 extract. */
export function composeDetectionFindingSchema(extract: SchemaExtract = readOcsfExtract()): Record<string, unknown> {
  const $defs: Record<string, JsonSchema> = {};
  for (const [name, object] of extract.objects) $defs[defsKey(name)] = objectSchema(extract, object.attributes, object.constraints);

  const record = extract.detectionFinding;
  const { entry } = extract;
  // The class record and the category entry are two reads of one file; disagreeing means the extract is broken.
  if (record.uid !== entry.class.uid || record.name !== entry.class.name || record.category !== entry.category.name) {
    throw new Error("detection-finding-class.json and detection-finding-category-entry.json disagree; re-read the source");
  }
  const attributes = classAttributes(extract);
  const event = objectSchema(extract, attributes, record.constraints);
  const properties = event["properties"] as Record<string, JsonSchema>;
  properties["class_uid"] = { const: record.uid };
  properties["class_name"] = { const: record.caption };
  properties["category_uid"] = { const: entry.category.uid };
  properties["category_name"] = { const: entry.category.caption };
  properties["metadata"] = { allOf: [{ $ref: "#/$defs/metadata" }, { properties: { profiles: { items: { enum: record.profiles } } } }] };
  const activities = Object.keys(attributes["activity_id"]?.enum ?? {}).map(Number);
  const typeUid = activities.map((activity) => ({
    if: { properties: { activity_id: { const: activity } }, required: ["activity_id"] },
    then: { properties: { type_uid: { const: record.uid * 100 + activity } } },
  }));
  const allOf = [...((event["allOf"] as JsonSchema[] | undefined) ?? []), ...profileSchemas(attributes), ...typeUid];
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://keywarden.test/ocsf/1.3.0/detection_finding.json",
    title: "OCSF 1.3.0 Detection Finding (composed from the vendored extract)",
    ...event,
    allOf,
    $defs,
  };
}
