import type { TokenCredential } from "@azure/core-auth";
import type { OperationOptions } from "@azure/core-client";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
} from "@azure/core-rest-pipeline";
import { createTracingClient, type TracingClient } from "@azure/core-tracing";
import type { AzureLogger } from "@azure/logger";
import { CoreError } from "../errors/core-error.js";
import { coreErrorCodes } from "../errors/core-error-codes.js";
import { withKeywardenUserAgent, type KeywardenClientOptions } from "./client-options.js";
import { requestTimeoutPolicy } from "./request-timeout-policy.js";

/** Who is calling: for the user agent, logs and spans. */
export interface JsonClientIdentity {
  /** The package short name, `triage` for `keywarden-triage`. */
  packageName: string;
  packageVersion: string;
  logger: AzureLogger;
}

/** A per-call option bag of {@link JsonClient}. */
export interface JsonRequestOptions extends OperationOptions {
  headers?: Record<string, string>;
  /** JSON request body (POST, PATCH, PUT). */
  body?: unknown;
  /** Answer `undefined` for a 404 instead of throwing. */
  allowNotFound?: boolean;
}

/**
 * A small JSON-over-HTTPS client on the Azure core pipeline for the endpoints no Azure SDK package covers (Graph,
 * service tags, the Log Analytics query API): bearer tokens for one scope, the SDK's retry policies (throttling
 * with `Retry-After`, exponential back-off), logging, a span per call, the Keywarden user agent. Refuses to send a
 * token to any origin but its endpoint's. Non-2xx answers become `RestError` with the service's code and message.
 */
export class JsonClient {
  readonly endpoint: string;
  readonly #pipeline: Pipeline;
  readonly #httpClient: HttpClient;
  readonly #origin: string;
  readonly #identity: JsonClientIdentity;
  readonly #tracing: TracingClient;

  constructor(credential: TokenCredential, scope: string, endpoint: string, identity: JsonClientIdentity, options: KeywardenClientOptions = {}) {
    const withAgent = withKeywardenUserAgent(options, identity.packageName, identity.packageVersion);
    this.#pipeline = createPipelineFromOptions({ ...withAgent, loggingOptions: { logger: identity.logger.verbose } });
    this.#pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: scope }));
    if (options.requestTimeoutInMs !== undefined) this.#pipeline.addPolicy(requestTimeoutPolicy(options.requestTimeoutInMs), { afterPhase: "Retry" });
    for (const { policy, position } of options.additionalPolicies ?? []) {
      this.#pipeline.addPolicy(policy, { afterPhase: position === "perCall" ? undefined : "Retry" });
    }
    this.#httpClient = options.httpClient ?? createDefaultHttpClient();
    this.endpoint = endpoint.replace(/\/+$/, "");
    this.#origin = new URL(endpoint).origin;
    this.#identity = identity;
    this.#tracing = createTracingClient({
      namespace: "Keywarden",
      packageName: `@keywarden/${identity.packageName}`,
      packageVersion: identity.packageVersion,
    });
  }

  /** GETs a JSON document (`url` absolute on the endpoint's origin, or a path below the endpoint). */
  get<T>(url: string, options: JsonRequestOptions = {}): Promise<T | undefined> {
    return this.send<T>("GET", url, options);
  }

  /** Sends one request and parses the JSON answer. */
  async send<T>(method: HttpMethods, url: string, options: JsonRequestOptions = {}): Promise<T | undefined> {
    const absolute = url.startsWith("https://") || url.startsWith("http://") ? url : `${this.endpoint}${url.startsWith("/") ? "" : "/"}${url}`;
    const target = new URL(absolute);
    if (target.origin !== this.#origin) {
      throw new CoreError(
        coreErrorCodes.unexpectedHost,
        `Refusing to send a token to ${target.origin}: this client only talks to ${this.#origin}. Follow only links the service returned for its own host.`,
      );
    }
    return this.#tracing.withSpan(`JsonClient.${method}`, options, async (updatedOptions) => {
      const request = createPipelineRequest({ url: absolute, method, abortSignal: updatedOptions.abortSignal, tracingOptions: updatedOptions.tracingOptions });
      if (updatedOptions.requestOptions?.timeout !== undefined) request.timeout = updatedOptions.requestOptions.timeout;
      request.headers.set("Accept", "application/json");
      for (const [name, value] of Object.entries(options.headers ?? {})) request.headers.set(name, value);
      if (options.body !== undefined) {
        request.headers.set("Content-Type", "application/json");
        request.body = JSON.stringify(options.body);
      }
      this.#identity.logger.info(`${method} ${target.pathname}`);
      const response = await this.#pipeline.sendRequest(this.#httpClient, request);
      if (response.status === 404 && options.allowNotFound === true) return undefined;
      const body = parseBody(response.bodyAsText ?? undefined);
      if (response.status < 200 || response.status >= 300) {
        const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
        const code = typeof error?.code === "string" ? error.code : undefined;
        const message = typeof error?.message === "string" ? error.message : `HTTP ${response.status}`;
        throw new RestError(`${message} (${method} ${target.pathname})`, {
          statusCode: response.status,
          request,
          response,
          ...(code === undefined ? {} : { code }),
        });
      }
      return body as T;
    });
  }

  /** Follows `@odata.nextLink` / `nextLink` pages (on the same origin) and returns every item. */
  async getAll<T>(url: string, options: JsonRequestOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | null | undefined = url;
    while (next !== undefined && next !== null) {
      const page: { value?: T[]; nextLink?: string | null; "@odata.nextLink"?: string | null } | undefined = await this.get(next, options);
      for (const item of page?.value ?? []) items.push(item);
      next = page?.["@odata.nextLink"] ?? page?.nextLink ?? undefined;
    }
    return items;
  }
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
