import { canonicalUrl } from "../http/canonical-url.js";

/** One request the fake tenant saw. */
export interface FakeCall {
  /** Sequence number, starting at 1. */
  seq: number;
  method: string;
  /** The full request URL, query included. */
  url: string;
  host: string;
  path: string;
  /** Response status; `0` for an injected connection reset; `undefined` while in flight or when unhandled. */
  status?: number;
  /** Set when no handler answered (the request failed as unhandled). */
  unhandled?: boolean;
  /** What the gate did instead of the service: an injected fault or a throttling 429. */
  intercepted?: "fault" | "throttled";
  /** Tenant clock time (ms) when the request arrived. */
  time: number;
}

export interface CallFilter {
  method?: string;
  /** Substring of, or pattern for, the URL. */
  url?: string | RegExp;
  status?: number;
}

/** The request log: what was called, in order, with the status the fake answered. */
export class CallLog {
  readonly #calls: FakeCall[] = [];
  readonly #byRequestId = new Map<string, FakeCall>();
  #seq = 0;

  /** Every call so far, oldest first (a copy). */
  all(): FakeCall[] {
    return [...this.#calls];
  }

  get length(): number {
    return this.#calls.length;
  }

  last(): FakeCall | undefined {
    return this.#calls.at(-1);
  }

  /** Calls matching every given criterion. */
  filter(filter: CallFilter): FakeCall[] {
    return this.#calls.filter((call) => {
      if (filter.method && call.method !== filter.method.toUpperCase()) return false;
      if (filter.status !== undefined && call.status !== filter.status) return false;
      if (filter.url !== undefined) {
        if (typeof filter.url === "string" ? !call.url.includes(filter.url) : !filter.url.test(call.url)) return false;
      }
      return true;
    });
  }

  count(filter: CallFilter = {}): number {
    return this.filter(filter).length;
  }

  clear(): void {
    this.#calls.length = 0;
    this.#byRequestId.clear();
  }

  /** @internal Called by the gate handler. */
  record(requestId: string, request: Request, time: number, parsedUrl?: URL): FakeCall {
    // The gate passes the URL it parsed anyway, so a request is parsed once on its way in.
    const url = parsedUrl ?? canonicalUrl(new URL(request.url));
    const call: FakeCall = {
      seq: ++this.#seq,
      method: request.method.toUpperCase(),
      url: url.href,
      host: url.host,
      path: url.pathname,
      time,
    };
    this.#calls.push(call);
    this.#byRequestId.set(requestId, call);
    return call;
  }

  /** @internal A request no handler took (it never reached the gate). */
  recordUnhandled(requestId: string, request: Request, time: number): void {
    const call = this.#byRequestId.get(requestId) ?? this.record(requestId, request, time);
    call.unhandled = true;
    this.#byRequestId.delete(requestId);
  }

  /** @internal Called from msw's lifecycle events. */
  complete(requestId: string, update: Partial<Pick<FakeCall, "status" | "unhandled" | "intercepted">>): void {
    const call = this.#byRequestId.get(requestId);
    if (!call) return;
    Object.assign(call, update);
    this.#byRequestId.delete(requestId);
  }
}
