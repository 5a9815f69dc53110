import { armError } from "../http/azure-errors.js";

/**
 * ARM's answer to an api-version an operation does not serve, decided before any resource provider sees the request:
 *
 * - a resource provider's type (`/providers/{namespace}/{type}/...`): `400 NoRegisteredProviderFound`, "No registered
 *   resource provider found for location '{location}' and API version '{version}' for type '{type}'. The supported
 *   api-versions are '{a, b}'." (reported: Azure/azure-rest-api-specs#11929, for `vaults/secrets`);
 * - ARM's own resources (subscriptions, resource groups, `resources`): `400 InvalidApiVersionParameter`, "The
 *   api-version '{version}' is invalid. The supported versions are '{a,b}'." (reported: Azure/azure-cli#27239).
 *
 * The location is the resource group's when the path names one the tenant holds, else `global` (subscription-level
 * and extension resources).
 */
export function unsupportedArmApiVersion(path: string, apiVersion: string, supported: readonly string[], location: string | undefined): Response {
  const type = providerResourceType(path);
  if (type === undefined) {
    return armError(400, "InvalidApiVersionParameter", `The api-version '${apiVersion}' is invalid. The supported versions are '${supported.join(",")}'.`);
  }
  return armError(
    400,
    "NoRegisteredProviderFound",
    `No registered resource provider found for location '${location ?? "global"}' and API version '${apiVersion}' for type '${type}'. The supported api-versions are '${supported.join(", ")}'.`
  );
}

/**
 * The resource type ARM reads from a path, without its namespace, from the last `/providers/{namespace}/` on: the
 * type segments alternate with names (`vaults/{name}/accessPolicies/add` is type `vaults/accessPolicies`).
 */
export function providerResourceType(path: string): string | undefined {
  const segments = path.split("/").filter((segment) => segment !== "");
  const providers = segments.map((segment) => segment.toLowerCase()).lastIndexOf("providers");
  if (providers < 0 || providers + 2 >= segments.length) return undefined;
  const rest = segments.slice(providers + 2);
  return rest.filter((_, index) => index % 2 === 0).join("/");
}
