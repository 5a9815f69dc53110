import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { createHttpHeaders, RestError, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";

import { plainPartsOf, toFetchResponse } from "./plain-response.js";

type Dispatch = (request: Request) => Promise<Response>;

/**
 * The `Request` the tenant's handlers read (url, method, headers.get/has, text/json), backed by the pipeline request
 * itself: building an undici `Request` costs more than answering a Key Vault GET. Bodies are strings here.
 */
class PipelineBackedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: { get(name: string): string | null; has(name: string): boolean };
  readonly #body: string;
  constructor(request: PipelineRequest, body: string) {
    this.url = request.url;
    this.method = request.method;
    const source = request.headers;
    this.headers = { get: (name) => source.get(name) ?? null, has: (name) => source.has(name) };
    this.#body = body;
  }
  text(): Promise<string> {
    return Promise.resolve(this.#body);
  }
  json(): Promise<unknown> {
    // A body that is not JSON rejects like `Request.json()` does (the handlers answer 400 for it).
    return this.text().then((text) => JSON.parse(text) as unknown);
  }
}

/** Hosts whose handlers read only url, method, headers and text (the Key Vault data plane). */
const LIGHT_HOST = /^https:\/\/[0-9a-z-]+\.vault\.azure\.net(:443)?\//iu;

function abortError(): Error {
  const error = new Error("The operation was aborted.");
  error.name = "AbortError";
  return error;
}

/** The request body as `fetch` takes it; the Azure SDK clients send strings (JSON) or bytes. */
function bodyOf(request: PipelineRequest): string | ArrayBuffer | Blob | Uint8Array | undefined {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof ArrayBuffer || body instanceof Blob) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new RestError(
    "The fake Azure tenant's httpClient takes string, Blob and byte bodies; this request has a stream or form body. Send it through msw (tenant.listen()) instead.",
    { code: RestError.REQUEST_SEND_ERROR, request },
  );
}

/**
 * A core-rest-pipeline `HttpClient` that answers every request from the tenant's handlers in-process: no msw, no
 * interception of `http`/`fetch`, no socket. The gate still runs (call log, faults, throttling), so what a client
 * sees is the same as through msw; only the transport is gone. An injected connection reset is a `RestError` with
 * code `ECONNRESET`, as Node's own client reports a real one.
 */
export function createFakeHttpClient(dispatch: Dispatch): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      if (request.abortSignal?.aborted) throw abortError();
      const body = bodyOf(request);
      let fetchRequest: Request;
      if (LIGHT_HOST.test(request.url) && (body === undefined || typeof body === "string")) {
        fetchRequest = new PipelineBackedRequest(request, body ?? "") as unknown as Request;
      } else {
        const headers = new Headers();
        for (const [name, value] of request.headers) headers.set(name, value);
        fetchRequest = new Request(request.url, { method: request.method, headers, ...(body === undefined ? {} : { body }) });
      }
      const response = await dispatch(fetchRequest);
      if (request.abortSignal?.aborted) throw abortError();
      if (response.type === "error") {
        // The code Node's HttpClient passes on for a reset socket, which the SDK's retry policy retries.
        throw new RestError(`Connection reset by the fake Azure tenant (an injected fault) for ${request.method} ${request.url}.`, {
          code: "ECONNRESET",
          request,
        });
      }
      const plain = plainPartsOf(response);
      const responseHeaders = createHttpHeaders(plain?.headers);
      if (plain === undefined) response.headers.forEach((value, name) => responseHeaders.set(name, value));
      const result: PipelineResponse = { request, status: response.status, headers: responseHeaders };
      const streamed = request.streamResponseStatusCodes?.has(response.status) === true || request.streamResponseStatusCodes?.has(Number.POSITIVE_INFINITY) === true;
      const stream = streamed ? toFetchResponse(response).body : null;
      if (stream !== null) {
        result.readableStreamBody = Readable.fromWeb(stream as WebReadableStream<Uint8Array>);
      } else {
        result.bodyAsText = plain === undefined ? await response.text() : plain.text;
      }
      return result;
    },
  };
}
