import type { TokenCredential } from "@azure/core-auth";
import type { AzureClientOptions } from "./azure-client-options.js";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
  type HttpClient,
  type Pipeline,
} from "@azure/core-rest-pipeline";

export interface GraphClientOptions {
  /** Default `https://graph.microsoft.com/v1.0`. */
  endpoint?: string;
  clientOptions?: AzureClientOptions;
}

/** The few Microsoft Graph calls remediation makes, over the Azure core pipeline (auth, logging, tracing). */
export class GraphClient {
  readonly #pipeline: Pipeline;
  readonly #httpClient: HttpClient;
  readonly #endpoint: string;

  constructor(credential: TokenCredential, options: GraphClientOptions = {}) {
    this.#endpoint = (options.endpoint ?? "https://graph.microsoft.com/v1.0").replace(/\/+$/, "");
    const scope = `${new URL(this.#endpoint).origin}/.default`;
    this.#pipeline = createPipelineFromOptions({ ...options.clientOptions, retryOptions: options.clientOptions?.retryOptions ?? { maxRetries: 0 } });
    this.#pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: scope }));
    this.#httpClient = options.clientOptions?.httpClient ?? createDefaultHttpClient();
  }

  /**
   * `POST /users/{id}/revokeSignInSessions`: invalidates the user's refresh tokens and session cookies.
   * Access tokens already issued stay valid until they expire (about an hour).
   */
  async revokeSignInSessions(userId: string, options: { abortSignal?: AbortSignal } = {}): Promise<boolean> {
    const body = (await this.#send("POST", `/users/${encodeURIComponent(userId)}/revokeSignInSessions`, options.abortSignal)) as { value?: boolean } | undefined;
    return body?.value === true;
  }

  /** `GET /users/{id}?$select=signInSessionsValidFromDateTime`: tokens issued before this time are revoked. */
  async getSignInSessionsValidFrom(userId: string, options: { abortSignal?: AbortSignal } = {}): Promise<string | undefined> {
    const body = (await this.#send("GET", `/users/${encodeURIComponent(userId)}?$select=id,signInSessionsValidFromDateTime`, options.abortSignal)) as
      | { signInSessionsValidFromDateTime?: string | null }
      | undefined;
    return body?.signInSessionsValidFromDateTime ?? undefined;
  }

  async #send(method: "GET" | "POST", path: string, abortSignal: AbortSignal | undefined): Promise<unknown> {
    const request = createPipelineRequest({ url: `${this.#endpoint}${path}`, method, abortSignal });
    request.headers.set("Accept", "application/json");
    if (method === "POST") {
      request.headers.set("Content-Type", "application/json");
      request.body = "{}";
    }
    const response = await this.#pipeline.sendRequest(this.#httpClient, request);
    const text = response.bodyAsText ?? "";
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.status >= 400) {
      const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
      const restError = new RestError(
        `Microsoft Graph ${method} ${path} failed with ${response.status}${error?.code === undefined ? "" : ` ${error.code}`}: ${error?.message ?? "no message"}`,
        { statusCode: response.status, request, response, ...(error?.code === undefined ? {} : { code: error.code }) },
      );
      restError.details = body;
      throw restError;
    }
    return body;
  }
}
