import type { ImpactObjectType } from "./impact-report.js";

/** A Key Vault object reference parsed from a log `Id` / `RequestUri` or an alert target. */
export interface ObjectRef {
  /** Lower-case vault host, e.g. `kv1.vault.azure.net`. */
  host: string;
  /** Vault name (the first DNS label of the host, lower case). */
  vaultName: string;
  type: ImpactObjectType;
  name: string;
  /** 32-hex version when the URI carries one. */
  version?: string;
}

const collections: Record<string, ImpactObjectType> = {
  secrets: "secret",
  deletedsecrets: "secret",
  keys: "key",
  deletedkeys: "key",
  certificates: "certificate",
  deletedcertificates: "certificate",
};

const version = /^[0-9a-f]{32}$/i;

/**
 * Parses `https://<vault>.vault.azure.net/<collection>/<name>[/<version>][/...]`. Returns undefined for anything
 * else (collection listings such as `/secrets`, vault-level URIs, garbage). Query strings and fragments are
 * ignored. No `URL` object is built: this runs once per distinct URI but must stay cheap and total.
 */
export function parseObjectUri(uri: string): ObjectRef | undefined {
  const scheme = uri.indexOf("://");
  if (scheme < 0) return undefined;
  let end = uri.length;
  const query = uri.indexOf("?", scheme);
  if (query >= 0) end = query;
  const hash = uri.indexOf("#", scheme);
  if (hash >= 0 && hash < end) end = hash;
  const parts = uri.slice(scheme + 3, end).split("/");
  const host = (parts[0] ?? "").replace(/:\d+$/, "").toLowerCase();
  const collectionName = (parts[1] ?? "").toLowerCase();
  // Own keys only: a path segment such as "constructor" must not find Object.prototype members.
  const collection = Object.hasOwn(collections, collectionName) ? collections[collectionName] : undefined;
  const name = parts[2];
  if (host === "" || collection === undefined || name === undefined || name === "") return undefined;
  if (!/^[0-9a-zA-Z-]{1,127}$/.test(name)) return undefined;
  const dot = host.indexOf(".");
  const vaultName = (dot < 0 ? host : host.slice(0, dot));
  const maybeVersion = parts[3];
  const ref: ObjectRef = { host, vaultName, type: collection, name };
  if (maybeVersion !== undefined && version.test(maybeVersion)) ref.version = maybeVersion.toLowerCase();
  return ref;
}

/** The object's URI without version: `https://<host>/<secrets|keys|certificates>/<name>`. */
export function objectUri(host: string, type: ImpactObjectType, name: string): string {
  return `https://${host}/${type === "secret" ? "secrets" : type === "key" ? "keys" : "certificates"}/${name}`;
}
