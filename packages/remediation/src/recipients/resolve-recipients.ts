import type { TriageReport } from "@keywarden/triage";
import type { DirectoryContact, RecipientDirectory, RecipientSource, RecipientVault } from "./recipient-directory.js";

/** One person a task goes to, and why: where the address was found. */
export interface ResolvedRecipient {
  /** An SMTP address (`mail`, else the user principal name). */
  address: string;
  source: RecipientSource;
  /** Where exactly, in words: `tag "owner" on vault kv-payments`, `manager of dana@contoso.com`. */
  detail: string;
  displayName?: string;
  objectId?: string;
}

/** Who one kind of task goes to. */
export interface TaskRecipients {
  /** In resolution order, each address once (the first source that named it wins). */
  recipients: ResolvedRecipient[];
  /** Addresses a source named that belong to the suspected principal: never told about its own alert. */
  excluded: ResolvedRecipient[];
  /** Lookups that failed or gave nothing usable (a tag value that is not an address, a Graph 403), in words. */
  notes: string[];
}

/** The resolution for both task kinds, as `planResponse` takes it (`policy.resolvedRecipients`). */
export interface RecipientResolution {
  "contact-owner": TaskRecipients;
  "escalate-to-admin": TaskRecipients;
}

export type RecipientTaskKind = keyof RecipientResolution;

export interface ResolveRecipientsOptions {
  /**
   * Vault tag names that hold owner addresses, in order (compared case-insensitively, as Azure compares tag names).
   * Default `["owner", "contact"]`.
   */
  ownerTags?: string[];
  /**
   * Which sources each task kind asks, in order. Default: every source for `contact-owner`; the manager and the
   * security contacts for `escalate-to-admin` (a vault's owner does not decide on directory roles).
   */
  sources?: Partial<Record<RecipientTaskKind, RecipientSource[]>>;
  /** Addresses used when the tenant names nobody for a task. */
  fallbacks?: { owner?: string[]; admin?: string[] };
  abortSignal?: AbortSignal;
}

export const DEFAULT_OWNER_TAGS: readonly string[] = ["owner", "contact"];
export const DEFAULT_RECIPIENT_SOURCES: Readonly<Record<RecipientTaskKind, readonly RecipientSource[]>> = {
  "contact-owner": ["vault-tag", "manager", "application-owner", "service-principal-owner", "security-contact", "fallback"],
  "escalate-to-admin": ["manager", "security-contact", "fallback"],
};

const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]+$/u;

/** Whether `value` is a plain SMTP address (no display name, no spaces): the only thing a recipient may be. */
export function isMailAddress(value: string): boolean {
  return value.length <= 254 && ADDRESS.test(value);
}

interface Subject {
  vault: RecipientVault | undefined;
  principal: { objectId?: string; type: string; appId?: string; mail?: string; userPrincipalName?: string; displayName?: string; inTenant: boolean };
  application: { objectId?: string; appId?: string; inTenant: boolean } | undefined;
}

function subjectOf(triage: TriageReport): Subject {
  const { vault, principal, application } = triage.source;
  return {
    vault: vault.resourceId === "" ? undefined : { resourceId: vault.resourceId, subscriptionId: vault.subscriptionId, resourceGroup: vault.resourceGroup, name: vault.name },
    principal: {
      type: principal.type,
      inTenant: principal.membership === "in-tenant",
      ...(principal.objectId === undefined ? {} : { objectId: principal.objectId }),
      ...(principal.appId === undefined ? {} : { appId: principal.appId }),
      ...(principal.mail === undefined ? {} : { mail: principal.mail }),
      ...(principal.userPrincipalName === undefined ? {} : { userPrincipalName: principal.userPrincipalName }),
      ...(principal.displayName === undefined ? {} : { displayName: principal.displayName }),
    },
    application:
      application === undefined
        ? undefined
        : {
            inTenant: application.membership === "in-tenant",
            ...(application.objectId === undefined ? {} : { objectId: application.objectId }),
            ...(application.appId === undefined ? {} : { appId: application.appId }),
          },
  };
}

