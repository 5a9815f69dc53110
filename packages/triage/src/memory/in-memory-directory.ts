import type { DirectoryObject, DirectoryProvider } from "../providers/directory-provider.js";
import type { DirectoryObjectRef, DirectoryRoleAssignment } from "../source-report.js";

export interface InMemoryDirectoryOptions {
  objects?: readonly DirectoryObject[];
  /** Owners by owned object id. */
  owners?: Readonly<Record<string, readonly DirectoryObjectRef[]>>;
  /** Directory roles by principal object id. */
  roles?: Readonly<Record<string, readonly DirectoryRoleAssignment[]>>;
}

/** A directory held in memory, for tests and offline triage (e.g. from an exported directory snapshot). */
export class InMemoryDirectory implements DirectoryProvider {
  readonly #objects = new Map<string, DirectoryObject>();
  readonly #byAppId = new Map<string, DirectoryObject>();
  readonly #owners: Map<string, readonly DirectoryObjectRef[]>;
  readonly #roles: Map<string, readonly DirectoryRoleAssignment[]>;

  constructor(options: InMemoryDirectoryOptions = {}) {
    for (const object of options.objects ?? []) {
      this.#objects.set(object.objectId.toLowerCase(), object);
      if (object.appId !== undefined && object.type !== "user") this.#byAppId.set(object.appId.toLowerCase(), object);
    }
    this.#owners = lowerKeys(options.owners);
    this.#roles = lowerKeys(options.roles);
  }

  getDirectoryObject(objectId: string): Promise<DirectoryObject | undefined> {
    return Promise.resolve(clone(this.#objects.get(objectId.toLowerCase())));
  }

  getServicePrincipalByAppId(appId: string): Promise<DirectoryObject | undefined> {
    return Promise.resolve(clone(this.#byAppId.get(appId.toLowerCase())));
  }

  listOwners(objectId: string): Promise<DirectoryObjectRef[]> {
    return Promise.resolve((this.#owners.get(objectId.toLowerCase()) ?? []).map((owner) => ({ ...owner })));
  }

  listDirectoryRoles(objectId: string): Promise<DirectoryRoleAssignment[]> {
    return Promise.resolve((this.#roles.get(objectId.toLowerCase()) ?? []).map((role) => ({ ...role })));
  }
}

function lowerKeys<T>(record: Readonly<Record<string, T>> | undefined): Map<string, T> {
  return new Map(Object.entries(record ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
}

function clone<T extends object>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : { ...value };
}
