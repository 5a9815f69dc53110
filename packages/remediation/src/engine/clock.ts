/** Time as the engine sees it. Injected so tests and benchmarks control it; defaults to the real clock. */
export interface Clock {
  now(): number;
  sleep(ms: number, abortSignal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, abortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (abortSignal?.aborted) {
        reject(abortError());
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError());
      };
      const timer = setTimeout(() => {
        abortSignal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, ms));
      abortSignal?.addEventListener("abort", onAbort, { once: true });
    }),
};

export function abortError(): Error {
  const error = new Error("The operation was aborted.");
  error.name = "AbortError";
  return error;
}
