import { ARM_ENDPOINT } from "../hosts.js";

/**
 * msw's Node interceptor reads a path that starts with `//` (arm-authorization and arm-monitor send
 * `https://management.azure.com//subscriptions/...` when the scope has a leading slash, and ARM accepts it) as a
 * protocol-relative URL, so the request reaches the handlers as `https://subscriptions/...`. This puts such URLs
 * back on the ARM host; any other URL is returned unchanged.
 */
export function canonicalUrl(url: URL): URL {
  const host = url.hostname.toLowerCase();
  if (host === "subscriptions" || host === "providers") {
    return new URL(`${ARM_ENDPOINT}/${url.hostname}${url.pathname}${url.search}`);
  }
  return url;
}

/** Matches the misread `//subscriptions` and `//providers` ARM URLs (see `canonicalUrl`). */
export const MISREAD_ARM_URL = /^https:\/\/(subscriptions|providers)\//iu;
