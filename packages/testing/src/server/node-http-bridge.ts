import type { IncomingMessage, ServerResponse } from "node:http";
import { createHttpHeaders, createPipelineRequest, RestError, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import type { FakeAzure } from "../create-fake-azure.js";

/** Hop-by-hop headers (RFC 9110 §7.6.1) and `host`, which the URL carries: never handed to the tenant. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "host"]);

async function bodyOf(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The fetch `Request` for an incoming request to `https://{host}{message.url}`. */
export async function requestOf(message: IncomingMessage, host: string): Promise<Request> {
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? "";
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.append(name, raw[i + 1] ?? "");
  }
  const method = message.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const body = hasBody ? await bodyOf(message) : undefined;
  // `message.url` is origin-form (`/path?query`); anything else (absolute-form, `*`) is not addressed to a service.
  const path = message.url?.startsWith("/") ? message.url : `/${message.url ?? ""}`;
  return new Request(`https://${host}${path}`, { method, headers, ...(body === undefined || body.length === 0 ? {} : { body }) });
}

/** Writes a fetch `Response` to the wire (its body in one piece: the fake's bodies are small and complete). */
export async function writeResponse(response: Response, out: ServerResponse, method: string): Promise<void> {
  const body = method === "HEAD" || response.status === 204 || response.status === 304 ? Buffer.alloc(0) : Buffer.from(await response.arrayBuffer());
  // A flat [name, value, ...] list: header names never index an object.
  const headers: string[] = [];
  response.headers.forEach((value, name) => {
    // The body is already decoded and re-measured here; set-cookie is listed one by one below.
    if (name === "content-length" || name === "content-encoding" || name === "set-cookie" || HOP_BY_HOP.has(name)) return;
    headers.push(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push("set-cookie", cookie);
  headers.push("content-length", String(body.length));
  out.writeHead(response.status, headers);
  out.end(body);
}

/** The core-rest-pipeline request for an incoming request to `https://{host}{message.url}` (body as text). */
export async function pipelineRequestOf(message: IncomingMessage, host: string): Promise<PipelineRequest> {
  const headers = createHttpHeaders();
  const raw = message.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? "";
    if (HOP_BY_HOP.has(name.toLowerCase())) continue;
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? (raw[i + 1] ?? "") : `${previous}, ${raw[i + 1] ?? ""}`);
  }
  const method = (message.method ?? "GET") as PipelineRequest["method"];
  const body = method === "GET" || method === "HEAD" ? undefined : await bodyOf(message);
  const path = message.url?.startsWith("/") ? message.url : `/${message.url ?? ""}`;
  return createPipelineRequest({
    url: `https://${host}${path}`,
    method,
    headers,
    // Text keeps the tenant on its light path; anything that is not UTF-8 is passed on as bytes.
    ...(body === undefined || body.length === 0 ? {} : { body: isUtf8(body) ? body.toString("utf8") : new Uint8Array(body) }),
  });
}

function isUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString("utf8"), "utf8").equals(bytes);
}

/** The tenant's answer through `tenant.httpClient`, or `"reset"` for an injected connection reset. */
export async function sendThroughTenant(tenant: FakeAzure, request: PipelineRequest): Promise<PipelineResponse | "reset"> {
  try {
    return await tenant.httpClient.sendRequest(request);
  } catch (error) {
    if (error instanceof RestError && error.code === "ECONNRESET") return "reset";
    throw error;
  }
}

export function writePipelineResponse(response: PipelineResponse, out: ServerResponse, method: string): void {
  const text = method === "HEAD" || response.status === 204 || response.status === 304 ? "" : (response.bodyAsText ?? "");
  const headers: string[] = [];
  for (const [name, value] of response.headers) {
    if (name === "content-length" || name === "content-encoding" || HOP_BY_HOP.has(name)) continue;
    headers.push(name, value);
  }
  headers.push("content-length", String(Buffer.byteLength(text)));
  out.writeHead(response.status, headers);
  out.end(text);
}
