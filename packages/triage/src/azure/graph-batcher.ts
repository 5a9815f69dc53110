import { RestError } from "@azure/core-rest-pipeline";
import { retryAfterMs, systemClock, type Clock, type JsonClient } from "@keywarden/core";
import { logger } from "../log.js";
import { abortError, type LookupAbortSignal as AbortSignalLike } from "./abortable.js";
import { InvalidTriageArgumentError } from "../errors/invalid-triage-argument-error.js";

/** Microsoft Graph takes at most 20 requests per JSON batch. */
export const GRAPH_BATCH_LIMIT = 20;

/** Options of {@link GraphBatcher}. */
export interface GraphBatcherOptions {
  /** Requests per `$batch` (1-20). Default 20. */
  maxBatchSize?: number;
  /** Retries of a request the batch answered 429/503/504 for. Default 3. */
  maxItemRetries?: number;
  /** Waits between item retries when the answer names none (doubling). Default 500 ms. */
  itemRetryDelayMs?: number;
  /** The clock item retries sleep on. Default the system clock. */
  clock?: Clock;
}

interface Pending {
  path: string;
  allowNotFound: boolean;
  abortSignal: AbortSignalLike | undefined;
  attempt: number;
  settled: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface BatchResponseItem {
  id?: unknown;
  status?: unknown;
  headers?: Record<string, unknown>;
  body?: unknown;
}

const TRANSIENT = new Set([429, 503, 504]);

/**
 * Collects the GETs that callers make in the same turn of the event loop (the alerts of a burst, triaged
 * concurrently) into Microsoft Graph JSON batches: one `POST /$batch` per up to 20 lookups instead of one request
 * each. A lone request goes out as a plain GET. Each lookup still gets its own answer: a 404 is `undefined` where
 * allowed, a throttled item is retried after its `Retry-After`, any other failure rejects that lookup only.
 */
export class GraphBatcher {
  readonly #client: JsonClient;
  readonly #maxBatchSize: number;
  readonly #maxItemRetries: number;
  readonly #itemRetryDelayMs: number;
  readonly #clock: Clock;
  #queue: Pending[] = [];
  #scheduled = false;

  constructor(client: JsonClient, options: GraphBatcherOptions = {}) {
    this.#client = client;
    const size = options.maxBatchSize ?? GRAPH_BATCH_LIMIT;
    if (!Number.isInteger(size) || size < 1 || size > GRAPH_BATCH_LIMIT) {
      throw new InvalidTriageArgumentError(`maxBatchSize is ${String(size)}. Give an integer from 1 to ${GRAPH_BATCH_LIMIT} (Graph's limit per batch).`);
    }
    this.#maxBatchSize = size;
    this.#maxItemRetries = options.maxItemRetries ?? 3;
    this.#itemRetryDelayMs = options.itemRetryDelayMs ?? 500;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * GETs `path` (relative to the client's endpoint, e.g. `/directoryObjects/{id}`), batched with its neighbours.
   * An abort rejects this lookup at once (a batch already sent still completes for the others).
   */
  get<T>(path: string, options: { allowNotFound?: boolean; abortSignal?: AbortSignalLike | undefined } = {}): Promise<T | undefined> {
    if (!path.startsWith("/")) throw new InvalidTriageArgumentError(`Graph batch path "${path}" is not relative to the endpoint. Start it with "/".`);
    const abortSignal = options.abortSignal;
    if (abortSignal?.aborted === true) return Promise.reject(abortError());
    return new Promise<T | undefined>((resolve, reject) => {
      const entry: Pending = {
        path,
        allowNotFound: options.allowNotFound === true,
        abortSignal,
        attempt: 0,
        settled: false,
        resolve: (value) => {
          if (entry.settled) return;
          entry.settled = true;
          abortSignal?.removeEventListener("abort", onAbort);
          resolve(value as T | undefined);
        },
        reject: (error) => {
          if (entry.settled) return;
          entry.settled = true;
          abortSignal?.removeEventListener("abort", onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      };
      const onAbort = (): void => {
        const queued = this.#queue.indexOf(entry);
        if (queued !== -1) this.#queue.splice(queued, 1);
        entry.reject(abortError());
      };
      abortSignal?.addEventListener("abort", onAbort);
      this.#enqueue(entry);
    });
  }

  /** Every item of a collection: the first page batched, further `@odata.nextLink` pages fetched directly. */
  async getAll<T>(path: string, options: { abortSignal?: AbortSignalLike | undefined } = {}): Promise<T[]> {
    const first = await this.get<{ value?: T[]; "@odata.nextLink"?: string | null }>(path, options);
    const items = [...(first?.value ?? [])];
    const next = first?.["@odata.nextLink"];
    if (typeof next === "string" && next !== "") items.push(...(await this.#client.getAll<T>(next, { abortSignal: options.abortSignal })));
    return items;
  }

  #enqueue(entry: Pending): void {
    this.#queue.push(entry);
    if (this.#queue.length >= this.#maxBatchSize) {
      this.#flush();
      return;
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      // After the current macrotask: every lookup that concurrent alerts start in this turn joins the batch.
      setImmediate(() => this.#flush());
    }
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const entries = this.#queue.splice(0, this.#maxBatchSize);
      void this.#send(entries);
    }
  }

  async #send(entries: Pending[]): Promise<void> {
    if (entries.length === 1) {
      const [entry] = entries as [Pending];
      try {
        entry.resolve(await this.#client.get(entry.path, { allowNotFound: entry.allowNotFound, abortSignal: entry.abortSignal }));
      } catch (error) {
        entry.reject(error);
      }
      return;
    }
    let answer: { responses?: BatchResponseItem[] } | undefined;
    try {
      answer = await this.#client.send<{ responses?: BatchResponseItem[] }>("POST", "/$batch", {
        body: { requests: entries.map((entry, index) => ({ id: String(index), method: "GET", url: entry.path })) },
      });
    } catch (error) {
      for (const entry of entries) entry.reject(error);
      return;
    }
    const byId = new Map<string, BatchResponseItem>();
    for (const item of answer?.responses ?? []) if (typeof item.id === "string") byId.set(item.id, item);
    entries.forEach((entry, index) => this.#settle(entry, byId.get(String(index))));
  }

  #settle(entry: Pending, item: BatchResponseItem | undefined): void {
    const status = typeof item?.status === "number" ? item.status : 0;
    if (status >= 200 && status < 300) {
      entry.resolve(item?.body);
      return;
    }
    if (status === 404 && entry.allowNotFound) {
      entry.resolve(undefined);
      return;
    }
    const headers = new Map(Object.entries(item?.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
    if (TRANSIENT.has(status) && entry.attempt < this.#maxItemRetries) {
      const wait = retryAfterMs({ get: (name) => headers.get(name.toLowerCase()) }, this.#clock.now()) ?? this.#itemRetryDelayMs * 2 ** entry.attempt;
      logger.verbose(`Graph batch item ${entry.path} answered ${status}; retrying in ${wait} ms`);
      entry.attempt++;
      this.#clock.sleep(wait, entry.abortSignal).then(
        () => this.#enqueue(entry),
        (error: unknown) => entry.reject(error),
      );
      return;
    }
    const error = (item?.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const message = item === undefined ? "the batch answer has no response for this request" : typeof error?.message === "string" ? error.message : `HTTP ${status}`;
    entry.reject(
      new RestError(`${message} (GET ${entry.path}, in a Graph batch)`, {
        statusCode: item === undefined ? 502 : status,
        ...(typeof error?.code === "string" ? { code: error.code } : {}),
      }),
    );
  }
}
