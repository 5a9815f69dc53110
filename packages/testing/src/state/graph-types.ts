/**
 * Microsoft Graph v1.0 directory object shapes (`microsoft.graph.user`, `servicePrincipal`, `group`,
 * `unifiedRoleAssignment`, `unifiedRoleEligibilityScheduleInstance`, `unifiedRoleDefinition`). Only the properties
 * an incident responder reads are typed; any other Graph property a seed carries is kept and served as is.
 */

export interface GraphUser {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  accountEnabled?: boolean | null;
  userType?: "Member" | "Guest" | (string & {}) | null;
  /** Set by `revokeSignInSessions`: tokens issued before it are no longer valid. */
  signInSessionsValidFromDateTime?: string | null;
  [key: string]: unknown;
}

export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName?: string | null;
  /** The tenant that owns the application: Microsoft first-party apps carry `f8cdef31-a31e-4b4a-93e4-5f571e91255a`. */
  appOwnerOrganizationId?: string | null;
  servicePrincipalType?: "Application" | "ManagedIdentity" | "Legacy" | "SocialIdp" | (string & {}) | null;
  accountEnabled?: boolean | null;
  appDisplayName?: string | null;
  tags?: string[];
  [key: string]: unknown;
}

export interface GraphGroup {
  id: string;
  displayName?: string | null;
  securityEnabled?: boolean | null;
  mailEnabled?: boolean | null;
  [key: string]: unknown;
}

/** `microsoft.graph.application`: an app registration (its `owners` are the people who answer for the app). */
export interface GraphApplication {
  /** The application object id (`/applications/{id}`). */
  id: string;
  /** The client id its service principals carry (`/applications(appId='{appId}')`). */
  appId: string;
  displayName?: string | null;
  [key: string]: unknown;
}

/** A user's manager (Graph `manager` navigation property). */
export interface GraphManagerLink {
  userId: string;
  managerId: string;
}

/** A message accepted by `POST /users/{id}/sendMail`, as the fake recorded it. */
export interface SentMailMessage {
  /** The mailbox's user id (the `{id}` of `/users/{id}/sendMail`, resolved). */
  mailboxUserId: string;
  /** The mailbox's address (`mail`, else `userPrincipalName`). */
  from: string;
  /** ISO 8601, from the tenant clock. */
  sentAt: string;
  saveToSentItems: boolean;
  /** The Graph `message` exactly as posted. */
  message: {
    subject: string;
    body: { contentType: "text" | "html" | "Text" | "HTML"; content: string };
    toRecipients: Array<{ emailAddress: { address: string; name?: string } }>;
    ccRecipients?: Array<{ emailAddress: { address: string; name?: string } }>;
    [key: string]: unknown;
  };
}

/** `unifiedRoleAssignment`: an active Entra directory role assignment. */
export interface GraphRoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId?: string;
  appScopeId?: string | null;
  [key: string]: unknown;
}

/** `unifiedRoleEligibilityScheduleInstance`: a PIM-eligible directory role. */
export interface GraphRoleEligibilityScheduleInstance {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId?: string;
  appScopeId?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  memberType?: "Direct" | "Group" | "Inherited" | (string & {});
  roleEligibilityScheduleId?: string;
  [key: string]: unknown;
}

/** `unifiedRoleDefinition`. */
export interface GraphRoleDefinition {
  id: string;
  displayName: string;
  description?: string | null;
  isBuiltIn?: boolean;
  isEnabled?: boolean;
  isPrivileged?: boolean;
  templateId?: string;
  [key: string]: unknown;
}

/** Owners of an application's service principal (or any directory object): Graph's `owners` navigation property. */
export interface GraphOwnership {
  /** The owned object (usually a service principal). */
  objectId: string;
  /** Ids of the owning users or service principals. */
  ownerIds: string[];
}
