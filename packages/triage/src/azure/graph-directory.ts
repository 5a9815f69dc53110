import type { TokenCredential } from "@azure/core-auth";
import type { DirectoryObject, DirectoryProvider } from "../providers/directory-provider.js";
import type { LookupOptions } from "../providers/lookup-options.js";
import type { DirectoryObjectRef, DirectoryRoleAssignment, PrincipalType } from "../source-report.js";
import { JsonClient, type KeywardenClientOptions } from "@keywarden/core";
import { logger, triageIdentity } from "../log.js";
import { tracingClient } from "../tracing.js";

export interface GraphDirectoryOptions extends KeywardenClientOptions {
  /** Defaults to `https://graph.microsoft.com/v1.0` (set the national cloud's Graph here). */
  endpoint?: string;
  /** Look up PIM-eligible roles too (needs RoleEligibilitySchedule.Read.Directory). Default true. */
  includeEligibleRoles?: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface GraphObject {
  "@odata.type"?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  userType?: string | null;
  accountEnabled?: boolean | null;
  appId?: string | null;
  appOwnerOrganizationId?: string | null;
  servicePrincipalType?: string | null;
}

interface GraphRoleDefinition {
  id: string;
  displayName?: string;
  isPrivileged?: boolean;
  templateId?: string;
}

interface GraphRoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId?: string;
  roleDefinition?: GraphRoleDefinition | null;
}

/**
 * Directory lookups over Microsoft Graph v1.0 with a bearer token for `https://graph.microsoft.com/.default`.
 * Needs Directory.Read.All (or User.Read.All + Application.Read.All) and RoleManagement.Read.Directory.
 */
export class GraphDirectory implements DirectoryProvider {
  readonly #client: JsonClient;
  readonly #endpoint: string;
  readonly #includeEligible: boolean;
  readonly #definitions = new Map<string, Promise<GraphRoleDefinition | undefined>>();

  constructor(credential: TokenCredential, options: GraphDirectoryOptions = {}) {
    this.#endpoint = (options.endpoint ?? "https://graph.microsoft.com/v1.0").replace(/\/+$/, "");
    const scope = `${new URL(this.#endpoint).origin}/.default`;
    const { endpoint: _endpoint, includeEligibleRoles: _eligible, ...clientOptions } = options;
    this.#client = new JsonClient(credential, scope, this.#endpoint, triageIdentity, clientOptions);
    this.#includeEligible = options.includeEligibleRoles ?? true;
  }

