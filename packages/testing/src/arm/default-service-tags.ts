import type { ServiceTagsState } from "../state/tenant-state.js";

/**
 * A small, made-up but plausible service tag set (real prefixes change weekly): enough to classify a caller as
 * "Azure" versus "internet" in tests. Seeds replace it with `serviceTags`.
 */
export function defaultServiceTags(): ServiceTagsState {
  const tag = (name: string, region: string, systemService: string, addressPrefixes: string[]) => ({
    name,
    id: name,
    properties: { changeNumber: "1", region, systemService, addressPrefixes },
  });
  return {
    changeNumber: "1",
    cloud: "Public",
    values: [
      tag("AzureCloud", "", "", ["13.64.0.0/11", "20.33.0.0/16", "40.64.0.0/10", "51.104.0.0/15", "52.96.0.0/12"]),
      tag("AzureCloud.westeurope", "westeurope", "", ["13.69.0.0/17", "20.50.0.0/18", "40.68.0.0/14"]),
      tag("AzureKeyVault", "", "AzureKeyVault", ["13.66.138.88/29", "20.36.40.39/32", "40.74.28.0/23", "52.148.84.142/32"]),
      tag("AzureResourceManager", "", "AzureResourceManager", ["13.66.141.176/28", "20.37.76.48/28", "40.79.131.240/28"]),
      tag("AzureMonitor", "", "AzureMonitor", ["13.70.72.233/32", "20.38.149.128/25", "40.78.203.128/25"]),
      tag("AzureActiveDirectory", "", "AzureAD", ["20.190.128.0/18", "40.126.0.0/18"]),
    ],
  };
}
