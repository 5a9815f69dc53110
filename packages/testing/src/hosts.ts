/** The well-known endpoints the fake tenant answers. */
export const ARM_ENDPOINT = "https://management.azure.com";
export const GRAPH_ENDPOINT = "https://graph.microsoft.com";
export const LOG_ANALYTICS_ENDPOINT = "https://api.loganalytics.io";
export const VAULT_DNS_SUFFIX = "vault.azure.net";
/** Token audiences (scope minus `/.default`). */
export const ARM_AUDIENCE = "https://management.azure.com";
export const GRAPH_AUDIENCE = "https://graph.microsoft.com";
export const VAULT_AUDIENCE = "https://vault.azure.net";
export const LOG_ANALYTICS_AUDIENCE = "https://api.loganalytics.io";
export const LOGIN_ENDPOINT = "https://login.microsoftonline.com";
