import type { DirectoryContact, RecipientDirectory, RecipientVault } from "./recipient-directory.js";

export interface InMemoryRecipientDirectoryData {
  /** Tags by vault resource id (compared case-insensitively, like ARM ids). */
  vaultTags?: Record<string, Record<string, string>>;
  /** A user's manager, by the user's object id. */
  managers?: Record<string, DirectoryContact>;
  /** Owners by application client id (`appId`). */
  applicationOwners?: Record<string, DirectoryContact[]>;
  /** Owners by service principal object id. */
  servicePrincipalOwners?: Record<string, DirectoryContact[]>;
  /** Security contact addresses by subscription id. */
  securityContacts?: Record<string, string[]>;
}

/** Lower-cased keys in a Map: the inputs are ids from alerts and must never index a plain object. */
function index<T>(record: Record<string, T> | undefined): Map<string, T> {
  return new Map(Object.entries(record ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
}

/** A {@link RecipientDirectory} over plain data: tests, and planning without access to the tenant. */
export class InMemoryRecipientDirectory implements RecipientDirectory {
  readonly #tags: Map<string, Record<string, string>>;
  readonly #managers: Map<string, DirectoryContact>;
  readonly #applicationOwners: Map<string, DirectoryContact[]>;
  readonly #servicePrincipalOwners: Map<string, DirectoryContact[]>;
  readonly #securityContacts: Map<string, string[]>;

  constructor(data: InMemoryRecipientDirectoryData = {}) {
    this.#tags = index(data.vaultTags);
    this.#managers = index(data.managers);
    this.#applicationOwners = index(data.applicationOwners);
    this.#servicePrincipalOwners = index(data.servicePrincipalOwners);
    this.#securityContacts = index(data.securityContacts);
  }

  vaultTags(vault: RecipientVault): Promise<Readonly<Record<string, string>> | undefined> {
    const tags = this.#tags.get(vault.resourceId.toLowerCase());
    return Promise.resolve(tags === undefined ? undefined : { ...tags });
  }

  managerOf(userObjectId: string): Promise<DirectoryContact | undefined> {
    const manager = this.#managers.get(userObjectId.toLowerCase());
    return Promise.resolve(manager === undefined ? undefined : { ...manager });
  }

  applicationOwners(appId: string): Promise<DirectoryContact[]> {
    return Promise.resolve((this.#applicationOwners.get(appId.toLowerCase()) ?? []).map((owner) => ({ ...owner })));
  }

  servicePrincipalOwners(servicePrincipalObjectId: string): Promise<DirectoryContact[]> {
    return Promise.resolve((this.#servicePrincipalOwners.get(servicePrincipalObjectId.toLowerCase()) ?? []).map((owner) => ({ ...owner })));
  }

  securityContacts(subscriptionId: string): Promise<string[]> {
    return Promise.resolve([...(this.#securityContacts.get(subscriptionId.toLowerCase()) ?? [])]);
  }
}
