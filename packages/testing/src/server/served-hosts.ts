import { LOGIN_HOSTS } from "./token-endpoint.js";

/**
 * The host names the server answers for, as its certificate lists them. One wildcard label covers every vault
 * (`{name}.vault.azure.net`), as Key Vault's own certificate does.
 */
export const SERVED_HOST_NAMES: readonly string[] = [
  "management.azure.com",
  "*.vault.azure.net",
  "graph.microsoft.com",
  "api.loganalytics.io",
  ...LOGIN_HOSTS,
];

const EXACT = new Set(SERVED_HOST_NAMES.filter((name) => !name.startsWith("*.")));
const VAULT_HOST = /^[0-9a-z](?:[0-9a-z-]{0,61}[0-9a-z])?\.vault\.azure\.net$/u;

/** A host name without port and trailing dot, lower-cased, or `undefined` when it is not a name at all. */
export function normalizeHost(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const host = value.trim().toLowerCase().replace(/:\d+$/u, "").replace(/\.$/u, "");
  return /^[0-9a-z.-]+$/u.test(host) ? host : undefined;
}

export function isServedHost(host: string): boolean {
  return EXACT.has(host) || VAULT_HOST.test(host);
}

export function isLoginHost(host: string): boolean {
  return LOGIN_HOSTS.includes(host);
}
