import { isNotFound } from "@keywarden/core";
import type { ObjectTarget } from "../plan/remediation-plan.js";
import type { RemediationClients } from "./remediation-clients.js";

/** A version's attributes (never its value). */
export interface VersionInfo {
  version: string;
  enabled: boolean;
  createdOn?: string;
  tags?: Record<string, string>;
  recoveryLevel?: string;
  contentType?: string;
}

export interface DeletedInfo {
  recoveryLevel?: string;
  scheduledPurgeDate?: string;
}

type Signal = { abortSignal: AbortSignal };

/**
 * The data-plane operations the actions need, the same for secrets, keys and certificates. Reads never return a
 * secret's value: versions are listed through the `versions` endpoints, which carry attributes only.
 */
export interface ObjectStore {
  readonly type: ObjectTarget["type"];
  /** Every version's attributes; `undefined` when the object does not exist (deleted or never created). */
  listVersions(name: string, options: Signal): Promise<VersionInfo[] | undefined>;
  setEnabled(name: string, version: string, enabled: boolean, options: Signal): Promise<VersionInfo>;
  getDeleted(name: string, options: Signal): Promise<DeletedInfo | undefined>;
  /** Soft delete, waiting until the deleted object is readable. */
  delete(name: string, options: Signal): Promise<void>;
  purge(name: string, options: Signal): Promise<void>;
  /** Recover a soft-deleted object, waiting until it is readable again. */
  recover(name: string, options: Signal): Promise<void>;
}

async function orUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

interface CommonProperties {
  version?: string;
  enabled?: boolean;
  createdOn?: Date;
  tags?: Record<string, string>;
  recoveryLevel?: string;
  contentType?: string;
}

function toVersionInfo(properties: CommonProperties): VersionInfo {
  const info: VersionInfo = { version: properties.version ?? "", enabled: properties.enabled !== false };
  if (properties.createdOn !== undefined) info.createdOn = properties.createdOn.toISOString();
  if (properties.tags !== undefined && Object.keys(properties.tags).length > 0) info.tags = { ...properties.tags };
  if (properties.recoveryLevel !== undefined) info.recoveryLevel = properties.recoveryLevel;
  if (properties.contentType !== undefined) info.contentType = properties.contentType;
  return info;
}

function toDeletedInfo(deleted: { properties?: { recoveryLevel?: string }; recoveryLevel?: string; scheduledPurgeDate?: Date }): DeletedInfo {
  const info: DeletedInfo = {};
  const level = deleted.properties?.recoveryLevel ?? deleted.recoveryLevel;
  if (level !== undefined) info.recoveryLevel = level;
  if (deleted.scheduledPurgeDate !== undefined) info.scheduledPurgeDate = deleted.scheduledPurgeDate.toISOString();
  return info;
}

/** An empty version list means the object does not exist (the service answers 200 with no items or 404). */
const existing = (versions: VersionInfo[] | undefined) => (versions === undefined || versions.length === 0 ? undefined : versions);

export function objectStore(clients: RemediationClients, vaultUri: string, type: ObjectTarget["type"]): ObjectStore {
  const intervalInMs = clients.pollIntervalInMs;
  switch (type) {
    case "secret": {
      const client = clients.secrets(vaultUri);
      return {
        type,
        listVersions: async (name, { abortSignal }) =>
          existing((await orUndefined(() => collect(client.listPropertiesOfSecretVersions(name, { abortSignal }))))?.map(toVersionInfo)),
        setEnabled: async (name, version, enabled, { abortSignal }) =>
          toVersionInfo(await client.updateSecretProperties(name, version, { enabled, abortSignal })),
        getDeleted: async (name, { abortSignal }) => {
          const deleted = await orUndefined(() => client.getDeletedSecret(name, { abortSignal }));
          return deleted === undefined ? undefined : toDeletedInfo({ ...deleted.properties, properties: deleted.properties });
        },
        delete: async (name, { abortSignal }) => {
          const poller = await client.beginDeleteSecret(name, { abortSignal, intervalInMs });
          await poller.pollUntilDone({ abortSignal });
        },
        purge: (name, { abortSignal }) => client.purgeDeletedSecret(name, { abortSignal }),
        recover: async (name, { abortSignal }) => {
          const poller = await client.beginRecoverDeletedSecret(name, { abortSignal, intervalInMs });
          await poller.pollUntilDone({ abortSignal });
        },
      };
    }
    case "key": {
      const client = clients.keys(vaultUri);
      return {
        type,
        listVersions: async (name, { abortSignal }) =>
          existing((await orUndefined(() => collect(client.listPropertiesOfKeyVersions(name, { abortSignal }))))?.map(toVersionInfo)),
        setEnabled: async (name, version, enabled, { abortSignal }) =>
          toVersionInfo((await client.updateKeyProperties(name, version, { enabled, abortSignal })).properties),
        getDeleted: async (name, { abortSignal }) => {
          const deleted = await orUndefined(() => client.getDeletedKey(name, { abortSignal }));
          return deleted === undefined ? undefined : toDeletedInfo({ ...deleted.properties, properties: deleted.properties });
        },
        delete: async (name, { abortSignal }) => {
          const poller = await client.beginDeleteKey(name, { abortSignal, intervalInMs });
          await poller.pollUntilDone({ abortSignal });
        },
        purge: (name, { abortSignal }) => client.purgeDeletedKey(name, { abortSignal }),
        recover: async (name, { abortSignal }) => {
          const poller = await client.beginRecoverDeletedKey(name, { abortSignal, intervalInMs });
          await poller.pollUntilDone({ abortSignal });
        },
      };
    }
    case "certificate": {
      const client = clients.certificates(vaultUri);
      return {
        type,
        listVersions: async (name, { abortSignal }) =>
          existing((await orUndefined(() => collect(client.listPropertiesOfCertificateVersions(name, { abortSignal }))))?.map(toVersionInfo)),
        setEnabled: async (name, version, enabled, { abortSignal }) =>
          toVersionInfo((await client.updateCertificateProperties(name, version, { enabled, abortSignal })).properties),
        getDeleted: async (name, { abortSignal }) => {
          const deleted = await orUndefined(() => client.getDeletedCertificate(name, { abortSignal }));
          return deleted === undefined ? undefined : toDeletedInfo({ ...deleted.properties, properties: deleted.properties });
        },
        delete: async (name, { abortSignal }) => {
          const poller = await client.beginDeleteCertificate(name, { abortSignal, intervalInMs });
          await poller.pollUntilDone({ abortSignal });
        },
        purge: async (name, { abortSignal }) => {
          await client.purgeDeletedCertificate(name, { abortSignal });
        },
        recover: async (name, { abortSignal }) => {
          const poller = await client.beginRecoverDeletedCertificate(name, { abortSignal, intervalInMs });
          await poller.pollUntilDone({ abortSignal });
        },
      };
    }
  }
}
