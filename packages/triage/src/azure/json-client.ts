import type { TokenCredential } from "@azure/core-auth";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
  type HttpClient,
  type Pipeline,
  type PipelineOptions,
} from "@azure/core-rest-pipeline";
import { logger } from "./log.js";

/** Pipeline options for the Graph and service-tag clients (retries honour `Retry-After` on 429 and 503). */
export type AzureClientOptions = Pick<PipelineOptions, "retryOptions" | "userAgentOptions" | "proxyOptions" | "redirectOptions">;

export interface JsonRequestOptions {
  abortSignal?: AbortSignal;
  headers?: Record<string, string>;
}

/**
 * A small JSON-over-HTTPS client on the Azure core pipeline: bearer tokens for one scope, the SDK's retry policies
 * (throttling with `Retry-After`, exponential back-off, system errors), logging. Non-2xx answers become `RestError`
 * with the service's error code and message.
 */
export class JsonClient {
  readonly #pipeline: Pipeline;
  readonly #httpClient: HttpClient;
  readonly #origin: string;

  constructor(credential: TokenCredential, scope: string, endpoint: string, options: AzureClientOptions = {}) {
    this.#pipeline = createPipelineFromOptions({
      ...options,
      userAgentOptions: { userAgentPrefix: options.userAgentOptions?.userAgentPrefix ?? "keywarden-triage" },
      loggingOptions: { logger: logger.info },
    });
    this.#pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: scope }));
    this.#httpClient = createDefaultHttpClient();
    this.#origin = new URL(endpoint).origin;
  }

  /** GETs a JSON document; `undefined` for 404 when `allowNotFound`. Refuses URLs outside the endpoint's origin. */
  async get<T>(url: string, options: JsonRequestOptions & { allowNotFound?: boolean } = {}): Promise<T | undefined> {
    if (new URL(url).origin !== this.#origin) {
      throw new RestError(`Refusing to send a token to ${new URL(url).origin}: only ${this.#origin} is expected.`, {
        code: "UnexpectedHost",
      });
    }
    const request = createPipelineRequest({ url, method: "GET" });
    if (options.abortSignal !== undefined) request.abortSignal = options.abortSignal;
    request.headers.set("Accept", "application/json");
    for (const [name, value] of Object.entries(options.headers ?? {})) request.headers.set(name, value);
    const response = await this.#pipeline.sendRequest(this.#httpClient, request);
    if (response.status === 404 && options.allowNotFound === true) return undefined;
    const body = parseBody(response.bodyAsText);
    if (response.status < 200 || response.status >= 300) {
      const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      const code = typeof error?.code === "string" ? error.code : undefined;
      const message = typeof error?.message === "string" ? error.message : `HTTP ${response.status}`;
      throw new RestError(`${message} (GET ${new URL(url).pathname})`, {
        statusCode: response.status,
        request,
        response,
        ...(code === undefined ? {} : { code }),
      });
    }
    return body as T;
  }

  /** Follows `@odata.nextLink` / `nextLink` pages and returns every item. */
  async getAll<T>(url: string, options: JsonRequestOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = url;
    while (next !== undefined) {
      const page: { value?: T[]; nextLink?: string; "@odata.nextLink"?: string } | undefined = await this.get(next, options);
      items.push(...(page?.value ?? []));
      next = page?.["@odata.nextLink"] ?? page?.nextLink ?? undefined;
    }
    return items;
  }
}

function parseBody(text: string | null | undefined): unknown {
  if (text === undefined || text === null || text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
