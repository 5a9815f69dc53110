/**
 * The host families of Azure, Microsoft Entra and Microsoft Graph clouds. A request to any of them is the fake's to
 * answer: a service it models answers it, anything else gets a 501 that names the request and the fix, so a test can
 * never reach the real cloud by accident (msw's `onUnhandledRequest` would otherwise decide, and `"bypass"` or
 * `"warn"` would send it to the network).
 */
const AZURE_HOST_SUFFIXES = [
  "azure.com",
  "azure.net",
  "windows.net",
  "microsoft.com",
  "microsoftonline.com",
  "microsoftonline.us",
  "loganalytics.io",
  "azure-api.net",
  "azurecr.io",
  "azureedge.net",
  "azurewebsites.net",
  "usgovcloudapi.net",
  "chinacloudapi.cn",
  "applicationinsights.io",
] as const;

/** msw's Node interceptor reads `https://management.azure.com//subscriptions/...` as host `subscriptions`. */
const MISREAD_ARM_HOSTS = new Set(["subscriptions", "providers"]);

export function isAzureHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/u, "");
  if (MISREAD_ARM_HOSTS.has(host)) return true;
  return AZURE_HOST_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

/** The URL predicate of the tenant's msw handler: every http(s) URL on an Azure host. */
export const AZURE_URL = new RegExp(
  `^https?://(subscriptions|providers|([0-9a-z-]+\\.)*(${AZURE_HOST_SUFFIXES.map((s) => s.replaceAll(".", "\\.")).join("|")}))\\.?(:\\d+)?(/|$)`,
  "iu",
);
