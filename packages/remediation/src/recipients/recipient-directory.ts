/** A person (or mailbox) the directory knows, as recipient resolution needs it. */
export interface DirectoryContact {
  objectId?: string;
  /** `user`, `servicePrincipal`, `group`... as Graph's `@odata.type` says, without the prefix. */
  type?: string;
  displayName?: string;
  mail?: string;
  userPrincipalName?: string;
}

/** Where a recipient came from, in the order resolution asks. */
export type RecipientSource = "vault-tag" | "manager" | "application-owner" | "service-principal-owner" | "security-contact" | "fallback";

/** The vault as resolution needs it (a `VaultReport` from triage fits). */
export interface RecipientVault {
  resourceId: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/**
 * The tenant lookups recipient resolution makes: the vault's tags (ARM), a user's manager and the owners of an
 * application or service principal (Microsoft Graph), the subscription's Defender for Cloud security contacts.
 * `AzureRecipientDirectory` asks Azure; `InMemoryRecipientDirectory` answers from data (tests, offline planning).
 * "Nothing there" is an empty answer (`undefined`, `[]`); an error means the lookup itself failed.
 */
export interface RecipientDirectory {
  vaultTags(vault: RecipientVault, options?: { abortSignal?: AbortSignal }): Promise<Readonly<Record<string, string>> | undefined>;
  managerOf(userObjectId: string, options?: { abortSignal?: AbortSignal }): Promise<DirectoryContact | undefined>;
  /** Owners of the app registration whose client id is `appId` (none when the app is registered in another tenant). */
  applicationOwners(appId: string, options?: { abortSignal?: AbortSignal }): Promise<DirectoryContact[]>;
  servicePrincipalOwners(servicePrincipalObjectId: string, options?: { abortSignal?: AbortSignal }): Promise<DirectoryContact[]>;
  /** The e-mail addresses of the subscription's enabled security contacts. */
  securityContacts(subscriptionId: string, options?: { abortSignal?: AbortSignal }): Promise<string[]>;
}
