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
}
