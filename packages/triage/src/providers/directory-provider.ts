import type { DirectoryObjectRef, DirectoryRoleAssignment, PrincipalType } from "../source-report.js";
import type { LookupOptions } from "./lookup-options.js";

/** A directory object (user, service principal, group) as triage needs it. */
export interface DirectoryObject {
  objectId: string;
  type: PrincipalType;
  displayName?: string;
  userPrincipalName?: string;
  mail?: string;
  /** `Member` or `Guest` (users only). */
  userType?: string;
  accountEnabled?: boolean;
  /** Service principals: the application id. */
  appId?: string;
  /** Service principals: the tenant that owns the application (Microsoft's tenants for first-party apps). */
  appOwnerOrganizationId?: string;
  /** Service principals: `Application`, `ManagedIdentity`, `Legacy`, `SocialIdp`. */
  servicePrincipalType?: string;
}

/**
 * Reads Entra ID (Microsoft Graph). Implementations resolve `undefined` for an object the directory does not know
 * (that is evidence: the principal is foreign) and reject for failures (403, throttling, network).
 */
export interface DirectoryProvider {
  getDirectoryObject(objectId: string, options?: LookupOptions): Promise<DirectoryObject | undefined>;
  getServicePrincipalByAppId(appId: string, options?: LookupOptions): Promise<DirectoryObject | undefined>;
  /** Owners of a service principal (users or other service principals). Empty for users. */
  listOwners(objectId: string, type: PrincipalType, options?: LookupOptions): Promise<DirectoryObjectRef[]>;
  /** Directory roles the principal holds, active and (where the directory exposes them) eligible. */
  listDirectoryRoles(objectId: string, options?: LookupOptions): Promise<DirectoryRoleAssignment[]>;
}
