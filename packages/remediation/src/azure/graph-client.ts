import type { TokenCredential } from "@azure/core-auth";
import { JsonClient, type KeywardenClientOptions, type OperationOptions } from "@keywarden/core";
import { logger, remediationIdentity } from "../log.js";
import { tracingClient } from "../tracing.js";

export interface GraphClientOptions extends KeywardenClientOptions {
  /** Default `https://graph.microsoft.com/v1.0`. */
  endpoint?: string;
}

/**
 * The few Microsoft Graph calls remediation makes, on core's {@link JsonClient} (auth, logging, tracing, user agent).
 * The engine retries and budgets requests itself, so the pipeline's own retries are off unless `retryOptions` is set.
 */
export class GraphClient {
  readonly #client: JsonClient;

  constructor(credential: TokenCredential, options: GraphClientOptions = {}) {
    const { endpoint = "https://graph.microsoft.com/v1.0", ...clientOptions } = options;
    const scope = `${new URL(endpoint).origin}/.default`;
    this.#client = new JsonClient(credential, scope, endpoint, remediationIdentity, {
      ...clientOptions,
      retryOptions: clientOptions.retryOptions ?? { maxRetries: 0 },
    });
  }

  /**
   * `POST /users/{id}/revokeSignInSessions`: invalidates the user's refresh tokens and session cookies.
   * Access tokens already issued stay valid until they expire (about an hour).
   */
  revokeSignInSessions(userId: string, options: OperationOptions = {}): Promise<boolean> {
    return tracingClient.withSpan("GraphClient.revokeSignInSessions", options, async (updated) => {
      const body = await this.#client.send<{ value?: boolean }>("POST", `/users/${encodeURIComponent(userId)}/revokeSignInSessions`, { ...updated, body: {} });
      logger.verbose(`sign-in sessions of ${userId}: ${body?.value === true ? "revoked" : "Graph did not confirm the revocation"}`);
      return body?.value === true;
    });
  }

  /** `GET /users/{id}?$select=signInSessionsValidFromDateTime`: tokens issued before this time are revoked. */
  getSignInSessionsValidFrom(userId: string, options: OperationOptions = {}): Promise<string | undefined> {
    return tracingClient.withSpan("GraphClient.getSignInSessionsValidFrom", options, async (updated) => {
      const body = await this.#client.get<{ signInSessionsValidFromDateTime?: string | null }>(
        `/users/${encodeURIComponent(userId)}?$select=id,signInSessionsValidFromDateTime`,
        updated,
      );
      return body?.signInSessionsValidFromDateTime ?? undefined;
    });
  }

  /** `GET /users/{id}/manager`: the user's manager, or undefined when none is set (Graph answers 404). */
  getManager(userId: string, options: OperationOptions = {}): Promise<GraphDirectoryObject | undefined> {
    return tracingClient.withSpan("GraphClient.getManager", options, (updated) =>
      this.#client.get<GraphDirectoryObject>(`/users/${encodeURIComponent(userId)}/manager?$select=id,displayName,mail,userPrincipalName`, {
        ...updated,
        allowNotFound: true,
      }),
    );
  }

  /** `GET /applications(appId='{appId}')/owners`: the app registration's owners; none when it is not registered here. */
  listApplicationOwners(appId: string, options: OperationOptions = {}): Promise<GraphDirectoryObject[]> {
    return tracingClient.withSpan("GraphClient.listApplicationOwners", options, async (updated) => {
      const key = encodeURIComponent(appId.replaceAll("'", "''"));
      return this.#ownersOrNone(`/applications(appId='${key}')/owners?$select=id,displayName,mail,userPrincipalName`, updated);
    });
  }

  /** `GET /servicePrincipals/{id}/owners`. */
  listServicePrincipalOwners(servicePrincipalId: string, options: OperationOptions = {}): Promise<GraphDirectoryObject[]> {
    return tracingClient.withSpan("GraphClient.listServicePrincipalOwners", options, (updated) =>
      this.#ownersOrNone(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/owners?$select=id,displayName,mail,userPrincipalName`, updated),
    );
  }

  /**
   * `POST /users/{mailbox}/sendMail` (202 Accepted): sends a plain-text message from the mailbox (needs `Mail.Send`).
   * Not saved to Sent Items unless asked: the journal is the record.
   */
  sendMail(mailbox: string, message: GraphMailMessage, options: OperationOptions & { saveToSentItems?: boolean } = {}): Promise<void> {
    return tracingClient.withSpan("GraphClient.sendMail", options, async (updated) => {
      await this.#client.send("POST", `/users/${encodeURIComponent(mailbox)}/sendMail`, {
        ...updated,
        body: {
          message: {
            subject: message.subject,
            body: { contentType: "Text", content: message.text },
            toRecipients: message.to.map((address) => ({ emailAddress: { address } })),
          },
          saveToSentItems: options.saveToSentItems ?? false,
        },
      });
    });
  }

  async #ownersOrNone(path: string, options: OperationOptions): Promise<GraphDirectoryObject[]> {
    try {
      return await this.#client.getAll<GraphDirectoryObject>(path, options);
    } catch (error) {
      // An application registered in another tenant has no application object here: it has no owners to ask.
      if ((error as { statusCode?: unknown }).statusCode === 404) return [];
      throw error;
    }
  }
}

/** The fields of a Graph directory object (user, service principal) recipient resolution reads. */
export interface GraphDirectoryObject {
  id: string;
  "@odata.type"?: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
}

/** A plain-text e-mail for {@link GraphClient.sendMail}. */
export interface GraphMailMessage {
  subject: string;
  text: string;
  to: string[];
}
