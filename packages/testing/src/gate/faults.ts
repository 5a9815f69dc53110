import { FakeAzureError } from "../errors/fake-azure-error.js";
import { compileUrlPattern } from "./url-pattern.js";

/** What to do to a matching request. Combine `delayInMs` with any of the others, or use it alone. */
export interface FaultSpec {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** URL or path pattern (see `compileUrlPattern`): `"/secrets/*"`, `"https://kv1.vault.azure.net/**"`, a RegExp. */
  url: string | RegExp;
  /** Answer with this status instead of the service. The body is an Azure-style error unless `body` is given. */
  status?: number;
  /** Response body for `status` (JSON-serialised). */
  body?: unknown;
  /** Extra response headers for `status` (e.g. `{ "retry-after-ms": "5" }`). */
  headers?: Record<string, string>;
  /** Wait this long (real milliseconds) before answering or passing the request on. */
  delayInMs?: number;
  /** Drop the connection (`HttpResponse.error()`: the client sees a network error). */
  reset?: boolean;
  /** Answer with a truncated JSON body (status `status` or 200). */
  malformed?: boolean;
  /** How many matching requests to affect; absent means every one. */
  times?: number;
}

export interface ActiveFault {
  readonly id: number;
  readonly spec: FaultSpec;
  /** Requests still to affect (`Infinity` for always). */
  readonly remaining: number;
  /** How many requests it affected so far. */
  readonly hits: number;
  /** Stops the fault. */
  remove(): void;
}

interface FaultEntry {
  id: number;
  spec: FaultSpec;
  matches: (url: URL) => boolean;
  remaining: number;
  hits: number;
}

/** Injected failures, checked by the gate handler before any service handler runs. */
export class FaultInjector {
  #entries: FaultEntry[] = [];
  #nextId = 1;

  /** Adds a fault; the newest matching fault wins. */
  inject(spec: FaultSpec): ActiveFault {
    if (spec.status === undefined && !spec.reset && !spec.malformed && spec.delayInMs === undefined) {
      throw new FakeAzureError("KW_TESTING_E0003", "faults.inject: give at least one of status, reset, malformed or delayInMs.");
    }
    if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) {
      throw new FakeAzureError("KW_TESTING_E0003", `faults.inject: times must be a positive integer (got ${spec.times}).`);
    }
    const entry: FaultEntry = {
      id: this.#nextId++,
      spec,
      matches: compileUrlPattern(spec.url),
      remaining: spec.times ?? Infinity,
      hits: 0,
    };
    this.#entries.push(entry);
    const remove = (): void => {
      this.#entries = this.#entries.filter((candidate) => candidate !== entry);
    };
    return {
      id: entry.id,
      spec,
      get remaining() {
        return entry.remaining;
      },
      get hits() {
        return entry.hits;
      },
      remove,
    };
  }

  /** Shorthand: fail the next `times` (default 1) matching requests with `status`. */
  failNext(method: string, url: string | RegExp, status: number, times = 1): ActiveFault {
    return this.inject({ method, url, status, times });
  }

  /** Currently active faults. */
  list(): FaultSpec[] {
    return this.#entries.map((entry) => entry.spec);
  }

  clear(): void {
    this.#entries = [];
  }

  /** @internal Takes the fault for a request (consuming one use), or undefined. */
  take(request: Request): FaultSpec | undefined {
    if (this.#entries.length === 0) return undefined;
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i];
      if (!entry) continue;
      if (entry.spec.method && entry.spec.method.toUpperCase() !== method) continue;
      if (!entry.matches(url)) continue;
      entry.remaining -= 1;
      entry.hits += 1;
      if (entry.remaining <= 0) this.#entries.splice(i, 1);
      return entry.spec;
    }
    return undefined;
  }
}
