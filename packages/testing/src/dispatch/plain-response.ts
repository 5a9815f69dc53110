/**
 * Key Vault responses as plain values. Building an undici `Response` costs more than the rest of answering a Key
 * Vault GET, so the data plane answers with a `PlainResponse` (the subset of `Response` the tenant itself reads) and
 * it becomes a real `Response` only where one leaves the tenant: to msw, and from `tenant.dispatch`. The fast-path
 * `HttpClient` hands the plain text and headers straight to the SDK pipeline.
 */
class PlainHeaders {
  readonly #values: ReadonlyMap<string, string>;
  constructor(record: Readonly<Record<string, string>>) {
    this.#values = new Map(Object.entries(record).map(([name, value]) => [name.toLowerCase(), value]));
  }
  get(name: string): string | null {
    return this.#values.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of this.#values) callback(value, name);
  }
}

export class PlainResponse {
  readonly type = "default";
  readonly status: number;
  readonly text: string;
  readonly headerRecord: Readonly<Record<string, string>>;
  #headers: PlainHeaders | undefined;
  constructor(status: number, headers: Record<string, string>, text: string) {
    this.status = status;
    this.headerRecord = headers;
    this.text = text;
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get headers(): PlainHeaders {
    this.#headers ??= new PlainHeaders(this.headerRecord);
    return this.#headers;
  }
  /** Immutable: a clone is the same value. */
  clone(): this {
    return this;
  }
  json(): Promise<unknown> {
    return Promise.resolve(this.text).then((text) => JSON.parse(text) as unknown);
  }
  toResponse(): Response {
    return new Response(this.status === 204 || this.status === 304 ? null : this.text, { status: this.status, headers: this.headerRecord });
  }
}

/** A response the data plane answers with; typed `Response` for its callers (only the fields above are read). */
export function plainResponse(status: number, headers: Record<string, string>, text: string | null): Response {
  return new PlainResponse(status, headers, text ?? "") as unknown as Response;
}

export function plainJsonResponse(status: number, headers: Record<string, string>, body: unknown): Response {
  return plainResponse(status, { "content-type": "application/json", ...headers }, JSON.stringify(body));
}

/** The plain parts of a `PlainResponse`, else `undefined` (read the `Response` itself). */
export function plainPartsOf(response: Response): { text: string; headers: Readonly<Record<string, string>> } | undefined {
  const candidate = response as unknown;
  return candidate instanceof PlainResponse ? { text: candidate.text, headers: candidate.headerRecord } : undefined;
}

/** A real `Response` for whatever leaves the tenant (msw, `tenant.dispatch`). */
export function toFetchResponse(response: Response): Response {
  const candidate = response as unknown;
  return candidate instanceof PlainResponse ? candidate.toResponse() : response;
}