function describeError(error: unknown): string {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const message = error instanceof Error ? error.message : String(error);
  return typeof status === "number" ? `${status} ${message}` : message;
}

/**
 * Finds who to tell about an alert, from the tenant, in order: the vault's owner tags, the principal's manager,
 * the owners of the application and service principal involved, the subscription's Defender for Cloud security
 * contacts, then the configured fallbacks (only when nobody else was found). Every recipient records where it came
 * from. The suspected principal is never a recipient of a task about its own access: its addresses are moved to
 * `excluded`. A failed lookup is a note, not an error: the other sources still count.
 */
export async function resolveRecipients(triage: TriageReport, directory: RecipientDirectory, options: ResolveRecipientsOptions = {}): Promise<RecipientResolution> {
  const subject = subjectOf(triage);
  const tagNames = (options.ownerTags ?? DEFAULT_OWNER_TAGS).map((name) => name.toLowerCase());
  const signal = options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal };
  const cache = new Map<RecipientSource, Promise<{ found: ResolvedRecipient[]; notes: string[] }>>();

  const lookup = (source: RecipientSource, kind: RecipientTaskKind): Promise<{ found: ResolvedRecipient[]; notes: string[] }> => {
    // Fallbacks differ per kind; every tenant source is asked once for both kinds.
    if (source === "fallback") return Promise.resolve(fallbacksFor(kind));
    let pending = cache.get(source);
    if (pending === undefined) {
      pending = ask(source).catch((error: unknown) => ({ found: [], notes: [`${source} lookup failed: ${describeError(error)}`] }));
      cache.set(source, pending);
    }
    return pending;
  };

  const fallbacksFor = (kind: RecipientTaskKind) => {
    const configured = (kind === "contact-owner" ? options.fallbacks?.owner : options.fallbacks?.admin) ?? [];
    const notes: string[] = [];
    const found: ResolvedRecipient[] = [];
    for (const address of configured) {
      if (isMailAddress(address)) found.push({ address, source: "fallback", detail: `configured fallback for ${kind}` });
      else notes.push(`configured fallback "${address}" is not an e-mail address; left out`);
    }
    return { found, notes };
  };

  const fromContacts = (contacts: readonly DirectoryContact[], source: RecipientSource, detail: string) => {
    const found: ResolvedRecipient[] = [];
    const notes: string[] = [];
    for (const contact of contacts) {
      const address = [contact.mail, contact.userPrincipalName].find((candidate) => candidate !== undefined && isMailAddress(candidate));
      const who = contact.displayName ?? contact.objectId ?? "an owner";
      if (address === undefined) {
        notes.push(`${detail}: ${who} (${contact.type ?? "directory object"}) has no e-mail address`);
        continue;
      }
      found.push({
        address,
        source,
        detail,
        ...(contact.displayName === undefined ? {} : { displayName: contact.displayName }),
        ...(contact.objectId === undefined ? {} : { objectId: contact.objectId }),
      });
    }
    return { found, notes };
  };

  const ask = async (source: Exclude<RecipientSource, "fallback">): Promise<{ found: ResolvedRecipient[]; notes: string[] }> => {
    const principal = subject.principal;
    const principalName = principal.userPrincipalName ?? principal.displayName ?? principal.objectId ?? "the principal";
    switch (source) {
      case "vault-tag": {
        if (subject.vault === undefined) return { found: [], notes: [] };
        const tags = (await directory.vaultTags(subject.vault, signal)) ?? {};
        const byName = new Map(Object.entries(tags).map(([name, value]) => [name.toLowerCase(), { name, value }]));
        const found: ResolvedRecipient[] = [];
        const notes: string[] = [];
        for (const wanted of tagNames) {
          const tag = byName.get(wanted);
          if (tag === undefined) continue;
          for (const value of tag.value.split(/[;,\s]+/u).filter((part) => part !== "")) {
            if (isMailAddress(value)) found.push({ address: value, source, detail: `tag "${tag.name}" on vault ${subject.vault.name}` });
            else notes.push(`tag "${tag.name}" on vault ${subject.vault.name} holds "${value}", not an e-mail address`);
          }
        }
        return { found, notes };
      }
      case "manager": {
        if (principal.type !== "user" || principal.objectId === undefined || !principal.inTenant) return { found: [], notes: [] };
        const manager = await directory.managerOf(principal.objectId, signal);
        return manager === undefined ? { found: [], notes: [`${principalName} has no manager in the directory`] } : fromContacts([manager], source, `manager of ${principalName}`);
      }
      case "application-owner": {
        const appIds = new Set<string>();
        if (principal.appId !== undefined && principal.inTenant) appIds.add(principal.appId);
        if (subject.application?.appId !== undefined && subject.application.inTenant) appIds.add(subject.application.appId);
        const found: ResolvedRecipient[] = [];
        const notes: string[] = [];
        for (const appId of appIds) {
          const result = fromContacts(await directory.applicationOwners(appId, signal), source, `owner of application ${appId}`);
          found.push(...result.found);
          notes.push(...result.notes);
        }
        return { found, notes };
      }
      case "service-principal-owner": {
        const ids = new Set<string>();
        const servicePrincipal = principal.type === "service-principal" || principal.type === "managed-identity";
        if (servicePrincipal && principal.objectId !== undefined && principal.inTenant) ids.add(principal.objectId);
        if (subject.application?.objectId !== undefined && subject.application.inTenant) ids.add(subject.application.objectId);
        const found: ResolvedRecipient[] = [];
        const notes: string[] = [];
        for (const id of ids) {
          const result = fromContacts(await directory.servicePrincipalOwners(id, signal), source, `owner of service principal ${id}`);
          found.push(...result.found);
          notes.push(...result.notes);
        }
        return { found, notes };
      }
      case "security-contact": {
        // Subscription ids are GUIDs: shown in their canonical lower case, whatever casing the alert used.
        const subscriptionId = subject.vault?.subscriptionId.toLowerCase();
        if (subscriptionId === undefined || subscriptionId === "") return { found: [], notes: [] };
        const addresses = await directory.securityContacts(subscriptionId, signal);
        const found: ResolvedRecipient[] = [];
        const notes: string[] = [];
        for (const address of addresses) {
          if (isMailAddress(address)) found.push({ address, source, detail: `Defender for Cloud security contact of subscription ${subscriptionId}` });
          else notes.push(`security contact "${address}" of subscription ${subscriptionId} is not an e-mail address`);
        }
        return { found, notes };
      }
    }
  };

  const suspected = new Set(
    [subject.principal.mail, subject.principal.userPrincipalName].filter((value): value is string => value !== undefined).map((value) => value.toLowerCase()),
  );
  const isSuspected = (recipient: ResolvedRecipient) =>
    suspected.has(recipient.address.toLowerCase()) ||
    (recipient.objectId !== undefined && subject.principal.objectId !== undefined && recipient.objectId.toLowerCase() === subject.principal.objectId.toLowerCase());

  const resolveKind = async (kind: RecipientTaskKind): Promise<TaskRecipients> => {
    const sources = options.sources?.[kind] ?? DEFAULT_RECIPIENT_SOURCES[kind];
    const recipients: ResolvedRecipient[] = [];
    const excluded: ResolvedRecipient[] = [];
    const notes: string[] = [];
    const seen = new Set<string>();
    for (const source of sources) {
      // Fallbacks stand in for the tenant; they are not added when the tenant named someone.
      if (source === "fallback" && recipients.length > 0) continue;
      const result = await lookup(source, kind);
      notes.push(...result.notes);
      for (const recipient of result.found) {
        const key = recipient.address.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        (isSuspected(recipient) ? excluded : recipients).push(recipient);
      }
    }
    return { recipients, excluded, notes: [...new Set(notes)] };
  };

  const contactOwner = await resolveKind("contact-owner");
  const escalate = await resolveKind("escalate-to-admin");
  return { "contact-owner": contactOwner, "escalate-to-admin": escalate };
}
