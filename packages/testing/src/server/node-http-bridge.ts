import type { IncomingMessage, ServerResponse } from "node:http";

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
