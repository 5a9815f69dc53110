import type { LookupOptions } from "../providers/lookup-options.js";

/** The abort signal a lookup takes (the Azure SDK's `AbortSignalLike`). */
export type LookupAbortSignal = NonNullable<LookupOptions["abortSignal"]>;

/** The error an aborted lookup rejects with: named `AbortError`, as the Azure SDK's are. */
export function abortError(): Error {
  const error = new Error("The lookup was aborted.");
  error.name = "AbortError";
  return error;
}

/**
 * Waits for `work` (which other lookups may share) until it settles or `abortSignal` fires: an abort ends this
 * caller's wait, not the shared request.
 */
export function untilAborted<T>(work: Promise<T>, abortSignal: LookupAbortSignal | undefined): Promise<T> {
  if (abortSignal === undefined) return work;
  if (abortSignal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    abortSignal.addEventListener("abort", onAbort);
    work.then(
      (value) => {
        abortSignal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        abortSignal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
