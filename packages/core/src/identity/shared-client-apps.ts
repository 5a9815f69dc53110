/**
 * Microsoft's multi-tenant first-party client applications that people sign in with. Every user of every tenant
 * who uses the Azure CLI presents the same app id, so an app id from this list identifies a tool, never a caller:
 * triage names it for readers, impact never matches activity on it alone.
 */
const SHARED_CLIENT_APPS: ReadonlyMap<string, string> = new Map([
  ["04b07795-8ddb-461a-bbee-02f9e1bf7b46", "Microsoft Azure CLI"],
  ["1950a258-227b-4e31-a9cf-717495945fc2", "Microsoft Azure PowerShell"],
  ["c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal"],
  ["872cd9fa-d31f-45e0-9eab-6e460a02d1f1", "Visual Studio"],
  ["aebc6443-996d-45c2-90f0-388ff96faa56", "Visual Studio Code"],
]);

/** The client's name when `appId` is a shared Microsoft first-party client (case-insensitive), else undefined. */
export function sharedClientAppName(appId: string | undefined): string | undefined {
  return appId === undefined ? undefined : SHARED_CLIENT_APPS.get(appId.trim().toLowerCase());
}

export function isSharedClientApp(appId: string | undefined): boolean {
  return sharedClientAppName(appId) !== undefined;
}
