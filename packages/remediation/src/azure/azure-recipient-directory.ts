import type { TokenCredential } from "@azure/core-auth";
import { JsonClient, type KeywardenClientOptions } from "@keywarden/core";
import { logger, remediationIdentity } from "../log.js";
import type { DirectoryContact, RecipientDirectory, RecipientVault } from "../recipients/recipient-directory.js";
import type { GraphDirectoryObject } from "./graph-client.js";
import { RemediationClients } from "./remediation-clients.js";

/** The Defender for Cloud api-version with `emails` and `isEnabled` (the `arm-security` 5 client sends 2017-08-01-preview). */
export const SECURITY_CONTACTS_API_VERSION = "2023-12-01-preview";

export interface AzureRecipientDirectoryOptions {
  credential: TokenCredential;
  clientOptions?: KeywardenClientOptions;
  /** Default `https://management.azure.com`. */
  armEndpoint?: string;
  /** Default `https://graph.microsoft.com/v1.0`. */
  graphEndpoint?: string;
}

function contactOf(object: GraphDirectoryObject): DirectoryContact {
  const contact: DirectoryContact = { objectId: object.id };
  const type = object["@odata.type"]?.replace(/^#microsoft\.graph\./u, "");
  if (type !== undefined) contact.type = type;
  if (typeof object.displayName === "string") contact.displayName = object.displayName;
  if (typeof object.mail === "string" && object.mail !== "") contact.mail = object.mail;
  if (typeof object.userPrincipalName === "string") contact.userPrincipalName = object.userPrincipalName;
  return contact;
}

interface SecurityContactResource {
  properties?: { emails?: string; isEnabled?: boolean };
}

/**
 * The {@link RecipientDirectory} of a real tenant: vault tags through the Key Vault management client, managers and
 * owners through Microsoft Graph, security contacts through ARM (`Microsoft.Security/securityContacts`).
 * Needs Reader on the vault and subscription (security contacts: Security Reader) and Graph `User.Read.All` +
 * `Application.Read.All`.
 */
export class AzureRecipientDirectory implements RecipientDirectory {
  readonly #clients: RemediationClients;
  readonly #arm: JsonClient;

  constructor(options: AzureRecipientDirectoryOptions) {
    const armEndpoint = (options.armEndpoint ?? "https://management.azure.com").replace(/\/+$/u, "");
    this.#clients = new RemediationClients({
      credential: options.credential,
      armEndpoint,
      ...(options.clientOptions === undefined ? {} : { clientOptions: options.clientOptions }),
      ...(options.graphEndpoint === undefined ? {} : { graphEndpoint: options.graphEndpoint }),
    });
    this.#arm = new JsonClient(options.credential, `${armEndpoint}/.default`, armEndpoint, remediationIdentity, options.clientOptions ?? {});
  }

  async vaultTags(vault: RecipientVault, options: { abortSignal?: AbortSignal } = {}): Promise<Readonly<Record<string, string>> | undefined> {
    const resource = await this.#clients.keyVaultManagement(vault.subscriptionId).vaults.get(vault.resourceGroup, vault.name, options);
    return resource.tags;
  }

  async managerOf(userObjectId: string, options: { abortSignal?: AbortSignal } = {}): Promise<DirectoryContact | undefined> {
    const manager = await this.#clients.graph().getManager(userObjectId, options);
    return manager === undefined ? undefined : contactOf(manager);
  }

  async applicationOwners(appId: string, options: { abortSignal?: AbortSignal } = {}): Promise<DirectoryContact[]> {
    return (await this.#clients.graph().listApplicationOwners(appId, options)).map(contactOf);
  }

  async servicePrincipalOwners(servicePrincipalObjectId: string, options: { abortSignal?: AbortSignal } = {}): Promise<DirectoryContact[]> {
    return (await this.#clients.graph().listServicePrincipalOwners(servicePrincipalObjectId, options)).map(contactOf);
  }

  async securityContacts(subscriptionId: string, options: { abortSignal?: AbortSignal } = {}): Promise<string[]> {
    const contacts = await this.#arm.getAll<SecurityContactResource>(
      `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Security/securityContacts?api-version=${SECURITY_CONTACTS_API_VERSION}`,
      options,
    );
    const addresses = contacts
      .filter((contact) => contact.properties?.isEnabled !== false)
      .flatMap((contact) => (contact.properties?.emails ?? "").split(/[;,]/u))
      .map((address) => address.trim())
      .filter((address) => address !== "");
    logger.verbose(`security contacts of subscription ${subscriptionId}: ${addresses.length}`);
    return addresses;
  }
}