  getDirectoryObject(objectId: string, options: LookupOptions = {}): Promise<DirectoryObject | undefined> {
    return tracingClient.withSpan("GraphDirectory.getDirectoryObject", options, async (updated) => {
      const object = await this.#client.get<GraphObject>(`${this.#endpoint}/directoryObjects/${guid(objectId)}`, {
        ...updated,
        allowNotFound: true,
      });
      logger.verbose(`directory object ${objectId}: ${object === undefined ? "not found" : "found"}`);
      return object === undefined ? undefined : toDirectoryObject(object);
    });
  }

  getServicePrincipalByAppId(appId: string, options: LookupOptions = {}): Promise<DirectoryObject | undefined> {
    return tracingClient.withSpan("GraphDirectory.getServicePrincipalByAppId", options, async (updated) => {
      const url = new URL(`${this.#endpoint}/servicePrincipals`);
      url.searchParams.set("$filter", `appId eq '${guid(appId)}'`);
      const page = await this.#client.get<{ value?: GraphObject[] }>(url.href, updated);
      const first = page?.value?.[0];
      return first === undefined ? undefined : toDirectoryObject({ "@odata.type": "#microsoft.graph.servicePrincipal", ...first });
    });
  }

  async listOwners(objectId: string, type: PrincipalType, options: LookupOptions = {}): Promise<DirectoryObjectRef[]> {
    if (type !== "service-principal" && type !== "managed-identity") {
      logger.verbose(`owners of ${objectId} not looked up: a ${type} has no owners in Graph`);
      return [];
    }
    const owners = await tracingClient.withSpan("GraphDirectory.listOwners", options, (updated) =>
      this.#client.getAll<GraphObject>(`${this.#endpoint}/servicePrincipals/${guid(objectId)}/owners`, updated),
    );
    return owners.map((owner) => {
      const object = toDirectoryObject(owner);
      const ref: DirectoryObjectRef = { objectId: object.objectId, type: object.type };
      if (object.displayName !== undefined) ref.displayName = object.displayName;
      if (object.userPrincipalName !== undefined) ref.userPrincipalName = object.userPrincipalName;
      if (object.mail !== undefined) ref.mail = object.mail;
      return ref;
    });
  }

  listDirectoryRoles(objectId: string, options: LookupOptions = {}): Promise<DirectoryRoleAssignment[]> {
    return tracingClient.withSpan("GraphDirectory.listDirectoryRoles", options, (updated) => this.#listDirectoryRoles(objectId, updated));
  }

  async #listDirectoryRoles(objectId: string, options: LookupOptions): Promise<DirectoryRoleAssignment[]> {
    const id = guid(objectId);
    const active = new URL(`${this.#endpoint}/roleManagement/directory/roleAssignments`);
    active.searchParams.set("$filter", `principalId eq '${id}'`);
    active.searchParams.set("$expand", "roleDefinition");
    const eligible = new URL(`${this.#endpoint}/roleManagement/directory/roleEligibilityScheduleInstances`);
    eligible.searchParams.set("$filter", `principalId eq '${id}'`);
    const [activeItems, eligibleItems] = await Promise.all([
      this.#client.getAll<GraphRoleAssignment>(active.href, options),
      this.#includeEligible ? this.#client.getAll<GraphRoleAssignment>(eligible.href, options) : Promise.resolve([]),
    ]);
    const results = await Promise.all([
      ...activeItems.map((item) => this.#toRole(item, "active", options)),
      ...eligibleItems.map((item) => this.#toRole(item, "eligible", options)),
    ]);
    return results;
  }

  async #toRole(item: GraphRoleAssignment, state: "active" | "eligible", options: LookupOptions): Promise<DirectoryRoleAssignment> {
    const definition = item.roleDefinition ?? (await this.#definition(item.roleDefinitionId, options));
    return {
      assignmentId: item.id,
      roleDefinitionId: item.roleDefinitionId,
      roleName: definition?.displayName ?? item.roleDefinitionId,
      state,
      directoryScopeId: item.directoryScopeId ?? "/",
      privileged: definition?.isPrivileged ?? false,
    };
  }

  #definition(id: string, options: LookupOptions): Promise<GraphRoleDefinition | undefined> {
    let cached = this.#definitions.get(id);
    if (cached === undefined) {
      cached = this.#client.get<GraphRoleDefinition>(
        `${this.#endpoint}/roleManagement/directory/roleDefinitions/${encodeURIComponent(id)}`,
        { ...options, allowNotFound: true },
      );
      this.#definitions.set(id, cached);
    }
    return cached;
  }
}

/** Ids reach URLs only as validated GUIDs: nothing from an alert is interpolated unchecked. */
function guid(value: string): string {
  if (!GUID.test(value)) throw new TypeError(`"${value}" is not a GUID; directory lookups take object and application ids only.`);
  return value.toLowerCase();
}

function toDirectoryObject(object: GraphObject): DirectoryObject {
  const odataType = object["@odata.type"]?.toLowerCase() ?? "";
  let type: PrincipalType = "unknown";
  if (odataType.endsWith(".user")) type = "user";
  else if (odataType.endsWith(".group")) type = "group";
  else if (odataType.endsWith(".serviceprincipal")) {
    type = object.servicePrincipalType?.toLowerCase() === "managedidentity" ? "managed-identity" : "service-principal";
  }
  const result: DirectoryObject = { objectId: object.id.toLowerCase(), type };
  if (object.displayName != null) result.displayName = object.displayName;
  if (object.userPrincipalName != null) result.userPrincipalName = object.userPrincipalName;
  if (object.mail != null) result.mail = object.mail;
  if (object.userType != null) result.userType = object.userType;
  if (object.accountEnabled != null) result.accountEnabled = object.accountEnabled;
  if (object.appId != null) result.appId = object.appId;
  if (object.appOwnerOrganizationId != null) result.appOwnerOrganizationId = object.appOwnerOrganizationId.toLowerCase();
  if (object.servicePrincipalType != null) result.servicePrincipalType = object.servicePrincipalType;
  return result;
}
