/**
 * Responses whose body text and headers are also kept as plain values, so the fast-path `HttpClient` hands them to
 * the SDK pipeline without reading a `Response` stream or iterating `Headers` (both cost more than the rest of a
 * Key Vault GET). The `Response` itself stays complete for msw and for anyone reading it normally.
 */
interface PlainParts {
  readonly text: string;
  readonly headers: Readonly<Record<string, string>>;
}

const PLAIN = new WeakMap<Response, PlainParts>();

export function plainResponse(status: number, headers: Record<string, string>, text: string | null): Response {
  const response = new Response(text, { status, headers });
  PLAIN.set(response, { text: text ?? "", headers });
  return response;
}

export function plainJsonResponse(status: number, headers: Record<string, string>, body: unknown): Response {
  return plainResponse(status, { "content-type": "application/json", ...headers }, JSON.stringify(body));
}

/** The plain parts of a response made by `plainResponse`, else `undefined` (read the `Response` itself). */
export function plainPartsOf(response: Response): PlainParts | undefined {
  return PLAIN.get(response);
}
