import { type AlertEntity } from "../key-vault-alert.js";
import { childPath, isObject, type JsonObject } from "./json-value.js";
import { alertWarningCodes, type ParseContext } from "./parse-context.js";

/** Entity types Defender for Cloud documents (lower case). Others still parse, with a warning. */
const knownEntityTypes = new Set([
  "account",
  "azure-resource",
  "blob",
  "blob-container",
  "cloud-application",
  "cloud-logon-request",
  "cloud-logon-session",
  "dns",
  "file",
  "filehash",
  "host",
  "host-logon-session",
  "iot-device",
  "ip",
  "k8s-cluster",
  "k8s-namespace",
  "k8s-pod",
  "container",
  "container-image",
  "mailbox",
  "mail-cluster",
  "mail-message",
  "malware",
  "network-connection",
  "process",
  "registry-key",
  "registry-value",
  "security-group",
  "submission-mail",
  "url",
]);

/** Deeper nesting than this is not a real entity graph; it is left as received. */
const maxDepth = 32;

interface Walk {
  ids: Map<string, JsonObject>;
  hasRefs: boolean;
  /** Resolved form of each object already visited, so shared references cost one resolution. */
  memo: Map<JsonObject, unknown>;
}

function refOf(value: JsonObject): string | undefined {
  const ref = value.$ref;
  if (typeof ref === "string") return ref;
  if (typeof ref === "number") return String(ref);
  return undefined;
}

function idOf(value: JsonObject): string | undefined {
  const id = value.$id;
  if (typeof id === "string") return id;
  if (typeof id === "number") return String(id);
  return undefined;
}

/** `true` when the entity graph holds a `$ref` anywhere (most Key Vault alerts have none). */
function hasReference(value: unknown, depth: number): boolean {
  if (depth > maxDepth || typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasReference(item, depth + 1)) return true;
    return false;
  }
  const obj = value as JsonObject;
  if (refOf(obj) !== undefined) return true;
  for (const key in obj) {
    const child = obj[key];
    if (typeof child === "object" && child !== null && hasReference(child, depth + 1)) return true;
  }
  return false;
}

/** Registers every `$id` in the entity graph (nested `Host`, `Account`, `IpAdresses`, ...). */
function collect(value: unknown, walk: Walk, depth: number): void {
  if (depth > maxDepth || typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, walk, depth + 1);
    return;
  }
  const obj = value as JsonObject;
  const id = idOf(obj);
  if (id !== undefined && !walk.ids.has(id)) walk.ids.set(id, obj);
  for (const key in obj) {
    const child = obj[key];
    if (typeof child === "object" && child !== null) collect(child, walk, depth + 1);
  }
}

function isBareRef(obj: JsonObject): boolean {
  if (refOf(obj) === undefined) return false;
  for (const key in obj) if (key !== "$ref") return false;
  return true;
}

/**
 * Returns `value` with `{ "$ref": id }` objects replaced by (resolved copies of) the objects carrying that `$id`.
 * Objects without references are returned as is (no copy). Cycles and dangling refs stay as `{ "$ref" }`.
 */
function resolve(value: unknown, walk: Walk, active: Set<JsonObject>, ctx: ParseContext, path: string, depth: number): unknown {
  if (typeof value !== "object" || value === null || depth > maxDepth) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const resolved = resolve(item, walk, active, ctx, path, depth + 1);
      if (resolved !== item) {
        copy ??= value.slice();
        copy[i] = resolved;
      }
    }
    return copy ?? value;
  }
  let obj = value as JsonObject;
  if (isBareRef(obj)) {
    const ref = refOf(obj)!;
    const target = walk.ids.get(ref);
    if (target === undefined || active.has(target)) {
      if (target === undefined) {
        ctx.warn(alertWarningCodes.unresolvedReference, path, `Entity reference "$ref": ${JSON.stringify(ref)} names no "$id"; left unresolved.`);
      }
      return obj;
    }
    obj = target;
  }
  if (active.has(obj)) return obj;
  const memoized = walk.memo.get(obj);
  if (memoized !== undefined) return memoized;
  active.add(obj);
  let copy: JsonObject | undefined;
  for (const key in obj) {
    const child = obj[key];
    if (typeof child !== "object" || child === null) continue;
    const resolved = resolve(child, walk, active, ctx, path, depth + 1);
    if (resolved !== child) {
      copy ??= { ...obj };
      copy[key] = resolved;
    }
  }
  active.delete(obj);
  const result = copy ?? obj;
  walk.memo.set(obj, result);
  return result;
}

/** The entity's type in lower case (`type` or `Type`), or `undefined`. */
function entityType(obj: JsonObject): string | undefined {
  const type = obj.type ?? obj.Type;
  // Usually already a documented lower-case type: no trimmed, lower-cased copy needed.
  if (typeof type === "string" && knownEntityTypes.has(type)) return type;
  return typeof type === "string" && type.trim() !== "" ? type.trim().toLowerCase() : undefined;
}

/**
 * Turns a channel's raw entity list into `AlertEntity[]`: `$ref`s resolved (bare top-level references to an
 * entity defined elsewhere become that entity), duplicates from references dropped, types lower-cased.
 * `mayHaveReferences: false` (the caller saw the JSON text and it holds no `$ref`) skips the search for them.
 */
export function resolveEntities(raw: unknown[], ctx: ParseContext, path: string, mayHaveReferences = true): AlertEntity[] {
  const entities: AlertEntity[] = [];
  // Without references every entity is used as received: no copies, no maps.
  const walk: Walk | undefined = mayHaveReferences && hasReference(raw, 0) ? { ids: new Map(), hasRefs: true, memo: new Map() } : undefined;
  if (walk !== undefined) collect(raw, walk, 0);
  const seen = walk === undefined ? undefined : new Set<JsonObject>();
  const active = walk === undefined ? undefined : new Set<JsonObject>();
  for (let i = 0; i < raw.length; i++) {
    const item = raw[i];
    if (!isObject(item)) {
      ctx.warn(alertWarningCodes.invalidOptionalField, childPath(path, i), "Entity is not an object; ignored.");
      continue;
    }
    let source = item;
    let properties: JsonObject = item;
    if (walk !== undefined) {
      if (isBareRef(item)) {
        const target = walk.ids.get(refOf(item)!);
        if (target === undefined) {
          ctx.warn(alertWarningCodes.unresolvedReference, childPath(path, i), `Entity reference "$ref": ${JSON.stringify(refOf(item))} names no "$id"; ignored.`);
          continue;
        }
        source = target;
      }
      if (seen!.has(source)) continue;
      seen!.add(source);
      properties = resolve(source, walk, active!, ctx, childPath(path, i), 0) as JsonObject;
    }
    const type = entityType(source);
    if (type === undefined) {
      ctx.warn(alertWarningCodes.unknownEntityType, childPath(path, i), "Entity has no type; kept as \"unknown\".");
    } else if (!knownEntityTypes.has(type)) {
      ctx.warn(alertWarningCodes.unknownEntityType, childPath(path, i), `Entity type "${type.slice(0, 64)}" is not a documented Defender entity type; kept.`);
    }
    entities.push({ type: type ?? "unknown", properties });
  }
  return entities;
}
