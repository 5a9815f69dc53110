import type { TokenCredential } from "@azure/core-auth";
import type { DirectoryObject, DirectoryProvider } from "../providers/directory-provider.js";
import type { LookupOptions } from "../providers/lookup-options.js";
import type { DirectoryObjectRef, DirectoryRoleAssignment, PrincipalType } from "../source-report.js";
import { JsonClient, type Clock, type KeywardenClientOptions } from "@keywarden/core";
import { logger, triageIdentity } from "../log.js";
import { tracingClient } from "../tracing.js";
import { GraphBatcher } from "./graph-batcher.js";
import { InvalidTriageArgumentError } from "../errors/invalid-triage-argument-error.js";

export interface GraphDirectoryOptions extends KeywardenClientOptions {
  /** Defaults to `https://graph.microsoft.com/v1.0` (set the national cloud's Graph here). */
  endpoint?: string;
  /** Look up PIM-eligible roles too (needs RoleEligibilitySchedule.Read.Directory). Default true. */
  includeEligibleRoles?: boolean;
  /**
   * Lookups started in the same turn (the alerts of a burst) go to Graph as JSON batches of up to this many
   * requests (`POST /$batch`; 1 sends every lookup on its own). Default 20, Graph's limit.
   */
  maxBatchSize?: number;
  /** The clock a throttled batch item waits on before it is retried. Default the system clock. */
  clock?: Clock;
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
  readonly #batcher: GraphBatcher;
  readonly #endpoint: string;
  readonly #includeEligible: boolean;
  readonly #definitions = new Map<string, Promise<GraphRoleDefinition | undefined>>();

  constructor(credential: TokenCredential, options: GraphDirectoryOptions = {}) {
    this.#endpoint = (options.endpoint ?? "https://graph.microsoft.com/v1.0").replace(/\/+$/, "");
    const scope = `${new URL(this.#endpoint).origin}/.default`;
    const { endpoint: _endpoint, includeEligibleRoles: _eligible, maxBatchSize, clock, ...clientOptions } = options;
    this.#client = new JsonClient(credential, scope, this.#endpoint, triageIdentity, clientOptions);
    // A throttled batch item is retried like a throttled request: the pipeline's retry count and delay.
    const retry = clientOptions.retryOptions;
    this.#batcher = new GraphBatcher(this.#client, {
      ...(maxBatchSize === undefined ? {} : { maxBatchSize }),
      ...(clock === undefined ? {} : { clock }),
      ...(retry?.maxRetries === undefined ? {} : { maxItemRetries: retry.maxRetries }),
      ...(retry?.retryDelayInMs === undefined ? {} : { itemRetryDelayMs: retry.retryDelayInMs }),
    });
    this.#includeEligible = options.includeEligibleRoles ?? true;
  }

  getDirectoryObject(objectId: string, options: LookupOptions = {}): Promise<DirectoryObject | undefined> {
    return tracingClient.withSpan("GraphDirectory.getDirectoryObject", options, async (updated) => {
      const object = await this.#batcher.get<GraphObject>(`/directoryObjects/${guid(objectId)}`, { allowNotFound: true, abortSignal: updated.abortSignal });
      logger.verbose(`directory object ${objectId}: ${object === undefined ? "not found" : "found"}`);
      return object === undefined ? undefined : toDirectoryObject(object);
    });
  }

  getServicePrincipalByAppId(appId: string, options: LookupOptions = {}): Promise<DirectoryObject | undefined> {
    return tracingClient.withSpan("GraphDirectory.getServicePrincipalByAppId", options, async (updated) => {
      const query = new URLSearchParams({ $filter: `appId eq '${guid(appId)}'` });
      const page = await this.#batcher.get<{ value?: GraphObject[] }>(`/servicePrincipals?${query.toString()}`, { abortSignal: updated.abortSignal });
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
      this.#batcher.getAll<GraphObject>(`/servicePrincipals/${guid(objectId)}/owners`, { abortSignal: updated.abortSignal }),
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
    const active = new URLSearchParams({ $filter: `principalId eq '${id}'`, $expand: "roleDefinition" });
    const eligible = new URLSearchParams({ $filter: `principalId eq '${id}'` });
    const [activeItems, eligibleItems] = await Promise.all([
      this.#batcher.getAll<GraphRoleAssignment>(`/roleManagement/directory/roleAssignments?${active.toString()}`, { abortSignal: options.abortSignal }),
      this.#includeEligible
        ? this.#batcher.getAll<GraphRoleAssignment>(`/roleManagement/directory/roleEligibilityScheduleInstances?${eligible.toString()}`, {
            abortSignal: options.abortSignal,
          })
        : Promise.resolve([]),
    ]);
    const results = await Promise.all([
      ...activeItems.map((item) => this.#toRole(item, "active")),
      ...eligibleItems.map((item) => this.#toRole(item, "eligible")),
    ]);
    return results;
  }

  async #toRole(item: GraphRoleAssignment, state: "active" | "eligible"): Promise<DirectoryRoleAssignment> {
    const definition = item.roleDefinition ?? (await this.#definition(item.roleDefinitionId));
    return {
      assignmentId: item.id,
      roleDefinitionId: item.roleDefinitionId,
      roleName: definition?.displayName ?? item.roleDefinitionId,
      state,
      directoryScopeId: item.directoryScopeId ?? "/",
      privileged: definition?.isPrivileged ?? false,
    };
  }

  #definition(id: string): Promise<GraphRoleDefinition | undefined> {
    let cached = this.#definitions.get(id);
    if (cached === undefined) {
      // Shared by every later lookup, so not tied to the abort signal of the one that asked first.
      cached = this.#batcher.get<GraphRoleDefinition>(`/roleManagement/directory/roleDefinitions/${encodeURIComponent(id)}`, { allowNotFound: true });
      this.#definitions.set(id, cached);
    }
    return cached;
  }
}

/** Ids reach URLs only as validated GUIDs: nothing from an alert is interpolated unchecked. */
function guid(value: string): string {
  if (!GUID.test(value)) throw new InvalidTriageArgumentError(`"${value}" is not a GUID: directory lookups take object and application ids only. Pass the object or application id.`);
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
